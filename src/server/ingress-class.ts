// The IngressClass of the built-in ingress controller, the cluster's default (as k3s makes
// traefik's): created once through the API, then left to the user to change.
import type { ApiClient } from '../client/api-client.ts';
import { isStatusError } from '../api/status.ts';

export const INGRESS_CLASS = 'navarch';
export const INGRESS_CONTROLLER = 'navarch.io/ingress-controller';
const CLASSES = { group: 'networking.k8s.io', version: 'v1', plural: 'ingressclasses', namespaced: false };

export async function ensureDefaultIngressClass(client: ApiClient): Promise<void> {
  try {
    await client.create(CLASSES, undefined, {
      apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
      metadata: { name: INGRESS_CLASS, annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: INGRESS_CONTROLLER },
    });
  } catch (err) {
    if (!(isStatusError(err) && err.code === 409)) throw err;
  }
}
