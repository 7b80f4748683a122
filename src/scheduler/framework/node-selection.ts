// Matching a pod's node selector, node affinity terms and tolerations against a Node: shared by
// NodeAffinity, TaintToleration, NodeUnschedulable and PodTopologySpread (upstream's component-helpers).
import type { KubeObject } from '../../client/index.ts';

type Labels = Record<string, string>;

function requirementMatches(req: KubeObject, value: string | undefined): boolean {
  const values: string[] = req.values ?? [];
  switch (req.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0]!)) return false;
      const a = BigInt(value);
      const b = BigInt(values[0]!);
      return req.operator === 'Gt' ? a > b : a < b;
    }
    default: return false;
  }
}

/** One NodeSelectorTerm: all expressions and fields hold; a term with neither matches nothing. */
export function nodeSelectorTermMatches(term: KubeObject, node: KubeObject): boolean {
  const exprs: KubeObject[] = term?.matchExpressions ?? [];
  const fields: KubeObject[] = term?.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels: Labels = node.metadata?.labels ?? {};
  for (const e of exprs) if (!requirementMatches(e, Object.hasOwn(labels, e.key) ? labels[e.key] : undefined)) return false;
  for (const f of fields) {
    const value = f.key === 'metadata.name' ? node.metadata?.name : undefined;
    if (!requirementMatches(f, value)) return false;
  }
  return true;
}

/** A NodeSelector: any of its terms matches. */
export function nodeSelectorMatches(selector: KubeObject, node: KubeObject): boolean {
  return (selector?.nodeSelectorTerms ?? []).some((t: KubeObject) => nodeSelectorTermMatches(t, node));
}

/** spec.nodeSelector and the required node affinity both hold (upstream's RequiredNodeAffinity). */
export function podMatchesNodeSelectorAndAffinity(pod: KubeObject, node: KubeObject): boolean {
  const labels: Labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries<string>(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return !required || nodeSelectorMatches(required, node);
}

export function tolerates(toleration: KubeObject, taint: KubeObject): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists': return true;
    case 'Equal': case '': return (toleration.value ?? '') === (taint.value ?? '');
    default: return false;
  }
}

/** The first taint (of the given effects) no toleration tolerates. */
export function firstUntoleratedTaint(taints: KubeObject[], tolerations: KubeObject[], effects: string[]): KubeObject | undefined {
  return taints.find((t) => effects.includes(t.effect) && !tolerations.some((tol) => tolerates(tol, t)));
}
