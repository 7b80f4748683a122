// What a DaemonSet sync should do, computed from cached nodes and pods (upstream
// daemon_controller.go podsShouldBeOnNode/manage/updateDaemonSetStatus and update.go
// rollingUpdate). Pure: the controller performs the writes.
import type { KubeObject } from '../../client/api-client.ts';
import { nodeShouldRunDaemonPod, targetNodeName } from './node-fit.ts';
import { byCreationAndPhase, isPodAvailable, isPodReady, isPodUpdated, REVISION_HASH_LABEL, templateGeneration } from './daemon-pod.ts';

export type NodePods = Map<string, KubeObject[]>;

const isTerminal = (p: KubeObject) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** Daemon pods by the node they are for; deleted pods that already finished are left out. */
export function podsByNode(pods: KubeObject[]): NodePods {
  const out: NodePods = new Map();
  for (const p of pods) {
    if (isTerminal(p) && p.metadata.deletionTimestamp) continue;
    const node = targetNodeName(p);
    if (!node) continue;
    const list = out.get(node);
    if (list) list.push(p); else out.set(node, [p]);
  }
  return out;
}

export interface ManagePlan {
  nodesNeedingPods: string[];
  podsToDelete: string[];
  /** Failed pods being replaced (reported as events). */
  failed: { pod: KubeObject; node: string }[];
}

const surgeOf = (ds: KubeObject) => ds.spec?.updateStrategy?.type === 'RollingUpdate' ? ds.spec.updateStrategy.rollingUpdate?.maxSurge : undefined;
const allowsSurge = (ds: KubeObject) => ds.spec?.updateStrategy?.type === 'RollingUpdate' && scaled(surgeOf(ds), 1) > 0;

/** An int-or-percent of total, percentages rounded up (upstream's UnavailableCount / SurgeCount). */
export function scaled(value: number | string | undefined, total: number): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  if (value.endsWith('%')) return Math.ceil((Number(value.slice(0, -1)) * total) / 100) || 0;
  return Number(value) || 0;
}

export function manage(ds: KubeObject, nodes: KubeObject[], byNode: NodePods, hash: string, now = Date.now()): ManagePlan {
  const plan: ManagePlan = { nodesNeedingPods: [], podsToDelete: [], failed: [] };
  const minReady = ds.spec?.minReadySeconds ?? 0;
  for (const node of nodes) {
    const name = node.metadata.name;
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const pods = byNode.get(name);
    if (shouldRun && !pods?.length) {
      plan.nodesNeedingPods.push(name);
    } else if (shouldContinueRunning && pods) {
      const running: KubeObject[] = [];
      for (const pod of pods) {
        if (pod.metadata.deletionTimestamp) continue;
        if (pod.status?.phase === 'Failed') { plan.failed.push({ pod, node: name }); plan.podsToDelete.push(pod.metadata.name); }
        else if (pod.status?.phase === 'Succeeded') plan.podsToDelete.push(pod.metadata.name);
        else running.push(pod);
      }
      if (running.length <= 1) continue;
      running.sort(byCreationAndPhase);
      if (!allowsSurge(ds)) {
        // More than one pod without surge: keep the oldest.
        for (const extra of running.slice(1)) plan.podsToDelete.push(extra.metadata.name);
        continue;
      }
      // With surge, an old and a new pod may overlap until the new one is available.
      let oldestNew: KubeObject | undefined;
      let oldestOld: KubeObject | undefined;
      for (const pod of running) {
        if (pod.metadata.labels?.[REVISION_HASH_LABEL] === hash) { if (!oldestNew) { oldestNew = pod; continue; } }
        else if (!oldestOld) { oldestOld = pod; continue; }
        plan.podsToDelete.push(pod.metadata.name);
      }
      if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReady, now))) plan.podsToDelete.push(oldestOld.metadata.name);
    } else if (!shouldContinueRunning && pods) {
      for (const pod of pods) if (!pod.metadata.deletionTimestamp) plan.podsToDelete.push(pod.metadata.name);
    }
  }
  // Unbound pods aimed at nodes that no longer exist will never run.
  const known = new Set(nodes.map((n) => n.metadata.name));
  for (const [node, pods] of byNode) {
    if (known.has(node)) continue;
    for (const pod of pods) if (!pod.spec?.nodeName && !pod.metadata.deletionTimestamp) plan.podsToDelete.push(pod.metadata.name);
  }
  return plan;
}

/** The node's one new and one old pod; ok=false when there are more (manage cleans that up first). */
function updatedPodsOnNode(ds: KubeObject, pods: KubeObject[], hash: string): { newPod?: KubeObject; oldPod?: KubeObject; ok: boolean } {
  let newPod: KubeObject | undefined;
  let oldPod: KubeObject | undefined;
  const generation = templateGeneration(ds);
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) { if (newPod) return { ok: false }; newPod = pod; }
    else { if (oldPod) return { ok: false }; oldPod = pod; }
  }
  return { newPod, oldPod, ok: true };
}

export interface UpdatePlan { podsToDelete: string[]; nodesToCreate: string[] }

/** One step of a rolling update within maxUnavailable (replace in place) or maxSurge (new pod first). */
export function rollingUpdate(ds: KubeObject, nodes: KubeObject[], pods: NodePods, hash: string, now = Date.now()): UpdatePlan {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const byNode: NodePods = new Map(pods);
  const nodeByName = new Map(nodes.map((n) => [n.metadata.name, n]));
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    if (!byNode.has(node.metadata.name)) byNode.set(node.metadata.name, []);
  }
  const ru = ds.spec?.updateStrategy?.rollingUpdate ?? {};
  let maxUnavailable = scaled(ru.maxUnavailable ?? 1, desired);
  const maxSurge = scaled(ru.maxSurge ?? 0, desired);
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  const available = (p: KubeObject) => isPodAvailable(p, minReady, now);

  if (maxSurge === 0) {
    let unavailable = 0;
    const replaceNow: string[] = [];
    const candidates: string[] = [];
    for (const [, list] of byNode) {
      const { newPod, oldPod, ok } = updatedPodsOnNode(ds, list, hash);
      if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) { unavailable++; continue; }
      if (newPod) { if (!available(newPod)) unavailable++; continue; }
      if (!available(oldPod!)) replaceNow.push(oldPod!.metadata.name);
      else if (unavailable < maxUnavailable) candidates.push(oldPod!.metadata.name);
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    return { podsToDelete: [...replaceNow, ...candidates.slice(0, room)], nodesToCreate: [] };
  }

  const toDelete: string[] = [];
  const shouldNotRun: string[] = [];
  const candidateNodes: string[] = [];
  const allowedNodes: string[] = [];
  let surging = 0;
  let numAvailable = 0;
  for (const [nodeName, list] of byNode) {
    const { newPod, oldPod, ok } = updatedPodsOnNode(ds, list, hash);
    if (!ok) { surging++; continue; }
    if (oldPod) { if (available(oldPod)) numAvailable++; } else if (newPod && available(newPod)) numAvailable++;
    if (!oldPod) continue;
    const node = nodeByName.get(nodeName);
    const shouldRun = node ? nodeShouldRunDaemonPod(node, ds).shouldRun : false;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun) { toDelete.push(oldPod.metadata.name); continue; }
        allowedNodes.push(nodeName);
      } else {
        if (!shouldRun) { shouldNotRun.push(oldPod.metadata.name); continue; }
        if (surging >= maxSurge) continue;
        candidateNodes.push(nodeName);
      }
    } else if (!available(newPod)) {
      surging++;
    } else {
      toDelete.push(oldPod.metadata.name);
    }
  }
  // Pods on nodes the set no longer fits go only once as many pods are available elsewhere.
  const deletable = Math.min(Math.max(0, numAvailable - desired), shouldNotRun.length);
  toDelete.push(...shouldNotRun.slice(0, deletable));
  const room = Math.min(Math.max(0, maxSurge - surging), candidateNodes.length);
  return { podsToDelete: toDelete, nodesToCreate: [...allowedNodes, ...candidateNodes.slice(0, room)] };
}

export interface DaemonSetStatus {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  numberAvailable: number;
  numberUnavailable: number;
  updatedNumberScheduled: number;
}

export function computeStatus(ds: KubeObject, nodes: KubeObject[], byNode: NodePods, hash: string, now = Date.now()): DaemonSetStatus {
  const s: DaemonSetStatus = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, numberAvailable: 0, numberUnavailable: 0, updatedNumberScheduled: 0 };
  const generation = templateGeneration(ds);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  for (const node of nodes) {
    const pods = byNode.get(node.metadata.name) ?? [];
    const scheduled = pods.length > 0;
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) { if (scheduled) s.numberMisscheduled++; continue; }
    s.desiredNumberScheduled++;
    if (!scheduled) continue;
    s.currentNumberScheduled++;
    const pod = [...pods].sort(byCreationAndPhase)[0]!;
    if (isPodReady(pod)) {
      s.numberReady++;
      if (isPodAvailable(pod, minReady, now)) s.numberAvailable++;
    }
    if (isPodUpdated(pod, hash, generation)) s.updatedNumberScheduled++;
  }
  s.numberUnavailable = s.desiredNumberScheduled - s.numberAvailable;
  return s;
}
