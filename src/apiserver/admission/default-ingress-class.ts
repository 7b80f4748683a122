// An Ingress created without a class gets the default IngressClass (upstream's
// DefaultIngressClass admission), so `kubectl get ingress` shows its CLASS. An explicit class, or
// the legacy kubernetes.io/ingress.class annotation, is kept.
import type { Admission } from '../rest/context.ts';
import { newestDefault } from './newest-default.ts';

const IS_DEFAULT = 'ingressclass.kubernetes.io/is-default-class';
const LEGACY_CLASS = 'kubernetes.io/ingress.class';

export const defaultIngressClass: Admission = {
  name: 'DefaultIngressClass',
  async admit(op, desc, obj, _old, ctx, attrs) {
    if (op !== 'CREATE' || desc.group !== 'networking.k8s.io' || desc.plural !== 'ingresses' || attrs?.subresource) return;
    const spec = (obj.spec ??= {});
    if ((spec.ingressClassName !== undefined && spec.ingressClassName !== null) || obj.metadata?.annotations?.[LEGACY_CLASS] !== undefined) return;
    const name = newestDefault(ctx, 'networking.k8s.io', 'ingressclasses', [IS_DEFAULT]);
    if (name) spec.ingressClassName = name;
  },
};
