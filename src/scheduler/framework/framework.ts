// Runs a profile's plugins at each extension point, in profile order, and is the Handle the
// plugins get. Filters stop at the first rejection on a node (that plugin's reasons count);
// scores are normalized per plugin, then weighted and summed.
import type { ApiClient, EventRecorder, KubeObject } from '../../client/index.ts';
import type { Labels } from '../../api/selectors/index.ts';
import type { Logger } from '../../base/index.ts';
import { CycleState } from './cycle-state.ts';
import type { ClusterEventSpec } from './events.ts';
import { MAX_NODE_SCORE, type Handle, type NodeScore, type Plugin, type PluginFactory, type PostFilterResult, type Profile, type QueuedPodInfo } from './interface.ts';
import type { NodeInfo } from './node-info.ts';
import type { PodInfo } from './pod-info.ts';
import { ok, Status } from './status.ts';

/** What the scheduler lends each framework: the cache view and the API. */
export interface FrameworkEnv {
  client: ApiClient;
  recorder: EventRecorder;
  log: Logger;
  nodes(): NodeInfo[];
  node(name: string): NodeInfo | undefined;
  namespaceLabels(namespace: string): Labels | undefined;
  podDisruptionBudgets(): KubeObject[];
  nominatedPodsFor(nodeName: string): PodInfo[];
}

export class Framework implements Handle {
  readonly schedulerName: string;
  readonly plugins: Plugin[] = [];
  readonly #weights = new Map<string, number>();
  readonly #env: FrameworkEnv;

  constructor(profile: Profile, registry: ReadonlyMap<string, PluginFactory>, env: FrameworkEnv) {
    this.schedulerName = profile.schedulerName;
    this.#env = env;
    for (const p of profile.plugins) {
      const factory = registry.get(p.name);
      if (!factory) throw new Error(`scheduler profile ${profile.schedulerName}: no plugin named ${p.name}`);
      const plugin = factory(p.args ?? {}, this);
      this.plugins.push(plugin);
      this.#weights.set(p.name, p.weight ?? 1);
    }
    if (!this.plugins.some((p) => p.less)) throw new Error(`scheduler profile ${profile.schedulerName}: no queue sort plugin`);
    if (!this.plugins.some((p) => p.bind)) throw new Error(`scheduler profile ${profile.schedulerName}: no bind plugin`);
  }

  get client(): ApiClient { return this.#env.client; }
  get recorder(): EventRecorder { return this.#env.recorder; }
  get log(): Logger { return this.#env.log; }
  nodes(): NodeInfo[] { return this.#env.nodes(); }
  node(name: string): NodeInfo | undefined { return this.#env.node(name); }
  namespaceLabels(ns: string): Labels | undefined { return this.#env.namespaceLabels(ns); }
  podDisruptionBudgets(): KubeObject[] { return this.#env.podDisruptionBudgets(); }
  nominatedPodsFor(nodeName: string): PodInfo[] { return this.#env.nominatedPodsFor(nodeName); }

  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    return this.plugins.find((p) => p.less)!.less!(a, b);
  }

  /** Plugin name → the events it registered (for the queue). */
  events(): Map<string, ClusterEventSpec[]> {
    const out = new Map<string, ClusterEventSpec[]>();
    for (const p of this.plugins) if (p.events) out.set(p.name, p.events());
    return out;
  }

  runPreFilter(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): Status {
    for (const p of this.plugins) {
      if (!p.preFilter) continue;
      const s = ok(p.preFilter(state, pod, nodes));
      if (s.code === 'Skip') { state.skipFilter.add(p.name); continue; }
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  runFilter(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    for (const p of this.plugins) {
      if (!p.filter || state.skipFilter.has(p.name)) continue;
      let s: Status;
      try { s = ok(p.filter(state, pod, node)); } catch (err) { s = Status.error(err); }
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  runPreFilterAddPod(state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo): void {
    for (const p of this.plugins) if (p.addPod && !state.skipFilter.has(p.name)) p.addPod(state, pod, added, node);
  }

  runPreFilterRemovePod(state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo): void {
    for (const p of this.plugins) if (p.removePod && !state.skipFilter.has(p.name)) p.removePod(state, pod, removed, node);
  }

  /**
   * Filters as if pods nominated to the node (of at least this pod's priority) were already
   * there, so preemption's freed room is kept for its preemptor; then without them, since a
   * nominated pod may land elsewhere and some filters (anti-affinity) pass only with it absent.
   */
  runFilterWithNominatedPods(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    // Called for every node of every cycle: nothing is allocated when no pod is nominated there.
    const candidates = this.nominatedPodsFor(node.name);
    const nominated = candidates.length ? candidates.filter((n) => n.key !== pod.key && n.priority >= pod.priority && !node.pods.has(n.key)) : candidates;
    if (nominated.length > 0) {
      const s2 = state.clone();
      const n2 = node.clone();
      for (const n of nominated) { n2.addPod(n); this.runPreFilterAddPod(s2, pod, n, n2); }
      const s = this.runFilter(s2, pod, n2);
      if (!s.isSuccess()) return s;
    }
    return this.runFilter(state, pod, node);
  }

  async runPostFilter(state: CycleState, pod: PodInfo, statuses: Map<string, Status>): Promise<PostFilterResult> {
    let last: PostFilterResult = { status: Status.unschedulable() };
    for (const p of this.plugins) {
      if (!p.postFilter) continue;
      const r = await p.postFilter(state, pod, statuses);
      if (r.status.isSuccess() || r.status.code === 'Error') return { ...r, status: r.status.withPlugin(p.name) };
      last = r;
    }
    return last;
  }

  /** Weighted, normalized total score per node, in the order of nodes. */
  runScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): NodeScore[] {
    const totals: NodeScore[] = nodes.map((n) => ({ name: n.name, score: 0 }));
    // One list for every plugin's scores (each plugin fills it and may normalize it in place).
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: 0 }));
    for (const p of this.plugins) {
      if (!p.preScore) continue;
      const s = ok(p.preScore(state, pod, nodes));
      if (s.code === 'Skip') state.skipScore.add(p.name);
      else if (!s.isSuccess()) throw new Error(`${p.name} PreScore: ${s.message()}`);
    }
    for (const p of this.plugins) {
      if (!p.score || state.skipScore.has(p.name)) continue;
      for (let i = 0; i < nodes.length; i++) scores[i]!.score = p.score(state, pod, nodes[i]!);
      p.normalizeScore?.(state, pod, scores);
      const w = this.#weights.get(p.name) ?? 1;
      for (let i = 0; i < scores.length; i++) {
        const s = scores[i]!.score;
        if (s < 0 || s > MAX_NODE_SCORE) throw new Error(`${p.name} scored node ${scores[i]!.name} ${s}, outside 0..${MAX_NODE_SCORE}`);
        totals[i]!.score += s * w;
      }
    }
    return totals;
  }

  runReserve(state: CycleState, pod: PodInfo, nodeName: string): Status {
    for (const p of this.plugins) {
      if (!p.reserve) continue;
      const s = ok(p.reserve(state, pod, nodeName));
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  runUnreserve(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const p of [...this.plugins].reverse()) p.unreserve?.(state, pod, nodeName);
  }

  runPermit(state: CycleState, pod: PodInfo, nodeName: string): Status {
    for (const p of this.plugins) {
      if (!p.permit) continue;
      const s = ok(p.permit(state, pod, nodeName));
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  async runPreBind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status> {
    for (const p of this.plugins) {
      if (!p.preBind) continue;
      const s = ok(await p.preBind(state, pod, nodeName));
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  async runBind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status> {
    for (const p of this.plugins) {
      if (!p.bind) continue;
      const s = await p.bind(state, pod, nodeName);
      if (s.code === 'Skip') continue;
      return s.withPlugin(p.name);
    }
    return Status.error('no bind plugin bound the pod');
  }

  runPostBind(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const p of this.plugins) p.postBind?.(state, pod, nodeName);
  }

  newCycleState(): CycleState { return new CycleState(); }
}
