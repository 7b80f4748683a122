// PostFilter: when a pod fits nowhere, find a node where deleting pods of lower priority makes
// room, keep as many of them as still fit (PDB-protected and more important ones first), delete
// the rest and nominate the node for the pod. Upstream's candidate choice and messages.
import type { KubeObject } from '../../../client/index.ts';
import { labelSelectorFromObject } from '../../../api/selectors/index.ts';
import type { CycleState } from '../../framework/cycle-state.ts';
import { fitErrorMessage, newDiagnosis } from '../../framework/fit-error.ts';
import type { Handle, Plugin, PluginFactory, PostFilterResult } from '../../framework/interface.ts';
import type { NodeInfo } from '../../framework/node-info.ts';
import type { PodInfo } from '../../framework/pod-info.ts';
import { Status } from '../../framework/status.ts';

export const NAME = 'DefaultPreemption';
export const REASON_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const REASON_NO_VICTIMS = 'No preemption victims found for incoming pod';
export const MSG_POLICY_NEVER = 'not eligible due to preemptionPolicy=Never.';
export const MSG_TERMINATING_ON_NOMINATED = 'not eligible due to a terminating pod on the nominated node.';
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
/** Upstream's minCandidateNodesPercentage and minCandidateNodesAbsolute. */
const MIN_CANDIDATE_PERCENT = 10;
const MIN_CANDIDATE_ABSOLUTE = 100;

export interface Candidate { node: string; victims: PodInfo[]; pdbViolations: number }

const startTime = (p: PodInfo): number => Date.parse(p.pod.status?.startTime ?? p.pod.metadata?.creationTimestamp ?? '') || 0;

/** Upstream's MoreImportantPod: higher priority, then started earlier. */
export function moreImportant(a: PodInfo, b: PodInfo): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return startTime(a) < startTime(b);
}

/** Splits victims into those whose eviction would break a PodDisruptionBudget and the others. */
function splitByPdb(victims: PodInfo[], pdbs: KubeObject[]): [PodInfo[], PodInfo[]] {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const violating: PodInfo[] = [];
  const fine: PodInfo[] = [];
  for (const v of victims) {
    let violates = false;
    pdbs.forEach((pdb, i) => {
      if (pdb.metadata.namespace !== v.namespace || !pdb.spec?.selector) return;
      const sel = labelSelectorFromObject(pdb.spec.selector);
      if (sel.isEmpty() || !sel.matches(v.labels)) return;
      allowed[i]!--;
      if (allowed[i]! < 0) violates = true;
    });
    (violates ? violating : fine).push(v);
  }
  return [violating, fine];
}

/** The fewest pods to remove from the node (a clone) for the pod to fit, or why it cannot. */
export function selectVictimsOnNode(handle: Handle, state: CycleState, pod: PodInfo, node: NodeInfo, pdbs: KubeObject[]): { victims: PodInfo[]; pdbViolations: number; status: Status } {
  const potential = [...node.pods.values()].filter((p) => p.priority < pod.priority);
  if (potential.length === 0) return { victims: [], pdbViolations: 0, status: Status.unresolvable(REASON_NO_VICTIMS) };
  for (const p of potential) { node.removePod(p.key); handle.runPreFilterRemovePod(state, pod, p, node); }
  const fits = handle.runFilterWithNominatedPods(state, pod, node);
  if (!fits.isSuccess()) return { victims: [], pdbViolations: 0, status: fits };
  potential.sort((a, b) => (moreImportant(a, b) ? -1 : moreImportant(b, a) ? 1 : 0));
  const [violating, fine] = splitByPdb(potential, pdbs);
  const victims: PodInfo[] = [];
  let pdbViolations = 0;
  const reprieve = (p: PodInfo): boolean => {
    node.addPod(p);
    handle.runPreFilterAddPod(state, pod, p, node);
    if (handle.runFilterWithNominatedPods(state, pod, node).isSuccess()) return true;
    node.removePod(p.key);
    handle.runPreFilterRemovePod(state, pod, p, node);
    victims.push(p);
    return false;
  };
  for (const p of violating) if (!reprieve(p)) pdbViolations++;
  for (const p of fine) reprieve(p);
  if (violating.length && fine.length) victims.sort((a, b) => (moreImportant(a, b) ? -1 : moreImportant(b, a) ? 1 : 0));
  return { victims, pdbViolations, status: Status.success() };
}

/** Upstream's pickOneNodeForPreemption: fewest PDB violations, lowest top victim priority, lowest priority sum, fewest victims, latest start. */
export function pickCandidate(candidates: Candidate[]): Candidate | undefined {
  const criteria: ((c: Candidate) => number)[] = [
    (c) => -c.pdbViolations,
    (c) => -(c.victims[0]?.priority ?? -Infinity),
    (c) => -c.victims.reduce((s, v) => s + v.priority + 2147483648, 0),
    (c) => -c.victims.length,
    (c) => {
      const top = c.victims[0]?.priority;
      const tops = c.victims.filter((v) => v.priority === top);
      return tops.length ? Math.min(...tops.map(startTime)) : 0;
    },
  ];
  let pool = candidates;
  for (const score of criteria) {
    if (pool.length <= 1) break;
    const best = Math.max(...pool.map(score));
    pool = pool.filter((c) => score(c) === best);
  }
  return pool[0];
}

function eligible(handle: Handle, pod: PodInfo, statuses: Map<string, Status>): string | undefined {
  if (pod.pod.spec?.preemptionPolicy === 'Never') return MSG_POLICY_NEVER;
  const nominated = pod.pod.status?.nominatedNodeName;
  if (nominated) {
    if (statuses.get(nominated)?.code === 'UnschedulableAndUnresolvable') return undefined;
    const node = handle.node(nominated);
    if (node) for (const p of node.pods.values()) if (p.pod.metadata.deletionTimestamp && p.priority < pod.priority) return MSG_TERMINATING_ON_NOMINATED;
  }
  return undefined;
}

export const newDefaultPreemption: PluginFactory = (_args, handle: Handle): Plugin => ({
  name: NAME,
  async postFilter(state, pod, statuses): Promise<PostFilterResult> {
    const notEligible = eligible(handle, pod, statuses);
    if (notEligible) return { status: Status.unschedulable(`preemption: ${notEligible}`) };
    const all = handle.nodes();
    const potential = all.filter((n) => statuses.get(n.name)?.code === 'Unschedulable');
    const diagnosis = newDiagnosis();
    diagnosis.absentNodesStatus = Status.unresolvable(REASON_NOT_HELPFUL);
    const candidates: Candidate[] = [];
    if (potential.length) {
      const pdbs = handle.podDisruptionBudgets();
      const wanted = Math.min(potential.length, Math.max(MIN_CANDIDATE_ABSOLUTE, Math.floor((potential.length * MIN_CANDIDATE_PERCENT) / 100)));
      const offset = Math.floor(Math.random() * potential.length);
      for (let i = 0; i < potential.length && candidates.length < wanted; i++) {
        const node = potential[(offset + i) % potential.length]!;
        const r = selectVictimsOnNode(handle, state.clone(), pod, node.clone(), pdbs);
        if (r.status.isSuccess() && r.victims.length) candidates.push({ node: node.name, victims: r.victims, pdbViolations: r.pdbViolations });
        else if (r.status.isSuccess()) diagnosis.nodeToStatus.set(node.name, Status.error(`expected at least one victim pod on node ${node.name}`));
        else diagnosis.nodeToStatus.set(node.name, r.status);
      }
    }
    if (candidates.length === 0) {
      return { nominatedNodeName: '', status: Status.unschedulable(`preemption: ${fitErrorMessage(all.length, diagnosis)}`) };
    }
    const best = pickCandidate(candidates);
    if (!best) return { status: Status.unschedulable('preemption: no candidate node for preemption') };
    await preempt(handle, pod, best);
    return { nominatedNodeName: best.node, status: Status.success() };
  },
});

/** Marks each victim DisruptionTarget, deletes it, and tells about it; un-nominates lower pods there. */
async function preempt(handle: Handle, pod: PodInfo, c: Candidate): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await Promise.all(c.victims.map(async (v) => {
    const { namespace, name } = v.pod.metadata;
    try {
      await handle.client.patch(PODS, namespace, name, {
        status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${handle.schedulerName}: preempting to accommodate a higher priority pod`, lastTransitionTime: now }] },
      }, 'strategic', 'status');
      await handle.client.delete(PODS, namespace, name, { preconditions: { uid: v.pod.metadata.uid } });
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
      return;
    }
    handle.recorder.event(v.pod, 'Normal', 'Preempted', `Preempted by pod ${pod.pod.metadata.uid} on node ${c.node}`);
  }));
  for (const lower of handle.nominatedPodsFor(c.node)) {
    if (lower.priority >= pod.priority || lower.key === pod.key) continue;
    await handle.client.patch(PODS, lower.namespace, lower.pod.metadata.name, { status: { nominatedNodeName: null } }, 'merge', 'status').catch(() => undefined);
  }
}
