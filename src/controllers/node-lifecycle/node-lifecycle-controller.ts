// The node lifecycle controller (upstream pkg/controller/nodelifecycle, with the taint
// eviction controller): a node whose kubelet stops renewing its Lease and posting status for
// the grace period gets its conditions set to Unknown; nodes get the NoSchedule taints their
// conditions and spec.unschedulable call for, and the NoExecute not-ready/unreachable taint
// (added at a per-zone rate); pods on NoExecute-tainted nodes are deleted once their
// tolerationSeconds run out. Keys are node names; the pod and lease caches feed them.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import type { Informer } from '../../client/informer.ts';
import { keyOf } from '../../client/informer.ts';
import { ApiEventRecorder, type EventRecorder } from '../../client/event-recorder.ts';
import { isConflict, isNotFound } from '../../api/status.ts';
import { noExecuteTaintKey, noScheduleTaints, readyStatus, sameTaints, tolerationSeconds, withManagedTaints, type Taint } from './taints.ts';
import { clusterHealth, zoneEvictionQps, zoneOf, type ClusterHealth, type ZoneSettings } from './zones.ts';

const NODES: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const LEASES: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };
const LEASE_NAMESPACE = 'kube-node-lease';
const HEALTH_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export interface NodeLifecycleOptions extends Partial<ZoneSettings> {
  /** No lease renewal or status for this long → Unknown (upstream --node-monitor-grace-period 40 s). */
  nodeMonitorGracePeriodMs?: number;
  /** The same for a node that never posted status (upstream --node-startup-grace-period 60 s). */
  nodeStartupGracePeriodMs?: number;
}

interface Health {
  /** Local time the node last showed a sign of life (not its own clock: avoids skew). */
  probeMs: number;
  heartbeat?: string;
  renewTime?: string;
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle';
  readonly #grace: number;
  readonly #startupGrace: number;
  readonly #zones: ZoneSettings;
  #ctx!: ControllerContext;
  #enqueue!: (key: string) => void;
  #nodes!: Informer;
  #pods!: Informer;
  #leases!: Informer;
  #nodeEvents!: EventRecorder;
  #evictionEvents!: EventRecorder;
  readonly #health = new Map<string, Health>();
  readonly #known = new Set<string>();
  readonly #lastReady = new Map<string, string>();
  /** Nodes whose pods still have to be marked not Ready (a failed attempt is retried). */
  readonly #markPods = new Set<string>();
  readonly #podsByNode = new Map<string, Set<string>>();
  /** When the taint manager first saw each pod on a NoExecute-tainted node. */
  readonly #evictionClock = new Map<string, number>();
  /** Per-zone token buckets (burst 1) for adding NoExecute taints. */
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  #cluster: { at: number; health: ClusterHealth } | undefined;
  #allDisrupted = false;

  constructor(opts: NodeLifecycleOptions = {}) {
    this.#grace = opts.nodeMonitorGracePeriodMs ?? 40_000;
    this.#startupGrace = opts.nodeStartupGracePeriodMs ?? 60_000;
    this.#zones = {
      evictionQps: opts.evictionQps ?? 0.1, secondaryEvictionQps: opts.secondaryEvictionQps ?? 0.01,
      largeClusterThreshold: opts.largeClusterThreshold ?? 50, unhealthyZoneThreshold: opts.unhealthyZoneThreshold ?? 0.55,
    };
  }

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#enqueue = enqueue;
    this.#nodeEvents = new ApiEventRecorder(ctx.client, 'node-controller', ctx.log);
    this.#evictionEvents = new ApiEventRecorder(ctx.client, 'taint-eviction-controller', ctx.log);
    this.#nodes = ctx.informers.informerFor(NODES);
    this.#leases = ctx.informers.informerFor(LEASES, { namespace: LEASE_NAMESPACE });
    this.#pods = ctx.informers.informerFor(PODS);
    this.#nodes.addHandler({
      add: (n) => { this.#cluster = undefined; enqueue(n.metadata.name); },
      update: (o, n) => {
        if (readyStatus(o) !== readyStatus(n)) this.#cluster = undefined; // zone health changed
        enqueue(n.metadata.name);
      },
      delete: (n) => {
        if (this.#known.delete(n.metadata.name)) this.#nodeEvents.event({ ...n, kind: 'Node', apiVersion: 'v1' }, 'Normal', 'RemovingNode', `Node ${n.metadata.name} event: Removing Node ${n.metadata.name} from Controller`);
        this.#health.delete(n.metadata.name);
        this.#lastReady.delete(n.metadata.name);
        this.#markPods.delete(n.metadata.name);
        this.#cluster = undefined;
      },
    });
    this.#leases.addHandler({ add: (l) => enqueue(l.metadata.name), update: (_o, l) => enqueue(l.metadata.name) });
    this.#pods.addHandler({
      add: (p) => this.#podChanged(undefined, p),
      update: (o, p) => this.#podChanged(o, p),
      delete: (p) => this.#podGone(p),
    });
  }

  #podChanged(old: KubeObject | undefined, pod: KubeObject): void {
    const node = pod.spec?.nodeName;
    const key = keyOf(pod);
    if (old?.spec?.nodeName && old.spec.nodeName !== node) this.#podsByNode.get(old.spec.nodeName)?.delete(key);
    if (!node) return;
    if (!this.#podsByNode.has(node)) this.#podsByNode.set(node, new Set());
    this.#podsByNode.get(node)!.add(key);
    // Only a pod on a troubled node needs its node looked at again.
    const n = this.#nodes.get(node);
    if (n && (readyStatus(n) !== 'True' || (n.spec?.taints ?? []).some((t: Taint) => t.effect === 'NoExecute'))) this.#enqueue(node);
  }

  #podGone(pod: KubeObject): void {
    const key = keyOf(pod);
    this.#podsByNode.get(pod.spec?.nodeName)?.delete(key);
    this.#evictionClock.delete(key);
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const node = this.#nodes.get(name);
    if (!node) return;
    const now = Date.now();
    if (!this.#known.has(name)) {
      this.#known.add(name);
      this.#nodeEvents.event({ ...node, kind: 'Node', apiVersion: 'v1' }, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
    }
    const cluster = this.#clusterHealth(now);

    // 1. Health: a node silent for its grace period becomes Unknown.
    const health = this.#observe(node, now);
    const grace = readyStatus(node) === undefined ? this.#startupGrace : this.#grace;
    const wakeups: number[] = [];
    if (now > health.probeMs + grace) {
      if (await this.#markUnknown(node, now)) return; // the status write brings the node back here
    } else {
      wakeups.push(health.probeMs + grace + 1);
    }

    // 2. Ready transitions: an event, and the node's pods are no longer Ready.
    const ready = readyStatus(node) ?? 'Unknown';
    const before = this.#lastReady.get(name);
    this.#lastReady.set(name, ready);
    if (ready !== 'True' && before === 'True') {
      this.#nodeEvents.event({ ...node, kind: 'Node', apiVersion: 'v1' }, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      this.#markPods.add(name);
    }
    if (ready === 'True') this.#markPods.delete(name);
    if (this.#markPods.has(name)) {
      await this.#markPodsNotReady(name);
      this.#markPods.delete(name);
    }

    // 3. Taints: NoSchedule from conditions at once; NoExecute at the zone's rate.
    const current: Taint[] = node.spec?.taints ?? [];
    let noExecute = noExecuteTaintKey(node);
    const hasNoExecute = current.some((t) => t.effect === 'NoExecute' && (t.key === 'node.kubernetes.io/not-ready' || t.key === 'node.kubernetes.io/unreachable'));
    if (cluster.allDisrupted) noExecute = undefined; // every node down: stop all evictions
    else if (noExecute && !hasNoExecute) {
      const wait = this.#takeToken(node, cluster, now);
      if (wait > 0) { noExecute = undefined; if (Number.isFinite(wait)) wakeups.push(now + wait); else wakeups.push(now + 10_000); }
    }
    const taints = withManagedTaints(current, noScheduleTaints(node), noExecute, new Date(now));
    if (!sameTaints(taints, current)) {
      await this.#ctx.client.patch(NODES, undefined, name, { metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints: taints.length ? taints : null } });
      return; // the update brings the node back here with its new taints
    }

    // 4. Taint-based eviction of the pods on this node.
    const due = await this.#evictPods(name, current.filter((t) => t.effect === 'NoExecute'), now);
    if (due !== undefined) wakeups.push(due);
    if (wakeups.length) return { requeueAfterMs: Math.max(1, Math.min(...wakeups) - Date.now()) };
  }

  /** Records signs of life: a new heartbeat in the Ready condition or a renewed lease. */
  #observe(node: KubeObject, now: number): Health {
    const name = node.metadata.name;
    const heartbeat = (node.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Ready')?.lastHeartbeatTime;
    const renewTime = this.#leases.get(`${LEASE_NAMESPACE}/${name}`)?.spec?.renewTime;
    let h = this.#health.get(name);
    if (!h) {
      // First sight: a node that never posted status is timed from its creation, others from now.
      const created = Date.parse(node.metadata.creationTimestamp ?? '') || now;
      h = { probeMs: heartbeat === undefined ? created : now, heartbeat, renewTime };
      this.#health.set(name, h);
      return h;
    }
    if (heartbeat !== h.heartbeat) { h.heartbeat = heartbeat; h.probeMs = now; }
    if (renewTime && (!h.renewTime || renewTime > h.renewTime)) { h.renewTime = renewTime; h.probeMs = now; }
    return h;
  }

  /** Sets the health conditions to Unknown as upstream words them; returns whether it wrote. */
  async #markUnknown(node: KubeObject, now: number): Promise<boolean> {
    const next = structuredClone(node);
    const conditions: KubeObject[] = next.status.conditions ??= [];
    let changed = false;
    for (const type of HEALTH_CONDITIONS) {
      const c = conditions.find((x) => x.type === type);
      if (!c) {
        conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: stamp(now) });
        changed = true;
      } else if (c.status !== 'Unknown') {
        Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: stamp(now) });
        changed = true;
      }
    }
    if (!changed) return false;
    this.#ctx.log.info('node stopped posting status; marking it Unknown', { node: node.metadata.name });
    await this.#ctx.client.update(NODES, undefined, next, 'status');
    return true;
  }

  /** Upstream MarkPodsNotReady: the Ready condition of each pod on the node goes False. */
  async #markPodsNotReady(name: string): Promise<void> {
    for (const key of this.#podsByNode.get(name) ?? []) {
      const pod = this.#pods.get(key);
      if (!pod || pod.spec?.nodeName !== name) continue;
      const ready = (pod.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const conditions = pod.status.conditions.map((c: KubeObject) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: stamp(Date.now()) } : c));
      try {
        await this.#ctx.client.patch(PODS, pod.metadata.namespace, pod.metadata.name, { metadata: { resourceVersion: pod.metadata.resourceVersion }, status: { conditions } }, 'merge', 'status');
        this.#nodeEvents.event({ ...pod, kind: 'Pod', apiVersion: 'v1' }, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
    }
  }

  /** Zone health, recomputed at most every 200 ms; entering or leaving "all disrupted" revisits every node. */
  #clusterHealth(now: number): ClusterHealth {
    if (this.#cluster && now - this.#cluster.at < 200) return this.#cluster.health;
    const health = clusterHealth(this.#nodes.list(), this.#zones);
    this.#cluster = { at: now, health };
    if (health.allDisrupted !== this.#allDisrupted) {
      this.#allDisrupted = health.allDisrupted;
      this.#ctx.log.info(health.allDisrupted
        ? 'Controller detected that all Nodes are not-Ready. Entering master disruption mode'
        : 'Controller detected that some Nodes are Ready. Exiting master disruption mode');
      // Leaving it, every node gets a fresh grace period, as upstream.
      if (!health.allDisrupted) for (const h of this.#health.values()) h.probeMs = now;
      for (const n of this.#nodes.list()) this.#enqueue(n.metadata.name);
    }
    return health;
  }

  /** Takes the zone's token for one NoExecute taint; returns 0, or how long to wait (Infinity: stopped). */
  #takeToken(node: KubeObject, cluster: ClusterHealth, now: number): number {
    const zone = zoneOf(node);
    const z = cluster.zones.get(zone);
    const qps = z ? zoneEvictionQps(z.state, z.size, this.#zones) : this.#zones.evictionQps;
    if (qps <= 0) return Infinity;
    const b = this.#buckets.get(zone) ?? { tokens: 1, at: now };
    b.tokens = Math.min(1, b.tokens + ((now - b.at) / 1000) * qps);
    b.at = now;
    this.#buckets.set(zone, b);
    if (b.tokens >= 1) { b.tokens -= 1; return 0; }
    return Math.ceil(((1 - b.tokens) / qps) * 1000);
  }

  /** Deletes the pods whose tolerations of the node's NoExecute taints ran out; returns the next due time. */
  async #evictPods(name: string, noExecute: Taint[], now: number): Promise<number | undefined> {
    let next: number | undefined;
    for (const key of [...(this.#podsByNode.get(name) ?? [])]) {
      const pod = this.#pods.get(key);
      if (!pod || pod.spec?.nodeName !== name) continue;
      if (!noExecute.length) { this.#evictionClock.delete(key); continue; }
      if (pod.metadata.deletionTimestamp) continue;
      const seconds = tolerationSeconds(pod, noExecute);
      if (seconds === Infinity) continue;
      const since = this.#evictionClock.get(key) ?? now;
      this.#evictionClock.set(key, since);
      const due = since + seconds * 1000;
      if (due > now) { next = Math.min(next ?? Infinity, due); continue; }
      await this.#evict(pod);
      this.#evictionClock.delete(key);
    }
    return next;
  }

  /** Upstream taint manager: a DisruptionTarget condition, an event, then a graceful delete. */
  async #evict(pod: KubeObject): Promise<void> {
    const { namespace, name, uid } = pod.metadata;
    this.#ctx.log.info('evicting pod from a NoExecute-tainted node', { pod: `${namespace}/${name}`, node: pod.spec.nodeName });
    this.#evictionEvents.event({ ...pod, kind: 'Pod', apiVersion: 'v1' }, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace}/${name}`);
    const conditions = (pod.status?.conditions ?? []).filter((c: KubeObject) => c.type !== 'DisruptionTarget');
    conditions.push({ type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: stamp(Date.now()), reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });
    try {
      await this.#ctx.client.patch(PODS, namespace, name, { metadata: { uid }, status: { conditions } }, 'merge', 'status');
      await this.#ctx.client.delete(PODS, namespace, name, { preconditions: { uid } });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }
}
