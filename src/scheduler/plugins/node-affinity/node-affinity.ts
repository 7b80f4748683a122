// Filter: spec.nodeSelector and required node affinity must match the node's labels. Score:
// the summed weights of the preferred terms the node matches.
import type { KubeObject } from '../../../client/index.ts';
import { MAX_NODE_SCORE, type Plugin, type PluginFactory } from '../../framework/interface.ts';
import { nodeSelectorTermMatches, podMatchesNodeSelectorAndAffinity } from '../../framework/node-selection.ts';
import { Status } from '../../framework/status.ts';
import { defaultNormalizeScore } from '../normalize.ts';

export const NAME = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

/**
 * The node names the required terms pin with `metadata.name In (…)` (DaemonSet pods do), or
 * undefined when some term does not pin names and any node may match.
 */
export function requiredNodeNames(required: KubeObject | undefined): Set<string> | undefined {
  const terms: KubeObject[] = required?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return undefined;
  const out = new Set<string>();
  for (const t of terms) {
    const pins = (t.matchFields ?? []).filter((f: KubeObject) => f.key === 'metadata.name' && f.operator === 'In');
    if (pins.length === 0) return undefined;
    // Within a term, several pins intersect.
    let names = new Set<string>(pins[0].values ?? []);
    for (const p of pins.slice(1)) names = new Set([...names].filter((n) => (p.values ?? []).includes(n)));
    for (const n of names) out.add(n);
  }
  return out;
}

export const newNodeAffinity: PluginFactory = (): Plugin => ({
  name: NAME,
  events: () => [{ resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] }],
  preFilter(state, pod) {
    const spec = pod.pod.spec ?? {};
    const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && Object.keys(spec.nodeSelector ?? {}).length === 0) return Status.skip();
    const names = requiredNodeNames(required);
    if (names) state.restrictNodes(NAME, names);
  },
  filter(_state, pod, node) {
    if (!node.node || !podMatchesNodeSelectorAndAffinity(pod.pod, node.node)) return Status.unresolvable(ERR_REASON_POD);
  },
  preScore(_state, pod) {
    if (!(pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).length) return Status.skip();
  },
  score(_state, pod, node) {
    let sum = 0;
    for (const p of (pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) as KubeObject[]) {
      if (p.weight && node.node && nodeSelectorTermMatches(p.preference, node.node)) sum += p.weight;
    }
    return sum;
  },
  normalizeScore(_state, _pod, scores) { defaultNormalizeScore(MAX_NODE_SCORE, false, scores); },
});
