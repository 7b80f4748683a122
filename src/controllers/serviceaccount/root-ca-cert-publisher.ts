// The root CA certificate publisher (upstream pkg/controller/certificates/rootcacertpublisher):
// every namespace has a ConfigMap kube-root-ca.crt carrying the CA bundle that verifies the API
// server; one changed or deleted is put back.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { ResourceRef } from '../../client/api-client.ts';
import type { Informer } from '../../client/informer.ts';
import { isNotFound } from '../../api/status.ts';
import { isNamespaceTerminating } from './serviceaccounts-controller.ts';

const NAMESPACES: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const CONFIG_MAPS: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };

export const ROOT_CA_CONFIG_MAP = 'kube-root-ca.crt';
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
export const ROOT_CA_DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. '
  + 'No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface RootCACertPublisherOptions {
  /** The PEM bundle to publish: the CA of the controller's own client configuration. */
  caPem: string;
}

export class RootCACertPublisher implements Controller {
  readonly name = 'root-ca-cert-publisher';
  readonly #caPem: string;
  #ctx!: ControllerContext;
  #namespaces!: Informer;
  #configMaps!: Informer;

  constructor(opts: RootCACertPublisherOptions) { this.#caPem = opts.caPem; }

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#namespaces = ctx.informers.informerFor(NAMESPACES);
    // Only the one ConfigMap per namespace matters; the server filters the rest out.
    this.#configMaps = ctx.informers.informerFor(CONFIG_MAPS, { fieldSelector: `metadata.name=${ROOT_CA_CONFIG_MAP}` });
    this.#namespaces.addHandler({
      add: (ns) => enqueue(ns.metadata.name),
      update: (_o, ns) => { if (ns.status?.phase === 'Active') enqueue(ns.metadata.name); },
    });
    this.#configMaps.addHandler({
      update: (_o, cm) => enqueue(cm.metadata.namespace),
      delete: (cm) => enqueue(cm.metadata.namespace),
    });
  }

  async reconcile(namespace: string): Promise<ReconcileResult | void> {
    const ns = this.#namespaces.get(namespace);
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    const client = this.#ctx.client;
    const data = { 'ca.crt': this.#caPem };
    const cm = this.#configMaps.get(`${namespace}/${ROOT_CA_CONFIG_MAP}`);
    if (!cm) {
      try {
        await client.create(CONFIG_MAPS, namespace, {
          apiVersion: 'v1', kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIG_MAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION } },
          data,
        });
      } catch (e) {
        if (isNotFound(e) || isNamespaceTerminating(e)) return;
        throw e;
      }
      return;
    }
    const current: Record<string, string> = cm.data ?? {};
    const same = Object.keys(current).length === 1 && current['ca.crt'] === this.#caPem;
    if (same && cm.metadata.annotations?.[DESCRIPTION_ANNOTATION]) return;
    await client.update(CONFIG_MAPS, namespace, {
      ...cm,
      metadata: { ...cm.metadata, annotations: { ...(cm.metadata.annotations ?? {}), [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION } },
      data,
    });
  }
}
