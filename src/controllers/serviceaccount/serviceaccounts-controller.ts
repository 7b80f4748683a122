// The service accounts controller (upstream pkg/controller/serviceaccount): every active
// namespace has a `default` ServiceAccount; one deleted is created again.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { ResourceRef } from '../../client/api-client.ts';
import type { Informer } from '../../client/informer.ts';
import { isAlreadyExists, isNotFound } from '../../api/status.ts';

const NAMESPACES: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const SERVICE_ACCOUNTS: ResourceRef = { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true };

export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** A create refused because the namespace is going away is not an error. */
export const isNamespaceTerminating = (e: unknown): boolean =>
  (e as { code?: number }).code === 403 && /because it is being terminated/.test(String((e as Error).message));

export class ServiceAccountsController implements Controller {
  readonly name = 'serviceaccount';
  readonly #ensure: string[];
  #ctx!: ControllerContext;
  #namespaces!: Informer;
  #accounts!: Informer;

  constructor(accounts: string[] = [DEFAULT_SERVICE_ACCOUNT]) { this.#ensure = accounts; }

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#namespaces = ctx.informers.informerFor(NAMESPACES);
    this.#accounts = ctx.informers.informerFor(SERVICE_ACCOUNTS);
    this.#namespaces.addHandler({ add: (ns) => enqueue(ns.metadata.name), update: (_o, ns) => enqueue(ns.metadata.name) });
    this.#accounts.addHandler({ delete: (sa) => enqueue(sa.metadata.namespace) });
  }

  async reconcile(namespace: string): Promise<ReconcileResult | void> {
    const ns = this.#namespaces.get(namespace);
    if (!ns || ns.status?.phase !== 'Active') return;
    const failures: string[] = [];
    for (const name of this.#ensure) {
      if (this.#accounts.get(`${namespace}/${name}`)) continue;
      try {
        await this.#ctx.client.create(SERVICE_ACCOUNTS, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
      } catch (e) {
        if (isAlreadyExists(e) || isNamespaceTerminating(e) || isNotFound(e)) continue;
        failures.push((e as Error).message);
      }
    }
    if (failures.length) throw new Error(failures.join('; '));
  }
}
