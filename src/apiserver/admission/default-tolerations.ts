// DefaultTolerationSeconds admission (upstream plugin/pkg/admission/defaulttolerationseconds):
// a pod that does not already tolerate the node.kubernetes.io/not-ready and /unreachable
// NoExecute taints gets tolerations for them with tolerationSeconds 300, so it is evicted five
// minutes after its node fails rather than at once.
import type { Admission } from '../rest/context.ts';
import type { KubeObject } from '../../api/registry/resource.ts';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const DEFAULT_TOLERATION_SECONDS = 300;

/** Whether one of the tolerations covers key's NoExecute taint (an empty key or effect covers all). */
const covers = (tolerations: KubeObject[], key: string) =>
  tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));

/** Adds the default not-ready/unreachable tolerations to a pod spec; returns whether it changed. */
export function addDefaultTolerations(spec: KubeObject, seconds = DEFAULT_TOLERATION_SECONDS): boolean {
  const tolerations: KubeObject[] = spec.tolerations ?? [];
  const add = [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE].filter((k) => !covers(tolerations, k));
  if (!add.length) return false;
  spec.tolerations = [...tolerations, ...add.map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }))];
  return true;
}

export const defaultTolerationSeconds: Admission = {
  name: 'DefaultTolerationSeconds',
  async admit(op, desc, obj, _old, _ctx, attrs) {
    // Pods proper, on create; upstream also looks on update, where these are already present.
    if (op !== 'CREATE' || desc.group !== '' || desc.plural !== 'pods' || attrs?.subresource) return;
    if (obj.spec) addDefaultTolerations(obj.spec);
  },
};
