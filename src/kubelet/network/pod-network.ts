// The kubelet's pod network: one network namespace per sandbox, its lo up from the start (as ocicni
// does it, without the loopback plugin's process), eth0 wired by CNI (bridge + host-local + portmap),
// with state kept so CHECK and DEL work after a restart.
import { join } from 'node:path';
import { CniInvoker, type CniResult, type CniRuntimeConfig } from './cni-invoker.ts';
import { podNetworkConfig, type CniNetworkConfigList } from './cni-config.ts';
import { podAddresses } from './cni-result.ts';
import { HostNetwork } from './host-network.ts';
import { createNetns, deleteNetns, listNetns, netnsExists, netnsPath } from './network-namespaces.ts';
import { SandboxStateStore, type SandboxRecord } from './sandbox-state.ts';
import type { HostPortMapping, PodNetworkOptions, SandboxNetworkRequest, SandboxNetworkStatus } from './sandbox-network.ts';

export const POD_IFNAME = 'eth0';
export const DEFAULT_CNI_BIN_DIR = '/usr/lib/cni';
export const DEFAULT_NETNS_PREFIX = 'navarch-';
export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';

const SANDBOX_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export class PodNetwork {
  readonly #opts: PodNetworkOptions;
  readonly #prefix: string;
  readonly #network: CniNetworkConfigList;
  readonly #cni: CniInvoker;
  readonly #sandboxes: SandboxStateStore;
  readonly #host: HostNetwork;

  constructor(opts: PodNetworkOptions) {
    this.#opts = opts;
    this.#prefix = opts.netnsPrefix ?? DEFAULT_NETNS_PREFIX;
    this.#network = podNetworkConfig({
      networkName: opts.networkName ?? 'navarch',
      bridgeName: opts.bridgeName,
      podCIDR: opts.podCIDR,
      ipamDataDir: join(opts.stateDir, 'ipam'),
    });
    this.#cni = new CniInvoker({ binDirs: [opts.cniBinDir ?? DEFAULT_CNI_BIN_DIR], timeoutMs: opts.pluginTimeoutMs });
    this.#sandboxes = new SandboxStateStore(join(opts.stateDir, 'sandboxes'));
    this.#host = new HostNetwork({
      bridgeName: opts.bridgeName,
      clusterCIDR: opts.clusterCIDR ?? DEFAULT_CLUSTER_CIDR,
      serviceCIDR: opts.serviceCIDR ?? DEFAULT_SERVICE_CIDR,
      serviceRoute: opts.serviceRoute ?? 'bridge',
      stateFile: join(opts.stateDir, 'host.json'),
      logger: opts.logger,
    });
  }

  /** The CNI configuration list used for eth0 (for logs and tests). */
  get networkConfig(): CniNetworkConfigList {
    return structuredClone(this.#network);
  }

  /** Forwarding sysctls, the bridge, routes for the pod and service ranges. Idempotent. */
  ensureHost(): Promise<void> {
    return this.#host.ensure();
  }

  /** Undoes what ensureHost added (routes, the bridge, portmap's chains when unused). Sandboxes first. */
  removeHost(): Promise<void> {
    return this.#host.remove();
  }

  netnsName(sandboxId: string): string {
    return this.#prefix + sandboxId;
  }

  /** Where setUp puts the sandbox's network namespace (known before it exists). */
  netnsPathOf(sandboxId: string): string {
    return netnsPath(this.netnsName(sandboxId));
  }

  /**
   * Creates the sandbox's network namespace and attaches it. A sandbox already set up gets its recorded
   * status back. On failure everything made so far is torn down before the error is thrown.
   */
  async setUp(sandbox: SandboxNetworkRequest): Promise<SandboxNetworkStatus> {
    assertSandboxId(sandbox.id);
    const existing = await this.#sandboxes.get(sandbox.id);
    if (existing?.result && (await netnsExists(existing.netnsName))) return this.#status(existing);
    if (existing) await this.tearDown(sandbox.id);

    const record: SandboxRecord = {
      id: sandbox.id, namespace: sandbox.namespace, name: sandbox.name, uid: sandbox.uid,
      netnsName: this.netnsName(sandbox.id),
      hostPorts: (sandbox.hostPorts ?? []).filter((p) => p.hostPort > 0),
    };
    record.portmap = record.hostPorts.length > 0;
    await this.#sandboxes.put(record);
    try {
      const path = await createNetns(record.netnsName);
      record.result = await this.#cni.add(this.#listFor(record), this.#runtime(record, path, POD_IFNAME));
      await this.#sandboxes.put(record);
      return this.#status(record);
    } catch (err) {
      await this.#rollback(record);
      throw err;
    }
  }

  /**
   * Best-effort undo of a failed setUp. The namespace always goes; the record stays when DEL failed, so that
   * a later tearDown (garbage collection) can release what the plugins still hold.
   */
  async #rollback(record: SandboxRecord): Promise<void> {
    const log = this.#opts.logger?.with({ sandbox: record.id });
    const path = (await netnsExists(record.netnsName)) ? netnsPath(record.netnsName) : '';
    let released = true;
    try {
      await this.#cni.del(this.#listFor(record), this.#runtime(record, path, POD_IFNAME), record.result);
    } catch (err) {
      released = false;
      log?.warn('network teardown after failed setup failed', { err });
    }
    await deleteNetns(record.netnsName).catch((err: unknown) => log?.warn('network namespace removal failed', { err }));
    if (released) await this.#sandboxes.delete(record.id);
  }

  /** The recorded status of a set-up sandbox, or undefined. */
  async status(sandboxId: string): Promise<SandboxNetworkStatus | undefined> {
    const record = await this.#sandboxes.get(sandboxId);
    return record?.result ? this.#status(record) : undefined;
  }

  /** CHECK: the plugins verify the sandbox still looks like its ADD result; throws what they report. */
  async check(sandboxId: string): Promise<void> {
    const record = await this.#sandboxes.get(sandboxId);
    if (!record?.result) throw new Error(`no network set up for sandbox ${sandboxId}`);
    if (!(await netnsExists(record.netnsName))) throw new Error(`network namespace ${record.netnsName} of sandbox ${sandboxId} is gone`);
    const { ips } = podAddresses(record.result, POD_IFNAME);
    // portmap 1.1.1 also checks ip6tables and fails for an IPv4-only pod (fixed upstream after 1.1.1).
    const list = ips.some((ip) => ip.includes(':')) ? this.#listFor(record) : this.#withoutPortmap();
    await this.#cni.check(list, this.#runtime(record, netnsPath(record.netnsName), POD_IFNAME), record.result);
  }

  /**
   * DEL for eth0, then the namespace and our record. Safe to repeat, and works when the namespace
   * or the record is already gone (the IP lease and port mappings are released from what remains).
   */
  async tearDown(sandboxId: string): Promise<void> {
    assertSandboxId(sandboxId);
    const record: SandboxRecord = (await this.#sandboxes.get(sandboxId)) ?? {
      id: sandboxId, namespace: '', name: '', uid: '', netnsName: this.netnsName(sandboxId), hostPorts: [],
    };
    const path = (await netnsExists(record.netnsName)) ? netnsPath(record.netnsName) : '';
    await this.#cni.del(this.#listFor(record), this.#runtime(record, path, POD_IFNAME), record.result);
    await deleteNetns(record.netnsName);
    await this.#sandboxes.delete(sandboxId);
  }

  /** Our network namespaces (by prefix) under /run/netns. */
  listSandboxNetns(): Promise<string[]> {
    return listNetns(this.#prefix);
  }

  /** Sandbox ids with a namespace or network state of ours: what garbage collection compares with the runtime. */
  async listSandboxes(): Promise<string[]> {
    const ids = new Set(await this.#sandboxes.ids());
    for (const name of await this.listSandboxNetns()) ids.add(name.slice(this.#prefix.length));
    return [...ids].sort();
  }

  /** The plugin list of a sandbox: portmap only when it maps hostPorts (each plugin run is a process and iptables work). */
  #listFor(record: SandboxRecord): CniNetworkConfigList {
    return record.portmap === false ? this.#withoutPortmap() : this.#network;
  }

  #withoutPortmap(): CniNetworkConfigList {
    return { ...this.#network, plugins: this.#network.plugins.filter((p) => p.type !== 'portmap') };
  }

  #status(record: SandboxRecord): SandboxNetworkStatus {
    const { ips, gateway } = podAddresses(record.result as CniResult, POD_IFNAME);
    return { netnsPath: netnsPath(record.netnsName), ips, gateway };
  }

  #runtime(record: SandboxRecord, netns: string, ifName: string): CniRuntimeConfig {
    return {
      containerId: record.id,
      netns,
      ifName,
      // What upstream runtimes pass for a kubelet pod; IgnoreUnknown keeps plugins from rejecting keys they don't know.
      args: [
        ['IgnoreUnknown', '1'],
        ['K8S_POD_NAMESPACE', record.namespace],
        ['K8S_POD_NAME', record.name],
        ['K8S_POD_INFRA_CONTAINER_ID', record.id],
        ['K8S_POD_UID', record.uid],
      ],
      capabilityArgs: { portMappings: record.hostPorts.map(portMapping) },
    };
  }
}

/** portmap's runtimeConfig entry for one hostPort. */
export function portMapping(p: HostPortMapping): Record<string, unknown> {
  return {
    hostPort: p.hostPort,
    containerPort: p.containerPort,
    protocol: (p.protocol ?? 'TCP').toLowerCase(),
    ...(p.hostIP ? { hostIP: p.hostIP } : {}),
  };
}

function assertSandboxId(id: string): void {
  if (!SANDBOX_ID.test(id) || id.length > 128) throw new Error(`invalid sandbox id ${JSON.stringify(id)}`);
}
