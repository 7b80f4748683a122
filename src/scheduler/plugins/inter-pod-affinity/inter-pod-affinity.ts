// Filter: required pod affinity (some matching pod in the node's topology domain), required
// anti-affinity (none), and the anti-affinity of pods already placed (they must not object to
// this pod). Score: preferred terms both ways, and existing pods' required affinity, summed per
// topology domain and scaled between the lowest and highest node.
import type { Labels } from '../../../api/selectors/index.ts';
import type { KubeObject } from '../../../client/index.ts';
import type { StateData } from '../../framework/cycle-state.ts';
import { MAX_NODE_SCORE, type Handle, type Plugin, type PluginFactory } from '../../framework/interface.ts';
import type { NodeInfo } from '../../framework/node-info.ts';
import { termMatches, type AffinityTerm, type PodInfo } from '../../framework/pod-info.ts';
import { Status } from '../../framework/status.ts';
import type { CycleState } from '../../framework/cycle-state.ts';

export const NAME = 'InterPodAffinity';
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
/** Weight of an existing pod's required affinity towards the incoming pod when scoring. */
const HARD_POD_AFFINITY_WEIGHT = 1;

const PRE_FILTER_KEY = `PreFilter${NAME}`;
const PRE_SCORE_KEY = `PreScore${NAME}`;

type Counts = Map<string, number>;
const pair = (key: string, value: string) => `${key}\u0000${value}`;

function bump(m: Counts, k: string, d: number): void {
  const n = (m.get(k) ?? 0) + d;
  if (n === 0) m.delete(k); else m.set(k, n);
}

class PreFilterState implements StateData {
  existingAntiAffinity: Counts = new Map();
  affinity: Counts = new Map();
  antiAffinity: Counts = new Map();
  clone(): PreFilterState {
    const c = new PreFilterState();
    c.existingAntiAffinity = new Map(this.existingAntiAffinity);
    c.affinity = new Map(this.affinity);
    c.antiAffinity = new Map(this.antiAffinity);
    return c;
  }
}

/** Counts what one placed pod contributes, with sign d (+1 added, −1 removed). */
function account(s: PreFilterState, incoming: PodInfo, existing: PodInfo, nodeLabels: Labels, ns: (n: string) => Labels | undefined, d: number): void {
  for (const t of existing.requiredAntiAffinity) {
    const v = nodeLabels[t.topologyKey];
    if (v !== undefined && termMatches(t, incoming.pod, ns)) bump(s.existingAntiAffinity, pair(t.topologyKey, v), d);
  }
  if (incoming.requiredAffinity.length && incoming.requiredAffinity.every((t) => termMatches(t, existing.pod, ns))) {
    for (const t of incoming.requiredAffinity) {
      const v = nodeLabels[t.topologyKey];
      if (v !== undefined) bump(s.affinity, pair(t.topologyKey, v), d);
    }
  }
  for (const t of incoming.requiredAntiAffinity) {
    const v = nodeLabels[t.topologyKey];
    if (v !== undefined && termMatches(t, existing.pod, ns)) bump(s.antiAffinity, pair(t.topologyKey, v), d);
  }
}

function nodeHasAny(labels: Labels, counts: Counts): boolean {
  for (const [k, v] of Object.entries(labels)) if ((counts.get(pair(k, v)) ?? 0) > 0) return true;
  return false;
}

function satisfiesAffinity(s: PreFilterState, pod: PodInfo, labels: Labels, ns: (n: string) => Labels | undefined): boolean {
  let podsExist = true;
  for (const t of pod.requiredAffinity) {
    const v = labels[t.topologyKey];
    if (v === undefined) return false;
    if ((s.affinity.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group that selects itself may go anywhere its terms' keys exist.
  return s.affinity.size === 0 && pod.requiredAffinity.every((t) => termMatches(t, pod.pod, ns));
}

class ScoreState implements StateData {
  /** topologyKey → value → score. */
  scores = new Map<string, Map<string, number>>();
  clone(): ScoreState { return this; }
}

function addTerm(st: ScoreState, t: AffinityTerm, target: KubeObject, nodeLabels: Labels, weight: number, ns: (n: string) => Labels | undefined): void {
  const v = nodeLabels[t.topologyKey];
  if (v === undefined || weight === 0 || !termMatches(t, target, ns)) return;
  let m = st.scores.get(t.topologyKey);
  if (!m) st.scores.set(t.topologyKey, (m = new Map()));
  m.set(v, (m.get(v) ?? 0) + weight);
}

export const newInterPodAffinity: PluginFactory = (_args, handle: Handle): Plugin => {
  const ns = (n: string) => handle.namespaceLabels(n);
  return {
    name: NAME,
    events: () => [{ resource: 'AssignedPod', actions: ['All'] }, { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] }, { resource: 'UnscheduledPod', actions: ['UpdatePodLabel'] }],
    preFilter(state: CycleState, pod, nodes) {
      const own = pod.requiredAffinity.length > 0 || pod.requiredAntiAffinity.length > 0;
      const s = new PreFilterState();
      for (const n of nodes) {
        if (!own && n.podsWithRequiredAntiAffinity === 0) continue;
        for (const existing of n.pods.values()) {
          if (!own && existing.requiredAntiAffinity.length === 0) continue;
          account(s, pod, existing, n.labels, ns, 1);
        }
      }
      if (!own && s.existingAntiAffinity.size === 0) return Status.skip();
      state.write(PRE_FILTER_KEY, s);
    },
    addPod(state, pod, added, node) {
      const s = state.read<PreFilterState>(PRE_FILTER_KEY);
      if (s) account(s, pod, added, node.labels, ns, 1);
    },
    removePod(state, pod, removed, node) {
      const s = state.read<PreFilterState>(PRE_FILTER_KEY);
      if (s) account(s, pod, removed, node.labels, ns, -1);
    },
    filter(state, pod, node) {
      const s = state.read<PreFilterState>(PRE_FILTER_KEY);
      if (!s) return Status.error('InterPodAffinity PreFilter state missing');
      const labels = node.labels;
      if (pod.requiredAffinity.length && !satisfiesAffinity(s, pod, labels, ns)) return Status.unresolvable(ERR_REASON_AFFINITY);
      if (pod.requiredAntiAffinity.length) {
        for (const t of pod.requiredAntiAffinity) {
          const v = labels[t.topologyKey];
          if (v !== undefined && (s.antiAffinity.get(pair(t.topologyKey, v)) ?? 0) > 0) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
        }
      }
      if (s.existingAntiAffinity.size && nodeHasAny(labels, s.existingAntiAffinity)) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
    },
    preScore(state, pod, _nodes) {
      const own = pod.preferredAffinity.length > 0 || pod.preferredAntiAffinity.length > 0;
      const all: NodeInfo[] = handle.nodes();
      const st = new ScoreState();
      for (const n of all) {
        if (!own && n.podsWithAffinity === 0) continue;
        const labels = n.labels;
        for (const existing of n.pods.values()) {
          for (const t of pod.preferredAffinity) addTerm(st, t, existing.pod, labels, t.weight, ns);
          for (const t of pod.preferredAntiAffinity) addTerm(st, t, existing.pod, labels, -t.weight, ns);
          for (const t of existing.requiredAffinity) addTerm(st, t, pod.pod, labels, HARD_POD_AFFINITY_WEIGHT, ns);
          for (const t of existing.preferredAffinity) addTerm(st, t, pod.pod, labels, t.weight, ns);
          for (const t of existing.preferredAntiAffinity) addTerm(st, t, pod.pod, labels, -t.weight, ns);
        }
      }
      if (st.scores.size === 0) return Status.skip();
      state.write(PRE_SCORE_KEY, st);
    },
    score(state, _pod, node) {
      const st = state.read<ScoreState>(PRE_SCORE_KEY)!;
      let sum = 0;
      for (const [key, values] of st.scores) {
        const v = node.labels[key];
        if (v !== undefined) sum += values.get(v) ?? 0;
      }
      return sum;
    },
    normalizeScore(_state, _pod, scores) {
      let min = Infinity, max = -Infinity;
      for (const s of scores) { min = Math.min(min, s.score); max = Math.max(max, s.score); }
      const diff = max - min;
      for (const s of scores) s.score = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (s.score - min)) / diff) : 0;
    },
  };
};
