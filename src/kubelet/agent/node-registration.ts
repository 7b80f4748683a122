// Keeps the node's presence in the API: registers the Node (or takes over an existing one after a
// restart), renews its Lease in kube-node-lease every 10 s, and refreshes its status (conditions'
// heartbeats, capacity) every minute or at once when someone else changed its Ready condition.
import type { ApiClient, KubeObject, ResourceRef } from '../../client/api-client.ts';
import { isAlreadyExists, isNotFound } from '../../api/status.ts';
import type { Logger } from '../../base/log.ts';
import { leaseObject, microTime, LEASE_NAMESPACE } from '../sim/node-shape.ts';
import { hostNodeObject, hostNodeStatus, type HostFacts } from '../node/host-node.ts';
import { NODE_USAGE_ANNOTATION, encodeNodeUsage, type NodeUsageReport } from '../../api/metrics/index.ts';

const NODES: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const LEASES: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };

export interface NodeRegistrationOptions {
  client: ApiClient;
  host: HostFacts;
  podCIDR: string;
  runtimeVersion: string;
  labels?: Record<string, string>;
  logger: Logger;
  leaseRenewMs?: number;
  statusUpdateMs?: number;
  /** Where the kubelet's streaming server listens (published in daemonEndpoints). */
  kubeletPort?: number;
  /** The latest usage sample, carried on every Lease renewal for metrics.k8s.io (see src/api/metrics). */
  usage?: () => NodeUsageReport | undefined;
}

export class NodeRegistration {
  readonly #o: NodeRegistrationOptions;
  #uid: string | undefined;
  #lease: KubeObject | undefined;
  #conditions: KubeObject[] = [];

  constructor(o: NodeRegistrationOptions) { this.#o = o; }

  get nodeName(): string { return this.#o.host.name; }

  /** Creates or takes over the Node; resolves with it. */
  async register(): Promise<KubeObject> {
    const { client, host } = this.#o;
    const now = new Date();
    let node: KubeObject;
    try {
      node = await client.create(NODES, undefined, hostNodeObject(host, this.#o.podCIDR, this.#o.runtimeVersion, now, this.#o.labels, this.#o.kubeletPort));
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await client.get(NODES, undefined, host.name);
      node = await client.patch(NODES, undefined, host.name, {
        status: hostNodeStatus(host, this.#o.runtimeVersion, now, existing.status?.conditions, this.#o.kubeletPort),
      }, 'merge', 'status');
    }
    this.#uid = node.metadata.uid;
    this.#conditions = node.status?.conditions ?? [];
    await this.renewLease();
    return node;
  }

  /** The Lease with the latest usage sample in its annotation (an older one stays until replaced). */
  #withUsage(lease: KubeObject): KubeObject {
    const report = this.#o.usage?.();
    if (report) lease.metadata.annotations = { ...lease.metadata.annotations, [NODE_USAGE_ANNOTATION]: encodeNodeUsage(report) };
    return lease;
  }

  async renewLease(): Promise<void> {
    const { client, host } = this.#o;
    const now = new Date();
    if (this.#lease) {
      const next = this.#withUsage(structuredClone(this.#lease));
      next.spec = { ...next.spec, holderIdentity: host.name, renewTime: microTime(now) };
      try {
        this.#lease = await client.update(LEASES, LEASE_NAMESPACE, next);
        return;
      } catch (e) {
        if (!isNotFound(e)) { this.#lease = undefined; throw e; }
      }
    }
    try {
      this.#lease = await client.create(LEASES, LEASE_NAMESPACE, this.#withUsage(leaseObject({ name: host.name, uid: this.#uid }, now)));
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const cur = this.#withUsage(await client.get(LEASES, LEASE_NAMESPACE, host.name));
      cur.spec = { ...cur.spec, holderIdentity: host.name, renewTime: microTime(now) };
      this.#lease = await client.update(LEASES, LEASE_NAMESPACE, cur);
    }
  }

  async reportStatus(): Promise<void> {
    const { client, host } = this.#o;
    const node = await client.patch(NODES, undefined, host.name, {
      status: hostNodeStatus(host, this.#o.runtimeVersion, new Date(), this.#conditions, this.#o.kubeletPort),
    }, 'merge', 'status');
    this.#conditions = node.status?.conditions ?? [];
  }

  /** Lease renewals and status reports until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const renew = this.#o.leaseRenewMs ?? 10_000;
    const statusEvery = this.#o.statusUpdateMs ?? 60_000;
    let lastStatus = Date.now();
    while (!signal.aborted) {
      await new Promise<void>((r) => { const t = setTimeout(r, renew); signal.addEventListener('abort', () => { clearTimeout(t); r(); }, { once: true }); });
      if (signal.aborted) break;
      try {
        await this.renewLease();
        if (Date.now() - lastStatus >= statusEvery) { await this.reportStatus(); lastStatus = Date.now(); }
      } catch (e) {
        this.#o.logger.warn('could not renew node lease', { node: this.#o.host.name, err: e });
      }
    }
  }

  /** Someone (the node lifecycle controller) marked us not Ready while we are alive: say otherwise. */
  async onNodeChanged(node: KubeObject): Promise<void> {
    const ready = (node.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Ready');
    if (ready && ready.status !== 'True') {
      this.#conditions = node.status.conditions;
      await this.reportStatus().catch((e) => this.#o.logger.warn('could not report node status', { err: e }));
    }
  }
}
