// Whether a DaemonSet's pod belongs on a node (upstream NodeShouldRunDaemonPod with the
// scheduler predicates it uses): the template's nodeName, nodeSelector and required node
// affinity must fit the node, and the node's NoSchedule/NoExecute taints must be tolerated,
// counting the tolerations every daemon pod gets.
import type { KubeObject } from '../../client/api-client.ts';
import { newRequirement, requirementMatches, type LabelOperator } from '../../api/selectors/index.ts';

/** Tolerations the controller adds to every daemon pod (upstream AddOrUpdateDaemonPodTolerations). */
export function daemonPodTolerations(podSpec: KubeObject): KubeObject[] {
  const t = (key: string, effect: string) => ({ key, operator: 'Exists', effect });
  return [
    t('node.kubernetes.io/not-ready', 'NoExecute'),
    t('node.kubernetes.io/unreachable', 'NoExecute'),
    t('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    t('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    t('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    t('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ...(podSpec.hostNetwork ? [t('node.kubernetes.io/network-unavailable', 'NoSchedule')] : []),
  ];
}

const sameToleration = (a: KubeObject, b: KubeObject) =>
  (a.key ?? '') === (b.key ?? '') && (a.operator || 'Equal') === (b.operator || 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');

/** podSpec's tolerations with the daemon ones added (an identical one is replaced, not repeated). */
export function withDaemonTolerations(podSpec: KubeObject): KubeObject[] {
  const out: KubeObject[] = [...(podSpec.tolerations ?? [])];
  for (const d of daemonPodTolerations(podSpec)) {
    const i = out.findIndex((x) => sameToleration(x, d));
    if (i >= 0) out[i] = d; else out.push(d);
  }
  return out;
}

export function toleratesTaint(toleration: KubeObject, taint: KubeObject): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const op = toleration.operator || 'Equal';
  if (op === 'Exists') return true;
  return op === 'Equal' && (toleration.value ?? '') === (taint.value ?? '');
}

function untoleratedTaint(taints: KubeObject[], tolerations: KubeObject[], effects: string[]): KubeObject | undefined {
  return taints.find((taint) => effects.includes(taint.effect) && !tolerations.some((t) => toleratesTaint(t, taint)));
}

const NODE_OPERATORS: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };

function requirementHolds(req: KubeObject, values: Record<string, string>): boolean {
  const op = NODE_OPERATORS[req.operator];
  if (!op) return false;
  try {
    return requirementMatches(newRequirement(req.key, op, req.values ?? []), values);
  } catch {
    return false; // an invalid requirement matches nothing
  }
}

/** One term of a NodeSelector: all its expressions and fields hold; an empty term matches nothing. */
function termMatches(term: KubeObject, node: KubeObject): boolean {
  const exprs: KubeObject[] = term.matchExpressions ?? [];
  const fields: KubeObject[] = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  const labels = node.metadata?.labels ?? {};
  return exprs.every((r) => requirementHolds(r, labels)) &&
    fields.every((r) => r.key === 'metadata.name' && requirementHolds(r, { 'metadata.name': node.metadata.name }));
}

/** The pod's nodeSelector and required node affinity (any term) fit the node. */
export function fitsNodeAffinity(podSpec: KubeObject, node: KubeObject): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(podSpec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = podSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t: KubeObject) => termMatches(t, node));
}

export interface NodeFit {
  /** A daemon pod should be created on the node. */
  shouldRun: boolean;
  /** An existing daemon pod may stay (it tolerates the node's NoExecute taints). */
  shouldContinueRunning: boolean;
}

export function nodeShouldRunDaemonPod(node: KubeObject, ds: KubeObject): NodeFit {
  const spec = ds.spec?.template?.spec ?? {};
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!fitsNodeAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints: KubeObject[] = node.spec?.taints ?? [];
  const tolerations = withDaemonTolerations(spec);
  if (untoleratedTaint(taints, tolerations, ['NoSchedule', 'NoExecute'])) {
    return { shouldRun: false, shouldContinueRunning: !untoleratedTaint(taints, tolerations, ['NoExecute']) };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/** The node a daemon pod is for: its nodeName, or the node its metadata.name affinity pins it to. */
export function targetNodeName(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms: KubeObject[] = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** The pod's affinity with its required node terms replaced by one pinning it to nodeName. */
export function pinToNode(affinity: KubeObject | undefined, nodeName: string): KubeObject {
  const terms = [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }];
  const out = structuredClone(affinity ?? {});
  out.nodeAffinity ??= {};
  out.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { ...(out.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? {}), nodeSelectorTerms: terms };
  return out;
}
