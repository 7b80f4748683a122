// The EndpointSlice controller (upstream pkg/controller/endpointslice): for every Service with
// a selector, discovery.k8s.io/v1 EndpointSlices listing the selected pods, at most
// maxEndpointsPerSlice per slice, grouped by the ports they serve, owned by the Service and
// labelled kubernetes.io/service-name + endpointslice.kubernetes.io/managed-by. Slices of
// deleted Services go with them through garbage collection.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import { keyOf, type Informer } from '../../client/informer.ts';
import { ApiEventRecorder, type EventRecorder } from '../../client/event-recorder.ts';
import { isNotFound } from '../../api/status.ts';
import { ServicePodIndex, TriggerTimeTracker, LAST_CHANGE_TRIGGER_TIME, formatTime, serviceSelector } from '../service-endpoints/index.ts';
import { planSlices, CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, DEFAULT_MAX_ENDPOINTS_PER_SLICE } from './slice-plan.ts';
import { SliceTracker } from './slice-tracker.ts';

const SERVICES: ResourceRef = { group: '', version: 'v1', plural: 'services', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
export const ENDPOINT_SLICES: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true };
/** A pod whose Node is not known yet is retried this soon. */
const MISSING_NODE_RETRY_MS = 1000;

export interface EndpointSliceControllerOptions { maxEndpointsPerSlice?: number }

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice';
  readonly #max: number;
  #ctx!: ControllerContext;
  #recorder!: EventRecorder;
  #services!: Informer;
  #nodes!: Informer;
  #index!: ServicePodIndex;
  /** Managed slices by their Service's key. */
  readonly #slicesBySvc = new Map<string, Map<string, KubeObject>>();
  readonly #triggers = new TriggerTimeTracker();
  readonly #tracker = new SliceTracker();

  constructor(opts: EndpointSliceControllerOptions = {}) {
    this.#max = opts.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
  }

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#recorder = new ApiEventRecorder(ctx.client, 'endpoint-slice-controller', ctx.log);
    this.#services = ctx.informers.informerFor(SERVICES);
    const pods = ctx.informers.informerFor(PODS);
    this.#nodes = ctx.informers.informerFor(NODES);
    const slices = ctx.informers.informerFor(ENDPOINT_SLICES, { labelSelector: `${MANAGED_BY_LABEL}=${CONTROLLER_NAME}` });
    this.#index = new ServicePodIndex(this.#services, pods);

    this.#services.addHandler({ add: (s) => enqueue(keyOf(s)), update: (_o, s) => enqueue(keyOf(s)), delete: (s) => enqueue(keyOf(s)) });
    const podServices = (p: KubeObject) => { for (const k of this.#index.servicesFor(p.metadata.namespace, p.metadata.labels)) enqueue(k); };
    pods.addHandler({
      add: podServices,
      update: (old, p) => { for (const k of this.#index.servicesToUpdate(old, p)) enqueue(k); },
      delete: podServices,
    });
    const svcKeyOf = (s: KubeObject) => {
      const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
      return svc ? `${s.metadata.namespace}/${svc}` : undefined;
    };
    const put = (s: KubeObject) => {
      const k = svcKeyOf(s);
      if (!k) return;
      let m = this.#slicesBySvc.get(k);
      if (!m) this.#slicesBySvc.set(k, (m = new Map()));
      m.set(s.metadata.name, s);
      enqueue(k);
    };
    const remove = (s: KubeObject) => {
      const k = svcKeyOf(s);
      if (!k) return;
      const m = this.#slicesBySvc.get(k);
      m?.delete(s.metadata.name);
      if (m?.size === 0) this.#slicesBySvc.delete(k);
      enqueue(k);
    };
    // Any change to a managed slice (ours or someone else's) re-checks its Service.
    slices.addHandler({
      add: put,
      update: (old, s) => { const ok = svcKeyOf(old); if (ok && ok !== svcKeyOf(s)) remove(old); put(s); },
      delete: remove,
    });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const svc = this.#services.get(key);
    if (!svc) {
      // Slices are owned by the Service: the garbage collector removes them.
      this.#triggers.delete(key);
      this.#tracker.forget(key);
      return;
    }
    if (svc.spec?.type === 'ExternalName' || !serviceSelector(svc)) return;
    const existing = [...(this.#slicesBySvc.get(key)?.values() ?? [])].filter((s) => !s.metadata.deletionTimestamp);
    if (this.#tracker.stale(key, existing)) throw new Error('EndpointSlice informer cache is out of date');

    const pods = this.#index.podsFor(svc);
    const trigger = this.#triggers.compute(key, svc, pods);
    const plan = planSlices(svc, pods, existing, (n) => this.#nodes.get(n), this.#max);
    try {
      await this.#apply(key, svc, plan, trigger.time);
    } catch (e) {
      this.#recorder.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${key}: ${(e as Error).message}`);
      throw e;
    }
    trigger.commit();
    if (plan.missingNodes.length) return { requeueAfterMs: MISSING_NODE_RETRY_MS };
  }

  async #apply(key: string, svc: KubeObject, plan: { create: KubeObject[]; update: KubeObject[]; delete: KubeObject[] }, triggerTime: number): Promise<void> {
    const client = this.#ctx.client;
    const ns = svc.metadata.namespace;
    const stamp = (s: KubeObject) => {
      const annotations: Record<string, string> = { ...(s.metadata.annotations ?? {}) };
      if (triggerTime) annotations[LAST_CHANGE_TRIGGER_TIME] = formatTime(triggerTime);
      else delete annotations[LAST_CHANGE_TRIGGER_TIME];
      s.metadata = { ...s.metadata, annotations };
      if (!Object.keys(annotations).length) delete s.metadata.annotations;
      return s;
    };
    // A Service being deleted gets no new slices: the garbage collector is removing them.
    if (!svc.metadata.deletionTimestamp) {
      for (const s of plan.create) {
        try {
          this.#tracker.written(key, await client.create(ENDPOINT_SLICES, ns, stamp(s)));
        } catch (e) {
          if ((e as { code?: number }).code === 403 && /being terminated/.test(String((e as Error).message))) return;
          throw new Error(`failed to create EndpointSlice for Service ${key}: ${(e as Error).message}`);
        }
      }
    }
    for (const s of plan.update) {
      try {
        this.#tracker.written(key, await client.update(ENDPOINT_SLICES, ns, stamp(s)));
      } catch (e) {
        throw new Error(`failed to update ${s.metadata.name} EndpointSlice for Service ${key}: ${(e as Error).message}`);
      }
    }
    for (const s of plan.delete) {
      try {
        await client.delete(ENDPOINT_SLICES, ns, s.metadata.name);
        this.#tracker.deleted(key, s);
      } catch (e) {
        if (isNotFound(e)) continue;
        throw new Error(`failed to delete ${s.metadata.name} EndpointSlice for Service ${key}: ${(e as Error).message}`);
      }
    }
  }
}
