// The node agent for this machine (the kubelet): registers the Node, renews its Lease, and keeps
// every pod bound to it running as real containers — one serialized worker per pod, woken by the
// API (an informer of this node's pods), by the runtime (a relist of container states, upstream's
// PLEG) and by its own timers (back-off, probes). It also removes what no pod owns any more.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { ApiClient, ApiEventRecorder, Informer, type ClientConfig, type KubeObject, type ResourceRef } from '../../client/index.ts';
import type { Logger } from '../../base/log.ts';
import { ImageStore } from '../images/index.ts';
import { PodNetwork } from '../network/index.ts';
import { RuncRuntime } from '../runtime/runc/runc-runtime.ts';
import { removeCgroupTree } from '../runtime/runc/cgroups.ts';
import { unpinNamespaces } from '../runtime/runc/namespace-pins.ts';
import type { ContainerStatus } from '../runtime/runtime.ts';
import { readHostFacts } from '../node/host-node.ts';
import { KUBELET_PORT } from '../sim/node-shape.ts';
import { RuncStreamingRuntime } from '../runtime/runc/runc-streaming.ts';
import { startKubeletServer } from '../server/index.ts';
import { NodeRegistration } from './node-registration.ts';
import { ensureRunDir, removeRunDir } from './run-dir.ts';
import { PodWorkers } from '../pods/pod-workers.ts';
import { PodSync, NETWORK_ID_LABEL } from '../pods/pod-sync.ts';
import { POD_UID_LABEL } from '../pods/logic/index.ts';
import { VolumeManager } from '../volumes/index.ts';
import { HandlerRunner, ProbeManager, runtimeExec } from '../probes/index.ts';
import { StatsCollector } from '../stats/index.ts';

const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const CONFIGMAPS: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
const SECRETS: ResourceRef = { group: '', version: 'v1', plural: 'secrets', namespaced: true };
const SERVICES: ResourceRef = { group: '', version: 'v1', plural: 'services', namespaced: true };

export const RUNTIME_VERSION = 'runc://1.1.5';

export interface NodeAgentOptions {
  client: ClientConfig;
  dataDir: string;
  /** The cluster's pod range; this node takes its first /24. */
  clusterCIDR: string;
  serviceCIDR: string;
  /** Cluster DNS addresses for ClusterFirst pods (none yet: pods use the host's resolver). */
  clusterDNS?: string[];
  clusterDomain?: string;
  nodeName?: string;
  log: Logger;
  /** Relist interval of the runtime (upstream PLEG: 1 s). */
  relistMs?: number;
  /** The streaming server's certificate (signed by the cluster CA, for the node's addresses) and the CA. */
  serving: { certPem: string; keyPem: string; caPem: string };
  /** Port of the streaming server (logs, exec, attach, port-forward); 0 picks a free one. Default 10250. */
  kubeletPort?: number;
  /** Lease renewal and usage sampling period; default NAVARCH_KUBELET_LEASE_RENEW_MS (for tests), else 10 s. */
  leaseRenewMs?: number;
  /** Registries pulled from over plain HTTP besides loopback ones (`host:port`, `host`, `host:*`). */
  insecureRegistries?: string[];
}

/** A short name unique to this data directory, for host objects (bridge, /run dir, cgroup root). */
export function hostTag(dataDir: string): string {
  return createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 8);
}

/** The node's pod range: the first /24 of the cluster range (the whole range when it is that small). */
export function nodePodCIDR(clusterCIDR: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(clusterCIDR);
  if (!m) throw new Error(`invalid cluster CIDR "${clusterCIDR}"`);
  const prefix = Number(m[5]);
  if (prefix > 24) throw new Error(`cluster CIDR ${clusterCIDR} is smaller than a /24`);
  return `${m[1]}.${m[2]}.${m[3]}.0/24`;
}

export class NodeAgent {
  readonly #o: NodeAgentOptions;
  readonly nodeName: string;
  /** The node's InternalIP, known once started. */
  internalIP = '';
  readonly podCIDR: string;
  readonly #tag: string;
  #done: Promise<void> = Promise.resolve();

  constructor(o: NodeAgentOptions) {
    this.#o = o;
    this.#tag = hostTag(o.dataDir);
    this.podCIDR = nodePodCIDR(o.clusterCIDR);
    this.nodeName = readHostFacts(o.dataDir, o.nodeName).name;
  }

  get cgroupRoot(): string { return `navarch-${this.#tag}`; }
  get bridgeName(): string { return `nv${this.#tag}`; }
  get runDir(): string { return `/run/navarch-${this.#tag}`; }

  /** Registers the node and starts syncing pods; resolves once ready (the work goes on until signal aborts). */
  async start(signal: AbortSignal): Promise<void> {
    const o = this.#o;
    const log = o.log;
    const kubeletDir = join(o.dataDir, 'kubelet');
    mkdirSync(kubeletDir, { recursive: true });
    const client = new ApiClient({ ...o.client, userAgent: `navarch-kubelet/${this.nodeName}` });
    const images = new ImageStore(join(o.dataDir, 'images'));
    await ensureRunDir(this.runDir);
    const runtime = new RuncRuntime({ stateDir: join(kubeletDir, 'runtime'), runDir: this.runDir, rootfs: images, logSizeMax: 10 << 20 });
    await runtime.init();
    const network = new PodNetwork({
      podCIDR: this.podCIDR, bridgeName: this.bridgeName, stateDir: join(kubeletDir, 'network'), netnsPrefix: `nv-${this.#tag}-`,
      networkName: `navarch-${this.#tag}`, clusterCIDR: o.clusterCIDR, serviceCIDR: o.serviceCIDR, logger: log.with({ component: 'pod-network' }),
    });
    await network.ensureHost();
    const host = readHostFacts(o.dataDir, o.nodeName);
    this.internalIP = host.internalIP;
    const streaming = new RuncStreamingRuntime({
      runtime,
      // The waiting reason this kubelet last reported (CrashLoopBackOff…): logs then read lastState, as upstream.
      waitingReason: async (ref, container) => {
        const pod = [...byUid.values()].find((p) => p.metadata.namespace === ref.namespace && p.metadata.name === ref.name && (!ref.uid || p.metadata.uid === ref.uid));
        const statuses: KubeObject[] = [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])];
        return statuses.find((s) => s.name === container)?.state?.waiting?.reason;
      },
    });
    const kubeletServer = await startKubeletServer({
      host: host.internalIP, port: o.kubeletPort ?? KUBELET_PORT, tls: o.serving, runtime: streaming,
      onError: (err, ctx) => log.warn('streaming request failed', { path: ctx.path, err }),
    });
    const heartbeatMs = o.leaseRenewMs ?? leaseRenewMsFromEnv() ?? 10_000;
    const stats = new StatsCollector({ runtime, intervalMs: heartbeatMs, logger: log.with({ component: 'stats' }) });
    const registration = new NodeRegistration({ client, host, podCIDR: this.podCIDR, runtimeVersion: RUNTIME_VERSION, logger: log, kubeletPort: kubeletServer.port, leaseRenewMs: heartbeatMs, usage: () => stats.latest() });
    await registration.register();

    const stop = new AbortController();
    const informerOpts = { fieldSelector: `spec.nodeName=${this.nodeName}` };
    const pods = new Informer(client, PODS, log.with({ informer: 'pods' }), informerOpts);
    const configMaps = new Informer(client, CONFIGMAPS, log.with({ informer: 'configmaps' }));
    const secrets = new Informer(client, SECRETS, log.with({ informer: 'secrets' }));
    const services = new Informer(client, SERVICES, log.with({ informer: 'services' }));
    const nodes = new Informer(client, NODES, log.with({ informer: 'nodes' }), { fieldSelector: `metadata.name=${this.nodeName}` });

    const recorder = new ApiEventRecorder(client, 'kubelet', log.with({ component: 'kubelet-events' }), this.nodeName);
    mkdirSync(join(kubeletDir, 'pods'), { recursive: true });
    const volumes = new VolumeManager({ podsDir: join(kubeletDir, 'pods'), client, nodeName: this.nodeName, logger: log.with({ component: 'volumes' }), recorder });
    const probes = new ProbeManager({
      exec: runtimeExec(runtime), onResultChange: (uid) => workers.enqueue(uid),
      recordEvent: (pod, type, reason, message) => recorder.event(pod, type, reason, message), logger: log.with({ component: 'prober' }),
    });
    const hooks = new HandlerRunner({ exec: runtimeExec(runtime), recordEvent: (pod, type, reason, message) => recorder.event(pod, type, reason, message) });
    const sync = new PodSync({
      client, runtime, network, images, volumes, events: recorder, log, host, probes, hooks, insecureRegistries: o.insecureRegistries,
      podsDir: join(kubeletDir, 'pods'), podRunDir: join(this.runDir, 'pods'), logsDir: join(kubeletDir, 'logs'), cgroupRoot: this.cgroupRoot,
      dns: { clusterDNS: o.clusterDNS ?? [], clusterDomain: o.clusterDomain ?? 'cluster.local', hostResolvConf: readText('/etc/resolv.conf') },
      podByUid: (uid) => byUid.get(uid), configMaps, secrets, services,
      requeueAfter: (uid, ms) => workers.enqueueAfter(uid, ms),
    });
    const byUid = new Map<string, KubeObject>();
    const workers = new PodWorkers((uid) => sync.sync(uid), log.with({ component: 'pod-workers' }));
    pods.addHandler({
      add: (p) => { byUid.set(p.metadata.uid, p); workers.enqueue(p.metadata.uid); },
      update: (_o, p) => { byUid.set(p.metadata.uid, p); workers.enqueue(p.metadata.uid); },
      delete: (p) => { byUid.delete(p.metadata.uid); workers.enqueue(p.metadata.uid); },
    });
    nodes.addHandler({ update: (_o, n) => void registration.onNodeChanged(n) });
    // Secrets and config maps feed env and volumes: a change re-syncs the pods of that namespace.
    const resyncNamespace = (obj: KubeObject) => {
      for (const p of byUid.values()) if (p.metadata.namespace === obj.metadata.namespace) workers.enqueue(p.metadata.uid);
    };
    configMaps.addHandler({ update: (_o, c) => resyncNamespace(c), add: (c) => resyncNamespace(c) });
    secrets.addHandler({ update: (_o, s) => resyncNamespace(s), add: (s) => resyncNamespace(s) });
    await Promise.all([configMaps.start(stop.signal), secrets.start(stop.signal), services.start(stop.signal), nodes.start(stop.signal)]);
    // Before any pod sync can start setting up a network: what no sandbox owns is a leftover.
    await removeStrayNetworks(network, await runtime.listPodSandboxes(), log);
    await pods.start(stop.signal);

    // Pods the runtime still has but the API no longer lists (deleted while we were down) go too.
    const sandboxes = await runtime.listPodSandboxes();
    const known = new Set<string>(sandboxes.map((s) => s.pod.uid));
    for (const uid of known) workers.enqueue(uid);
    await removeStrayVolumes(volumes, (uid) => byUid.has(uid) || known.has(uid));

    const relistMs = o.relistMs ?? 1000;
    let last = new Map<string, string>();
    const relist = async () => {
      const now = new Map<string, string>();
      let containers: ContainerStatus[] = [];
      try { containers = await runtime.listContainers(); } catch (e) { log.warn('runtime relist failed', { err: e }); return; }
      for (const c of containers) now.set(c.id, `${c.state}/${c.labels[POD_UID_LABEL] ?? ''}`);
      const changed = new Set<string>();
      for (const [id, v] of now) if (last.get(id) !== v) changed.add(v.split('/')[1]!);
      for (const [id, v] of last) if (!now.has(id)) changed.add(v.split('/')[1]!);
      last = now;
      for (const uid of changed) if (uid) workers.enqueue(uid);
    };
    const relistTimer = setInterval(() => void relist(), relistMs);
    const leaseLoop = registration.run(stop.signal);
    const statsLoop = stats.run(stop.signal);
    log.info('node agent ready', { node: this.nodeName, podCIDR: this.podCIDR });

    // Containers keep running when the agent stops (they live under conmon); a new agent adopts them.
    this.#done = new Promise<void>((resolve) => signal.addEventListener('abort', async () => {
      clearInterval(relistTimer);
      stop.abort();
      await workers.stop();
      await probes.stop();
      await volumes.close().catch(() => undefined);
      await leaseLoop;
      await statsLoop;
      await kubeletServer.close().catch(() => undefined);
      client.close();
      resolve();
    }, { once: true }));
  }

  /** Resolves once the agent stopped after its signal aborted. */
  stopped(): Promise<void> { return this.#done; }

}

/**
 * Removes everything the node agent of dataDir made on the host: every pod sandbox and container,
 * the pod network (netns, bridge, routes, portmap rules), pod volumes, the cgroup tree and /run
 * state. For `navarch cleanup` (after the server stopped) and tests; a mere agent restart must not
 * call it, since running pods are adopted instead.
 */
export async function cleanUpNodeAgent(dataDir: string): Promise<{ pods: number; containers: number }> {
  const tag = hostTag(dataDir);
  const kubeletDir = join(dataDir, 'kubelet');
  const runDir = `/run/navarch-${tag}`;
  const runtime = new RuncRuntime({ stateDir: join(kubeletDir, 'runtime'), runDir, rootfs: new ImageStore(join(dataDir, 'images')) });
  await runtime.init();
  const sandboxes = await runtime.listPodSandboxes();
  const containers = await runtime.listContainers();
  for (const c of containers) await runtime.removeContainer(c.id).catch(() => undefined);
  for (const s of sandboxes) await runtime.removePodSandbox(s.id).catch(() => undefined);
  // The network's own records say what it made; the ranges given here are not used for removal.
  const network = new PodNetwork({
    podCIDR: '10.244.0.0/24', bridgeName: `nv${tag}`, stateDir: join(kubeletDir, 'network'), netnsPrefix: `nv-${tag}-`, networkName: `navarch-${tag}`,
  });
  for (const id of await network.listSandboxes()) await network.tearDown(id).catch(() => undefined);
  await network.removeHost().catch(() => undefined);
  const volumes = new VolumeManager({ podsDir: join(kubeletDir, 'pods'), client: undefined as never, nodeName: '' });
  for (const uid of await volumes.listPodDirs().catch(() => [] as string[])) {
    await volumes.tearDownPod(uid).catch(() => undefined);
    await volumes.removePodDir(uid).catch(() => undefined);
  }
  await removeCgroupTree(`navarch-${tag}`).catch(() => undefined);
  // Namespace pins of sandboxes whose records were lost: files under runDir that are mount points.
  await unpinNamespaces(join(runDir, 'ns')).catch(() => undefined);
  await removeRunDir(runDir);
  return { pods: sandboxes.length, containers: containers.length };
}

/** NAVARCH_KUBELET_LEASE_RENEW_MS: a shorter heartbeat (and usage sampling) period for tests. */
function leaseRenewMsFromEnv(): number | undefined {
  const ms = Number(process.env.NAVARCH_KUBELET_LEASE_RENEW_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** A network set up for a sandbox that was never made (a crash between the steps): removed at start. */
async function removeStrayNetworks(network: PodNetwork, sandboxes: { labels: Record<string, string> }[], log: Logger): Promise<void> {
  const owned = new Set(sandboxes.map((s) => s.labels[NETWORK_ID_LABEL]).filter(Boolean));
  for (const id of await network.listSandboxes().catch(() => [] as string[])) {
    if (owned.has(id)) continue;
    log.info('removing a pod network no sandbox owns', { id });
    await network.tearDown(id).catch((err) => log.warn('could not remove stray pod network', { id, err }));
  }
}

/** Volumes of pods neither the API nor the runtime knows any more: removed at start. */
async function removeStrayVolumes(volumes: VolumeManager, owned: (uid: string) => boolean): Promise<void> {
  for (const uid of await volumes.listPodDirs().catch(() => [] as string[])) {
    if (owned(uid)) continue;
    await volumes.tearDownPod(uid).catch(() => undefined);
    await volumes.removePodDir(uid).catch(() => undefined);
  }
}

function readText(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch { return ''; }
}
