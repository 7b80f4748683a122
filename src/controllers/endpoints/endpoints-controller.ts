// The Endpoints controller (upstream pkg/controller/endpoint): keeps one Endpoints object per
// Service with a selector, listing the selected pods' addresses (ready and not ready) per port,
// mirrors the Service's labels (plus service.kubernetes.io/headless for headless Services) and
// stamps endpoints.kubernetes.io/last-change-trigger-time. Services without a selector and
// ExternalName Services are left alone; Endpoints of deleted Services are deleted.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import { keyOf, type Informer } from '../../client/informer.ts';
import { ApiEventRecorder, type EventRecorder } from '../../client/event-recorder.ts';
import { isNotFound } from '../../api/status.ts';
import {
  ServicePodIndex, TriggerTimeTracker, LAST_CHANGE_TRIGGER_TIME, formatTime, isServiceIPSet, serviceSelector,
} from '../service-endpoints/index.ts';
import { canonicalSubsets, desiredSubsets, truncateSubsets, MAX_CAPACITY } from './subsets.ts';

const SERVICES: ResourceRef = { group: '', version: 'v1', plural: 'services', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const ENDPOINTS: ResourceRef = { group: '', version: 'v1', plural: 'endpoints', namespaced: true };

export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
/** Endpoints that hold a leader-election record have no Service and must survive the startup sweep. */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

const sameLabels = (a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean => {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => a![k] === b?.[k]);
};

export class EndpointsController implements Controller {
  readonly name = 'endpoints';
  #ctx!: ControllerContext;
  #recorder!: EventRecorder;
  #services!: Informer;
  #endpoints!: Informer;
  #index!: ServicePodIndex;
  readonly #triggers = new TriggerTimeTracker();
  /** The resourceVersion this controller last wrote per key: a cache older than it is behind. */
  readonly #written = new Map<string, number>();

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#recorder = new ApiEventRecorder(ctx.client, 'endpoint-controller', ctx.log);
    this.#services = ctx.informers.informerFor(SERVICES);
    const pods = ctx.informers.informerFor(PODS);
    this.#endpoints = ctx.informers.informerFor(ENDPOINTS);
    this.#index = new ServicePodIndex(this.#services, pods);

    this.#services.addHandler({ add: (s) => enqueue(keyOf(s)), update: (_o, s) => enqueue(keyOf(s)), delete: (s) => enqueue(keyOf(s)) });
    const podServices = (p: KubeObject) => { for (const k of this.#index.servicesFor(p.metadata.namespace, p.metadata.labels)) enqueue(k); };
    pods.addHandler({
      add: podServices,
      update: (old, p) => { for (const k of this.#index.servicesToUpdate(old, p)) enqueue(k); },
      delete: podServices,
    });
    // Endpoints left behind by Services deleted while no controller ran are found once, at startup.
    const sweep = (e: KubeObject) => { if (!e.metadata.annotations?.[LEADER_ANNOTATION]) enqueue(keyOf(e)); };
    const startupSweep = !this.#endpoints.hasSynced;
    this.#endpoints.addHandler({ add: (e) => { if (startupSweep && !this.#endpoints.hasSynced) sweep(e); }, delete: (e) => { this.#written.delete(keyOf(e)); enqueue(keyOf(e)); } });
    if (!startupSweep) for (const e of this.#endpoints.list()) sweep(e);
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace, name] = key.split('/') as [string, string];
    const client = this.#ctx.client;
    const svc = this.#services.get(key);
    if (!svc) {
      await client.delete(ENDPOINTS, namespace, name).catch((e) => { if (!isNotFound(e)) throw e; });
      this.#triggers.delete(key);
      this.#written.delete(key);
      return;
    }
    if (svc.spec?.type === 'ExternalName' || !serviceSelector(svc)) return;

    const pods = this.#index.podsFor(svc);
    const trigger = this.#triggers.compute(key, svc, pods);
    const subsets = desiredSubsets(svc, pods);

    const current = this.#endpoints.get(key);
    const written = this.#written.get(key);
    if (written !== undefined && Number(current?.metadata.resourceVersion ?? 0) < written) {
      throw new Error(`endpoints informer cache is out of date, resource version ${written} already written for endpoints ${key}`);
    }
    const svcLabels: Record<string, string> = svc.metadata.labels ?? {};
    if (current) {
      const { [HEADLESS_LABEL]: _headless, ...compareLabels } = current.metadata.labels ?? {};
      const count = (current.subsets ?? []).reduce((n: number, s: KubeObject) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
      const capacityOk = count > MAX_CAPACITY ? false : !current.metadata.annotations?.[OVER_CAPACITY];
      if (canonicalSubsets(current.subsets) === canonicalSubsets(subsets) && sameLabels(compareLabels, svcLabels) && capacityOk) { trigger.commit(); return; }
    }

    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    if (trigger.time) annotations[LAST_CHANGE_TRIGGER_TIME] = formatTime(trigger.time);
    else delete annotations[LAST_CHANGE_TRIGGER_TIME];
    if (truncateSubsets(subsets)) annotations[OVER_CAPACITY] = 'truncated';
    else delete annotations[OVER_CAPACITY];
    const labels: Record<string, string> = { ...svcLabels };
    if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = '';
    else delete labels[HEADLESS_LABEL];

    const metadata: KubeObject = current
      ? { ...current.metadata, labels, annotations }
      : { name, namespace, labels, annotations };
    if (!Object.keys(annotations).length) delete metadata.annotations;
    const desired: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata, subsets };
    try {
      const saved = current ? await client.update(ENDPOINTS, namespace, desired) : await client.create(ENDPOINTS, namespace, desired);
      this.#written.set(key, Number(saved.metadata?.resourceVersion ?? 0));
      trigger.commit();
    } catch (e) {
      // A namespace being deleted refuses new content: nothing more to do for it.
      if (!current && (e as { code?: number }).code === 403 && /being terminated/.test(String((e as Error).message))) return;
      if (!current) this.#recorder.event(desired, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${namespace}/${name}: ${(e as Error).message}`);
      else this.#recorder.event(desired, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${namespace}/${name}: ${(e as Error).message}`);
      throw e;
    }
  }
}
