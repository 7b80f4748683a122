// The pure part of a scheduling cycle: PreFilter, Filter over (a share of) the nodes starting
// where the last cycle stopped, Score, and the choice of host. Throws FitError when no node fits.
import type { CycleState } from './framework/cycle-state.ts';
import { FitError, newDiagnosis } from './framework/fit-error.ts';
import type { Framework } from './framework/framework.ts';
import type { NodeInfo } from './framework/node-info.ts';
import type { PodInfo } from './framework/pod-info.ts';
import { Status } from './framework/status.ts';

/** Below this many nodes every node is filtered; above, a share (upstream's minFeasibleNodesToFind). */
const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENT = 5;

/** How many feasible nodes are enough to stop filtering (upstream's adaptive percentageOfNodesToScore). */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES) return numAllNodes;
  let p = percentage;
  if (p === 0) p = Math.max(MIN_FEASIBLE_PERCENT, 50 - Math.trunc(numAllNodes / 125));
  return Math.max(MIN_FEASIBLE_NODES, Math.trunc((numAllNodes * p) / 100));
}

export interface ScheduleResult { nodeName: string; evaluatedNodes: number; feasibleNodes: number }

export class PodScheduler {
  #nextStartNodeIndex = 0;
  readonly #percentageOfNodesToScore: number;

  constructor(percentageOfNodesToScore = 0) { this.#percentageOfNodesToScore = percentageOfNodesToScore; }

  schedule(fwk: Framework, state: CycleState, pod: PodInfo, nodes: NodeInfo[]): ScheduleResult {
    if (nodes.length === 0) throw new Error('no nodes available to schedule pods');
    const diagnosis = newDiagnosis();
    const pre = fwk.runPreFilter(state, pod, nodes);
    if (!pre.isSuccess()) {
      if (!pre.isRejected()) throw new Error(`running PreFilter plugin "${pre.plugin}": ${pre.message()}`);
      diagnosis.preFilterMsg = pre.message();
      diagnosis.unschedulablePlugins.add(pre.plugin);
      for (const n of nodes) diagnosis.nodeToStatus.set(n.name, pre);
      throw new FitError(nodes.length, diagnosis);
    }

    // A node nominated by an earlier preemption is tried first.
    const nominated = pod.pod.status?.nominatedNodeName;
    if (nominated) {
      const n = fwk.node(nominated);
      if (n && fwk.runFilterWithNominatedPods(state, pod, n).isSuccess()) return { nodeName: n.name, evaluatedNodes: 1, feasibleNodes: 1 };
    }

    let candidates = nodes;
    if (state.nodeNames) {
      const plugins = [...new Set(state.narrowedBy)].sort().join(' ');
      if (state.nodeNames.size === 0) {
        diagnosis.preFilterMsg = `node(s) didn't satisfy plugin(s) [${plugins}] simultaneously`;
        throw new FitError(nodes.length, diagnosis);
      }
      candidates = nodes.filter((n) => state.nodeNames!.has(n.name));
      diagnosis.absentNodesStatus = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${plugins}]`);
      for (const p of state.narrowedBy) diagnosis.unschedulablePlugins.add(p);
    }
    const feasible = candidates.length ? this.#findFeasible(fwk, state, pod, candidates, diagnosis) : [];
    if (feasible.length === 0) throw new FitError(nodes.length, diagnosis);
    if (feasible.length === 1) return { nodeName: feasible[0]!.name, evaluatedNodes: diagnosis.nodeToStatus.size + 1, feasibleNodes: 1 };
    const scores = fwk.runScore(state, pod, feasible);
    return { nodeName: selectHost(scores), evaluatedNodes: diagnosis.nodeToStatus.size + feasible.length, feasibleNodes: feasible.length };
  }

  #findFeasible(fwk: Framework, state: CycleState, pod: PodInfo, nodes: NodeInfo[], diagnosis: ReturnType<typeof newDiagnosis>): NodeInfo[] {
    const want = numFeasibleNodesToFind(nodes.length, this.#percentageOfNodesToScore);
    const feasible: NodeInfo[] = [];
    const start = this.#nextStartNodeIndex % nodes.length;
    let processed = 0;
    for (; processed < nodes.length && feasible.length < want; processed++) {
      const node = nodes[(start + processed) % nodes.length]!;
      const status: Status = fwk.runFilterWithNominatedPods(state, pod, node);
      if (status.isSuccess()) { feasible.push(node); continue; }
      if (!status.isRejected()) throw new Error(`running "${status.plugin}" filter plugin: ${status.message()}`);
      diagnosis.nodeToStatus.set(node.name, status);
      diagnosis.unschedulablePlugins.add(status.plugin);
    }
    this.#nextStartNodeIndex = (start + processed) % nodes.length;
    return feasible;
  }
}

/** The highest score; ties broken uniformly at random (reservoir sampling, as upstream). */
export function selectHost(scores: { name: string; score: number }[]): string {
  let best = scores[0]!;
  let ties = 1;
  for (let i = 1; i < scores.length; i++) {
    const s = scores[i]!;
    if (s.score > best.score) { best = s; ties = 1; }
    else if (s.score === best.score && Math.random() * ++ties < 1) best = s;
  }
  return best.name;
}
