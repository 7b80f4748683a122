// Filter (whenUnsatisfiable: DoNotSchedule): placing the pod must keep the difference between
// its topology domain's matching-pod count and the emptiest domain's within maxSkew. Score
// (ScheduleAnyway): fewer matching pods in the node's domains is better.
import { LabelSelector, labelSelectorFromObject, newRequirement, type Labels } from '../../../api/selectors/index.ts';
import type { KubeObject } from '../../../client/index.ts';
import type { CycleState, StateData } from '../../framework/cycle-state.ts';
import { MAX_NODE_SCORE, type Handle, type Plugin, type PluginFactory } from '../../framework/interface.ts';
import type { NodeInfo } from '../../framework/node-info.ts';
import { firstUntoleratedTaint, podMatchesNodeSelectorAndAffinity } from '../../framework/node-selection.ts';
import type { PodInfo } from '../../framework/pod-info.ts';
import { Status } from '../../framework/status.ts';

export const NAME = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;
const HOSTNAME = 'kubernetes.io/hostname';

const PRE_FILTER_KEY = `PreFilter${NAME}`;
const PRE_SCORE_KEY = `PreScore${NAME}`;

export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

export function constraintsOf(pod: KubeObject, when: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const labels: Labels = pod.metadata?.labels ?? {};
  return (pod.spec?.topologySpreadConstraints ?? []).filter((c: KubeObject) => c.whenUnsatisfiable === when).map((c: KubeObject): Constraint => {
    let selector = labelSelectorFromObject(c.labelSelector);
    const extra = (c.matchLabelKeys ?? []).filter((k: string) => Object.hasOwn(labels, k)).map((k: string) => newRequirement(k, 'in', [labels[k]!]));
    if (extra.length && !selector.matchesNothing()) selector = new LabelSelector([...selector.requirements, ...extra]);
    return {
      maxSkew: c.maxSkew ?? 1, topologyKey: c.topologyKey, selector, minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor', honorNodeTaints: c.nodeTaintsPolicy === 'Honor',
    };
  });
}

/** Whether the node's pods count at all for this pod: the node's labels and policies admit it. */
function nodeCounts(pod: PodInfo, node: NodeInfo, cs: Constraint[]): boolean {
  if (!node.node) return false;
  if (!cs.every((c) => Object.hasOwn(node.labels, c.topologyKey))) return false;
  if (cs.some((c) => c.honorNodeAffinity) && !podMatchesNodeSelectorAndAffinity(pod.pod, node.node)) return false;
  if (cs.some((c) => c.honorNodeTaints) && firstUntoleratedTaint(node.node.spec?.taints ?? [], pod.pod.spec?.tolerations ?? [], ['NoSchedule', 'NoExecute'])) return false;
  return true;
}

function countMatching(node: NodeInfo, c: Constraint, namespace: string): number {
  let n = 0;
  for (const p of node.pods.values()) {
    if (p.namespace === namespace && !p.pod.metadata.deletionTimestamp && c.selector.matches(p.labels)) n++;
  }
  return n;
}

class PreFilterState implements StateData {
  constraints: Constraint[] = [];
  /** Per constraint: topology value → matching pods. */
  counts: Map<string, number>[] = [];
  #min: (number | undefined)[] = [];

  minMatch(i: number): number {
    let m = this.#min[i];
    if (m === undefined) {
      const c = this.constraints[i]!;
      const counts = this.counts[i]!;
      m = Infinity;
      for (const v of counts.values()) if (v < m) m = v;
      if (m === Infinity || counts.size < c.minDomains) m = 0;
      this.#min[i] = m;
    }
    return m;
  }

  update(pod: PodInfo, changed: PodInfo, node: NodeInfo, d: number): void {
    if (changed.namespace !== pod.namespace || !nodeCounts(pod, node, this.constraints)) return;
    this.constraints.forEach((c, i) => {
      if (!c.selector.matches(changed.labels)) return;
      const v = node.labels[c.topologyKey]!;
      this.counts[i]!.set(v, (this.counts[i]!.get(v) ?? 0) + d);
      this.#min[i] = undefined;
    });
  }

  clone(): PreFilterState {
    const s = new PreFilterState();
    s.constraints = this.constraints;
    s.counts = this.counts.map((m) => new Map(m));
    return s;
  }
}

class ScoreState implements StateData {
  constraints: Constraint[] = [];
  ignored = new Set<string>();
  /** Per constraint (not hostname): value → matching pods. */
  counts: Map<string, number>[] = [];
  weights: number[] = [];
  clone(): ScoreState { return this; }
}

export const newPodTopologySpread: PluginFactory = (_args, handle: Handle): Plugin => ({
  name: NAME,
  events: () => [
    { resource: 'AssignedPod', actions: ['All'] },
    { resource: 'Node', actions: ['Add', 'Delete', 'UpdateNodeLabel', 'UpdateNodeTaint'] },
    { resource: 'UnscheduledPod', actions: ['UpdatePodLabel'] },
  ],
  preFilter(state: CycleState, pod, nodes) {
    const constraints = constraintsOf(pod.pod, 'DoNotSchedule');
    if (constraints.length === 0) return Status.skip();
    const s = new PreFilterState();
    s.constraints = constraints;
    s.counts = constraints.map(() => new Map());
    for (const n of nodes) {
      if (!nodeCounts(pod, n, constraints)) continue;
      constraints.forEach((c, i) => {
        const v = n.labels[c.topologyKey]!;
        s.counts[i]!.set(v, (s.counts[i]!.get(v) ?? 0) + countMatching(n, c, pod.namespace));
      });
    }
    state.write(PRE_FILTER_KEY, s);
  },
  addPod(state, pod, added, node) { state.read<PreFilterState>(PRE_FILTER_KEY)?.update(pod, added, node, 1); },
  removePod(state, pod, removed, node) { state.read<PreFilterState>(PRE_FILTER_KEY)?.update(pod, removed, node, -1); },
  filter(state, pod, node) {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return Status.error('PodTopologySpread PreFilter state missing');
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const v = node.labels[c.topologyKey];
      if (v === undefined) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      const self = c.selector.matches(pod.labels) ? 1 : 0;
      const skew = (s.counts[i]!.get(v) ?? 0) + self - s.minMatch(i);
      if (skew > c.maxSkew) return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
  },
  preScore(state, pod, filtered) {
    const constraints = constraintsOf(pod.pod, 'ScheduleAnyway');
    if (constraints.length === 0) return Status.skip();
    const s = new ScoreState();
    s.constraints = constraints;
    s.counts = constraints.map(() => new Map());
    const sizes = constraints.map(() => 0);
    for (const n of filtered) {
      if (!constraints.every((c) => Object.hasOwn(n.labels, c.topologyKey))) { s.ignored.add(n.name); continue; }
      constraints.forEach((c, i) => {
        if (c.topologyKey === HOSTNAME) return;
        const v = n.labels[c.topologyKey]!;
        if (!s.counts[i]!.has(v)) { s.counts[i]!.set(v, 0); sizes[i]!++; }
      });
    }
    s.weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? filtered.length - s.ignored.size : sizes[i]!) + 2));
    if (constraints.some((c) => c.topologyKey !== HOSTNAME)) {
      for (const n of handle.nodes()) {
        if (!nodeCounts(pod, n, constraints)) continue;
        constraints.forEach((c, i) => {
          if (c.topologyKey === HOSTNAME) return;
          const v = n.labels[c.topologyKey]!;
          const cur = s.counts[i]!.get(v);
          if (cur !== undefined) s.counts[i]!.set(v, cur + countMatching(n, c, pod.namespace));
        });
      }
    }
    state.write(PRE_SCORE_KEY, s);
  },
  score(state, pod, node) {
    const s = state.read<ScoreState>(PRE_SCORE_KEY)!;
    if (s.ignored.has(node.name)) return 0;
    let score = 0;
    s.constraints.forEach((c, i) => {
      const v = node.labels[c.topologyKey];
      if (v === undefined) return;
      const cnt = c.topologyKey === HOSTNAME ? countMatching(node, c, pod.namespace) : (s.counts[i]!.get(v) ?? 0);
      score += cnt * s.weights[i]! + (c.maxSkew - 1);
    });
    return Math.round(score);
  },
  normalizeScore(state, _pod, scores) {
    const s = state.read<ScoreState>(PRE_SCORE_KEY)!;
    let min = Infinity, max = 0;
    for (const x of scores) {
      if (s.ignored.has(x.name)) continue;
      min = Math.min(min, x.score);
      max = Math.max(max, x.score);
    }
    for (const x of scores) {
      if (s.ignored.has(x.name)) x.score = 0;
      else if (max === 0) x.score = MAX_NODE_SCORE;
      else x.score = Math.trunc((MAX_NODE_SCORE * (max + min - x.score)) / max);
    }
  },
});
