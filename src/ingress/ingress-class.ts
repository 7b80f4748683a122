// Which Ingresses belong to this controller, as ingress-nginx and Traefik decide it: the class
// named by spec.ingressClassName (ours by name, or any IngressClass whose spec.controller is
// ours), the legacy kubernetes.io/ingress.class annotation, or no class at all when our
// IngressClass is marked as the cluster's default. Pure.
import type { KubeObject } from '../client/api-client.ts';

export const DEFAULT_CLASS_NAME = 'navarch';
export const DEFAULT_CONTROLLER_NAME = 'navarch.io/ingress-controller';
export const ANN_INGRESS_CLASS = 'kubernetes.io/ingress.class';
export const ANN_DEFAULT_CLASS = 'ingressclass.kubernetes.io/is-default-class';

export interface ClassConfig {
  /** Our IngressClass name (spec.ingressClassName, or the legacy annotation's value). */
  className: string;
  /** Our spec.controller value in IngressClass objects. */
  controllerName: string;
}

/** Our classes: by name, or those whose spec.controller is ours; and whether one of them is the default. */
export interface ClassInfo {
  names: ReadonlySet<string>;
  isDefault: boolean;
}

export function classInfo(classes: Iterable<KubeObject>, cfg: ClassConfig): ClassInfo {
  const names = new Set<string>([cfg.className]);
  let isDefault = false;
  for (const c of classes) {
    if (c.spec?.controller !== cfg.controllerName) {
      // A class of our name that another controller implements is not ours.
      if (c.metadata?.name === cfg.className) names.delete(cfg.className);
      continue;
    }
    names.add(c.metadata?.name);
    if (c.metadata?.annotations?.[ANN_DEFAULT_CLASS] === 'true') isDefault = true;
  }
  return { names, isDefault };
}

/**
 * True when this controller serves the Ingress. The legacy annotation, when present, decides
 * on its own (the API forbids setting it together with ingressClassName).
 */
export function isOurIngress(ing: KubeObject, info: ClassInfo): boolean {
  const legacy = ing.metadata?.annotations?.[ANN_INGRESS_CLASS];
  if (typeof legacy === 'string' && legacy !== '') return info.names.has(legacy);
  const name = ing.spec?.ingressClassName;
  if (typeof name === 'string' && name !== '') return info.names.has(name);
  return info.isDefault;
}
