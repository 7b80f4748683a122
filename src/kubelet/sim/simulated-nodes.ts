// Many simulated nodes in one process, through the API like real kubelets: each registers its
// Node, renews its Lease, reports status, and walks the pods bound to it through the pod stages.
// The whole simulation is data plus one keyed timer heap (kwok's design): a node or pod costs a
// few small records, and only objects with a pending transition have a heap entry. One pod
// informer (every bound pod) and one node informer serve all simulated nodes.
import { ApiClient, type ClientConfig, type KubeObject, type ResourceRef } from '../../client/api-client.ts';
import { Informer, keyOf } from '../../client/informer.ts';
import { WorkQueue } from '../../client/work-queue.ts';
import { createLogger, type Logger } from '../../base/log.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../api/status.ts';
import { DelayQueue } from './delay-queue.ts';
import { nodeUsage, podUsage } from './usage.ts';
import { NODE_USAGE_ANNOTATION, encodeNodeUsage, type NodeUsageReport } from '../../api/metrics/index.ts';
import { DEFAULT_TIMINGS, matchingStages, type NodeFacts, type PodStage, type SimTimings } from './pod-stages.ts';
import {
  DEFAULT_CAPACITY, LEASE_NAMESPACE, leaseObject, microTime, nodeIP, nodeObject, nodeStatus, podAddress, podCIDR,
  type NodeCapacity, type NodeIdentity,
} from './node-shape.ts';

const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const LEASES: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };

export interface SimulatedNodesOptions {
  /** Connection and identity the simulated kubelets use. */
  client: ClientConfig;
  count: number;
  /** Node names are prefix + number (default "sim-node-"). */
  namePrefix?: string;
  /** Number of the first node; give separate groups in one cluster distinct ranges (default 0). */
  firstIndex?: number;
  capacity?: Partial<NodeCapacity>;
  /** Spread nodes round-robin over this many zones (zone-a, zone-b, …) or these named zones. */
  zones?: number | string[];
  /** topology.kubernetes.io/region when zones are given (default "sim-region"). */
  region?: string;
  /** Extra labels on every node. */
  labels?: Record<string, string>;
  /** node.kubernetes.io/instance-type (default "sim.standard"). */
  instanceType?: string;
  timings?: Partial<SimTimings>;
  /** Lease renewal interval (upstream: 10 s, a quarter of the 40 s lease). */
  leaseRenewMs?: number;
  /** Node status report interval when nothing changes (upstream nodeStatusReportFrequency: 5 min). */
  statusReportMs?: number;
  /** Concurrent API writes across all nodes (default 32). */
  workers?: number;
  log?: Logger;
}

interface SimNode {
  id: NodeIdentity;
  uid?: string;
  running: boolean;
  registered: boolean;
  lease?: KubeObject;
  conditions: KubeObject[];
  /** Pod IPs in use, by pod key → host number in the node's /24. */
  ips: Map<string, number>;
  nextHost: number;
  pods: Set<string>;
}

type Task = 'pod' | 'lease' | 'status';

function zoneNames(z: number | string[] | undefined): string[] {
  if (Array.isArray(z)) return z;
  return Array.from({ length: z ?? 0 }, (_, i) => `zone-${i < 26 ? String.fromCharCode(97 + i) : i}`);
}

export class SimulatedNodes {
  readonly name = 'simulated-nodes';
  readonly #opts: SimulatedNodesOptions;
  readonly #timings: SimTimings;
  readonly #log: Logger;
  readonly #nodes = new Map<string, SimNode>();
  readonly #queue = new WorkQueue();
  readonly #timers = new DelayQueue<string>((key, stage) => { if (stage) this.#fired.set(key, stage); this.#queue.add(key); });
  /** Pod keys whose timer went off, with the stage it was for. */
  readonly #fired = new Map<string, string>();
  #client: ApiClient | undefined;
  #pods: Informer | undefined;
  #stopped: Promise<void> = Promise.resolve();
  #writes = 0;

  constructor(opts: SimulatedNodesOptions) {
    this.#opts = opts;
    this.#timings = { ...DEFAULT_TIMINGS, ...opts.timings };
    this.#log = opts.log ?? createLogger({ component: 'simulated-nodes' });
    const zones = zoneNames(opts.zones);
    const first = opts.firstIndex ?? 0;
    for (let i = 0; i < opts.count; i++) {
      const index = first + i;
      const name = `${opts.namePrefix ?? 'sim-node-'}${index}`;
      podCIDR(index); // fails early when the numbers run out
      this.#nodes.set(name, {
        id: {
          name, index, zone: zones.length ? zones[i % zones.length] : undefined, region: zones.length ? opts.region ?? 'sim-region' : undefined,
          instanceType: opts.instanceType ?? 'sim.standard', labels: opts.labels ?? {}, capacity: { ...DEFAULT_CAPACITY, ...opts.capacity },
        },
        running: true, registered: false, conditions: [], ips: new Map(), nextHost: 2, pods: new Set(),
      });
    }
  }

  get nodeNames(): string[] { return [...this.#nodes.keys()]; }
  /** API writes made so far (for benchmarks). */
  get writes(): number { return this.#writes; }
  /** Pending transitions in the timer heap. */
  get pendingTransitions(): number { return this.#timers.size; }

  isRunning(name: string): boolean { return this.#nodes.get(name)?.running ?? false; }

  /** Registers every node, syncs the pod cache, then runs until signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const client = new ApiClient({ ...this.#opts.client, userAgent: 'navarch-simulated-node' });
    this.#client = client;
    const stop = new AbortController();
    this.#stopped = new Promise((resolve) => signal.addEventListener('abort', () => {
      stop.abort();
      this.#timers.stop();
      this.#queue.shutDown();
      client.close();
      resolve();
    }, { once: true }));

    await pool([...this.#nodes.values()], this.#opts.workers ?? 32, (n) => this.#register(n));
    if (signal.aborted) return;

    const pods = new Informer(client, PODS, this.#log.with({ informer: 'pods' }), { fieldSelector: 'spec.nodeName!=' });
    this.#pods = pods;
    pods.addHandler({
      add: (p) => this.#podChanged(p),
      update: (_o, p) => this.#podChanged(p),
      delete: (p) => this.#podGone(p),
    });
    const nodes = new Informer(client, NODES, this.#log.with({ informer: 'nodes' }));
    nodes.addHandler({ update: (_o, n) => this.#nodeChanged(n), delete: (n) => this.#nodeDeleted(n) });
    await Promise.all([pods.start(stop.signal), nodes.start(stop.signal)]);
    if (signal.aborted) return;

    const renew = this.#opts.leaseRenewMs ?? 10_000;
    const report = this.#opts.statusReportMs ?? 300_000;
    const now = Date.now();
    for (const n of this.#nodes.values()) {
      if (!n.registered) continue;
      // Spread heartbeats over the interval so a thousand nodes do not renew in one burst.
      this.#timers.schedule(`lease/${n.id.name}`, now + Math.random() * renew, '');
      this.#timers.schedule(`status/${n.id.name}`, now + report * (0.5 + Math.random() * 0.5), '');
    }
    for (let i = 0; i < (this.#opts.workers ?? 32); i++) void this.#work();
    this.#log.info('simulated nodes running', { nodes: this.#nodes.size, registered: [...this.#nodes.values()].filter((n) => n.registered).length });
  }

  stopped(): Promise<void> { return this.#stopped; }

  /** Simulates a node failure: no more lease renewals, status reports or pod work. */
  stopNode(name: string): void {
    const n = this.#mustGet(name);
    n.running = false;
    this.#timers.cancel(`lease/${name}`);
    this.#timers.cancel(`status/${name}`);
    for (const k of n.pods) this.#timers.cancel(`pod/${k}`);
  }

  /** Brings a stopped node back: it reports Ready at once, renews its lease and resumes its pods. */
  startNode(name: string): void {
    const n = this.#mustGet(name);
    if (n.running) return;
    n.running = true;
    this.#queue.add(`status/${name}`);
    this.#queue.add(`lease/${name}`);
    for (const k of n.pods) this.#queue.add(`pod/${k}`);
  }

  /** Pods bound to a simulated node, as last observed (for usage reports). */
  podsOn(name: string): KubeObject[] {
    const n = this.#nodes.get(name);
    return n ? [...n.pods].map((k) => this.#pods?.get(k)).filter((p): p is KubeObject => !!p) : [];
  }

  #mustGet(name: string): SimNode {
    const n = this.#nodes.get(name);
    if (!n) throw new Error(`no simulated node named ${name}`);
    return n;
  }

  async #register(n: SimNode): Promise<void> {
    const client = this.#client!;
    const now = new Date();
    try {
      let node: KubeObject;
      try {
        // Nodes take their status on create, so registering is one write.
        node = await client.create(NODES, undefined, nodeObject(n.id, now));
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        // Registered before (a restarted simulator): take the node over and report fresh status.
        const existing = await client.get(NODES, undefined, n.id.name);
        node = await client.patch(NODES, undefined, n.id.name, { status: nodeStatus(n.id, now, existing.status?.conditions) }, 'merge', 'status');
        this.#writes++;
      }
      n.uid = node.metadata.uid;
      n.conditions = node.status?.conditions ?? [];
      n.lease = await this.#writeLease(n, now);
      n.registered = true;
      this.#writes += 2;
    } catch (e) {
      this.#log.warn('could not register simulated node', { node: n.id.name, err: e });
    }
  }

  /** The node's usage sample, carried on its Lease for metrics.k8s.io (see src/api/metrics). */
  #usageReport(n: SimNode, now: Date): NodeUsageReport {
    const pods = this.podsOn(n.id.name);
    const cpu = (m: number) => `${m}m`;
    const mem = (b: number) => `${Math.ceil(b / 1024)}Ki`;
    const node = nodeUsage(pods);
    return {
      timestamp: now.toISOString().replace(/\.\d+Z$/, 'Z'), window: `${Math.round((this.#opts.leaseRenewMs ?? 10_000) / 1000)}s`,
      node: { cpu: cpu(node.cpuMillis), memory: mem(node.memoryBytes) },
      pods: pods.flatMap((p) => {
        const u = podUsage(p);
        return u ? [{ namespace: p.metadata.namespace, name: p.metadata.name, containers: u.containers.map((c) => ({ name: c.name, cpu: cpu(c.cpuMillis), memory: mem(c.memoryBytes) })) }] : [];
      }),
    };
  }

  async #writeLease(n: SimNode, now: Date): Promise<KubeObject> {
    const client = this.#client!;
    const usage = encodeNodeUsage(this.#usageReport(n, now));
    if (n.lease) {
      const next = structuredClone(n.lease);
      next.metadata.annotations = { ...next.metadata.annotations, [NODE_USAGE_ANNOTATION]: usage };
      next.spec = { ...next.spec, holderIdentity: n.id.name, renewTime: microTime(now), leaseDurationSeconds: next.spec?.leaseDurationSeconds ?? 40 };
      return client.update(LEASES, LEASE_NAMESPACE, next);
    }
    try {
      const lease = leaseObject({ name: n.id.name, uid: n.uid }, now);
      lease.metadata.annotations = { [NODE_USAGE_ANNOTATION]: usage };
      return await client.create(LEASES, LEASE_NAMESPACE, lease);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      n.lease = await client.get(LEASES, LEASE_NAMESPACE, n.id.name);
      return this.#writeLease(n, now);
    }
  }

  #podChanged(pod: KubeObject): void {
    const n = this.#nodes.get(pod.spec?.nodeName);
    if (!n) return;
    const key = keyOf(pod);
    n.pods.add(key);
    const ip = pod.status?.podIP as string | undefined;
    if (ip && !n.ips.has(key) && !pod.spec?.hostNetwork && ip.startsWith(podCIDR(n.id.index).replace(/0\/24$/, ''))) {
      n.ips.set(key, Number(ip.split('.')[3]));
    }
    if (n.running && n.registered) this.#queue.add(`pod/${key}`);
  }

  #podGone(pod: KubeObject): void {
    const n = this.#nodes.get(pod.spec?.nodeName);
    if (!n) return;
    const key = keyOf(pod);
    n.pods.delete(key);
    n.ips.delete(key);
    this.#timers.cancel(`pod/${key}`);
  }

  #nodeChanged(node: KubeObject): void {
    const n = this.#nodes.get(node.metadata?.name);
    if (!n?.running || !n.registered) return;
    const ready = (node.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Ready');
    // Someone else posted our status (the node lifecycle controller marking us Unknown): correct it now.
    if (ready?.status !== 'True') this.#queue.add(`status/${n.id.name}`);
  }

  #nodeDeleted(node: KubeObject): void {
    const n = this.#nodes.get(node.metadata?.name);
    if (!n || node.metadata?.uid !== n.uid) return;
    this.#log.info('simulated node was deleted; it stops', { node: n.id.name });
    this.stopNode(n.id.name);
    n.registered = false;
  }

  async #work(): Promise<void> {
    for (;;) {
      const key = await this.#queue.get();
      if (key === undefined) return;
      try {
        await this.#process(key);
      } catch (e) {
        this.#log.debug('simulated node work failed', { key, err: e });
      } finally {
        this.#queue.done(key);
      }
    }
  }

  async #process(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const task = key.slice(0, slash) as Task;
    const rest = key.slice(slash + 1);
    if (task === 'pod') return this.#syncPod(rest);
    const n = this.#nodes.get(rest);
    if (!n?.running || !n.registered) return;
    if (task === 'lease') return this.#renewLease(n);
    return this.#reportStatus(n);
  }

  async #renewLease(n: SimNode): Promise<void> {
    const renew = this.#opts.leaseRenewMs ?? 10_000;
    try {
      n.lease = await this.#writeLease(n, new Date());
      this.#writes++;
      if (n.running) this.#timers.schedule(`lease/${n.id.name}`, Date.now() + renew, '');
    } catch (e) {
      // A conflict or a vanished lease: start over from the server's copy, soon.
      if (isConflict(e) || isNotFound(e)) n.lease = undefined;
      this.#log.debug('lease renewal failed', { node: n.id.name, err: e });
      if (n.running) this.#timers.schedule(`lease/${n.id.name}`, Date.now() + Math.min(renew, 500), '');
    }
  }

  async #reportStatus(n: SimNode): Promise<void> {
    const report = this.#opts.statusReportMs ?? 300_000;
    try {
      const posted = await this.#client!.patch(NODES, undefined, n.id.name, { status: nodeStatus(n.id, new Date(), n.conditions) }, 'merge', 'status');
      this.#writes++;
      n.conditions = posted.status?.conditions ?? n.conditions;
      if (n.running) this.#timers.schedule(`status/${n.id.name}`, Date.now() + report, '');
    } catch (e) {
      if (isNotFound(e)) { n.registered = false; this.stopNode(n.id.name); return; }
      this.#log.debug('node status report failed', { node: n.id.name, err: e });
      if (n.running) this.#timers.schedule(`status/${n.id.name}`, Date.now() + 1000, '');
    }
  }

  #facts(n: SimNode): NodeFacts {
    const cidr = podCIDR(n.id.index);
    return {
      name: n.id.name,
      hostIP: nodeIP(n.id.index),
      podIP: (pod) => {
        const key = keyOf(pod);
        let host = n.ips.get(key);
        if (host === undefined) {
          const used = new Set(n.ips.values());
          for (let i = 0; i < 253 && host === undefined; i++) {
            const h = ((n.nextHost - 2 + i) % 253) + 2;
            if (!used.has(h)) host = h;
          }
          host ??= 2 + Math.floor(Math.random() * 253);
          n.nextHost = host + 1;
          n.ips.set(key, host);
        }
        return podAddress(cidr, host);
      },
    };
  }

  async #syncPod(key: string): Promise<void> {
    const tkey = `pod/${key}`;
    const pod = this.#pods?.get(key);
    const n = pod && this.#nodes.get(pod.spec?.nodeName);
    if (!pod || !n?.running || !n.registered) { this.#timers.cancel(tkey); this.#fired.delete(tkey); return; }
    const now = Date.now();
    const pending = this.#timers.get(tkey);
    const fired = this.#fired.get(tkey);
    this.#fired.delete(tkey);
    let best: { name: string; at: number; stage: PodStage } | undefined;
    for (const stage of matchingStages(pod)) {
      const due = stage.due(pod, this.#timings);
      let at = 'at' in due ? due.at
        : fired === stage.name ? now
        : pending?.value === stage.name ? pending.at
        : now + due.afterMs + (due.jitter ? Math.random() * this.#timings.jitterMs : 0);
      if (!Number.isFinite(at)) at = now;
      if (!best || at < best.at) best = { name: stage.name, at, stage };
    }
    if (!best) { this.#timers.cancel(tkey); return; }
    if (best.at > now) {
      if (pending?.value !== best.name || pending.at !== best.at) this.#timers.schedule(tkey, best.at, best.name);
      return;
    }
    this.#timers.cancel(tkey);
    const action = best.stage.next(pod, this.#facts(n), new Date(now));
    const { namespace, name, uid } = pod.metadata;
    try {
      if (action.kind === 'delete') await this.#client!.delete(PODS, namespace, name, { gracePeriodSeconds: 0, preconditions: { uid } });
      else await this.#client!.patch(PODS, namespace, name, { metadata: { uid }, status: action.status }, 'merge', 'status');
      this.#writes++;
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) return;
      this.#log.debug('pod transition failed; retrying', { pod: key, stage: best.name, err: e });
      this.#timers.schedule(tkey, Date.now() + 1000, best.name);
    }
  }
}

/** Runs fn over items with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const run = async () => { while (next < items.length) await fn(items[next++]); };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
}
