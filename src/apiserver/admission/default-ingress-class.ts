// An Ingress created without a class gets the default IngressClass (upstream's
// DefaultIngressClass admission), so `kubectl get ingress` shows its CLASS. An explicit class, or
// the legacy kubernetes.io/ingress.class annotation, is kept. With several defaults the newest wins.
import type { Admission } from '../rest/context.ts';
import { resourcePrefix } from '../watchcache/keys.ts';

const IS_DEFAULT = 'ingressclass.kubernetes.io/is-default-class';
const LEGACY_CLASS = 'kubernetes.io/ingress.class';

export const defaultIngressClass: Admission = {
  name: 'DefaultIngressClass',
  async admit(op, desc, obj, _old, ctx, attrs) {
    if (op !== 'CREATE' || desc.group !== 'networking.k8s.io' || desc.plural !== 'ingresses' || attrs?.subresource) return;
    const spec = (obj.spec ??= {});
    if ((spec.ingressClassName !== undefined && spec.ingressClassName !== null) || obj.metadata?.annotations?.[LEGACY_CLASS] !== undefined) return;
    const defaults = ctx.cache.list(resourcePrefix('networking.k8s.io', 'ingressclasses')).map((c) => c.obj)
      .filter((c) => c.metadata?.annotations?.[IS_DEFAULT] === 'true');
    if (!defaults.length) return;
    defaults.sort((a, b) => {
      const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
      const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
      return ta !== tb ? tb - ta : a.metadata.name < b.metadata.name ? -1 : 1;
    });
    spec.ingressClassName = defaults[0]!.metadata.name;
  },
};
