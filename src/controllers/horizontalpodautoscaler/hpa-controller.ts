// The horizontal pod autoscaler (upstream pkg/controller/podautoscaler/horizontal.go): every
// sync period each autoscaler reads its target's /scale, asks metrics.k8s.io for the usage of
// the pods the scale's selector picks, computes the replicas each Resource metric wants,
// stabilizes and limits the result, writes it through /scale and reports status, conditions
// and SuccessfulRescale events.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import { resourcePath, type KubeObject, type ResourceRef } from '../../client/api-client.ts';
import type { Informer } from '../../client/informer.ts';
import { discoverResources } from '../../client/discovery.ts';
import { LabelSelector } from '../../api/selectors/index.ts';
import { Quantity } from '../../api/quantity/index.ts';
import { isNotFound } from '../../api/status.ts';
import {
  averageValueReplicas, DEFAULT_CALCULATOR_OPTIONS, MetricError, podMetricsOf, resourceReplicas, type CalculatorOptions,
} from './replica-calculator.ts';
import { ScalingHistory, type Normalized } from './scaling-rules.ts';
import { setCondition } from './hpa-conditions.ts';

const HPAS: ResourceRef = { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };

export interface HorizontalPodAutoscalerOptions extends Partial<CalculatorOptions> {
  /** How often each autoscaler is evaluated (upstream --horizontal-pod-autoscaler-sync-period, 15 s). */
  syncPeriodMs?: number;
  /** Scale-down stabilization for autoscalers without a behavior (upstream default 5 min). */
  downscaleStabilizationMs?: number;
  now?: () => Date;
}

const stamp = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

interface MetricOutcome { replicas: number; name: string; status: KubeObject }

export class HorizontalPodAutoscalerController implements Controller {
  readonly name = 'horizontal-pod-autoscaler';
  readonly #syncPeriodMs: number;
  readonly #downscaleMs: number;
  readonly #calc: CalculatorOptions;
  readonly #now: () => Date;
  readonly #history = new ScalingHistory();
  #ctx!: ControllerContext;
  #hpas!: Informer;
  #pods!: Informer;
  #kinds: Map<string, ResourceRef> | undefined;

  constructor(opts: HorizontalPodAutoscalerOptions = {}) {
    this.#syncPeriodMs = opts.syncPeriodMs ?? 15_000;
    this.#downscaleMs = opts.downscaleStabilizationMs ?? 5 * 60_000;
    this.#calc = {
      tolerance: opts.tolerance ?? DEFAULT_CALCULATOR_OPTIONS.tolerance,
      cpuInitializationPeriodMs: opts.cpuInitializationPeriodMs ?? DEFAULT_CALCULATOR_OPTIONS.cpuInitializationPeriodMs,
      delayOfInitialReadinessStatusMs: opts.delayOfInitialReadinessStatusMs ?? DEFAULT_CALCULATOR_OPTIONS.delayOfInitialReadinessStatusMs,
    };
    this.#now = opts.now ?? (() => new Date());
  }

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#hpas = ctx.informers.informerFor(HPAS);
    this.#pods = ctx.informers.informerFor(PODS);
    const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
    this.#hpas.addHandler({
      add: (o) => enqueue(key(o)),
      // Our own status writes come back as updates; only a spec change needs an evaluation now.
      update: (old, o) => { if (old.metadata.generation !== o.metadata.generation) enqueue(key(o)); },
      delete: (o) => { this.#history.forget(key(o)); },
    });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const cached = this.#hpas.get(key);
    if (!cached) { this.#history.forget(key); return; }
    const hpa: KubeObject = structuredClone(cached);
    const now = this.#now();
    const nowStamp = stamp(now);
    const status: KubeObject = hpa.status ?? {};
    const conditions: KubeObject[] = structuredClone(status.conditions ?? []);
    const ns: string = hpa.metadata.namespace;
    const target = hpa.spec.scaleTargetRef ?? {};
    const reference = `${target.kind}/${target.name}`;
    const retry = { requeueAfterMs: this.#syncPeriodMs };

    let scaleRef: ResourceRef | undefined;
    let scale: KubeObject;
    try {
      scaleRef = await this.#resolve(target.apiVersion ?? '', target.kind ?? '');
      if (!scaleRef) throw new Error(`unable to determine resource for scale target reference: no matches for kind "${target.kind}" in version "${target.apiVersion}"`);
      scale = await this.#ctx.client.request('GET', resourcePath(scaleRef, ns, target.name, 'scale'));
    } catch (err) {
      const msg = (err as Error).message;
      this.#ctx.recorder.event(hpa, 'Warning', 'FailedGetScale', msg);
      setCondition(conditions, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${msg}`, nowStamp);
      await this.#writeStatus(cached, { ...status, currentReplicas: status.currentReplicas ?? 0, desiredReplicas: status.desiredReplicas ?? 0, conditions });
      throw new Error(`failed to query scale subresource for ${reference}: ${msg}`);
    }
    setCondition(conditions, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale", nowStamp);

    const current: number = scale.spec?.replicas ?? 0;
    const min: number = hpa.spec.minReplicas ?? 1;
    const max: number = hpa.spec.maxReplicas;
    let desired = 0;
    let rescaleReason = '';
    let metricStatuses: KubeObject[] | undefined = status.currentMetrics;
    let rescale: boolean;

    if (current === 0 && min !== 0) {
      // Autoscaling is off while the target is scaled to zero.
      desired = 0;
      rescale = false;
      setCondition(conditions, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero', nowStamp);
    } else if (current > max) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desired = max;
      rescale = true;
    } else if (current < min) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desired = min;
      rescale = true;
    } else {
      const computed = await this.#computeReplicasForMetrics(hpa, scale, current, conditions, now);
      metricStatuses = computed.statuses;
      if (computed.replicas < 0) {
        await this.#writeStatus(cached, { ...status, currentReplicas: current, desiredReplicas: status.desiredReplicas ?? 0, currentMetrics: metricStatuses, conditions });
        this.#ctx.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', computed.error ?? 'invalid metrics');
        return retry;
      }
      if (computed.replicas > desired) { desired = computed.replicas; rescaleReason = `${computed.name} above target`; }
      if (desired < current) rescaleReason = 'All metrics below target';
      const n: Normalized = hpa.spec.behavior
        ? this.#history.normalizeWithBehavior(key, current, desired, min, max, hpa.spec.behavior, now.getTime())
        : this.#history.normalize(key, current, desired, min, max, this.#downscaleMs, now.getTime());
      setCondition(conditions, 'AbleToScale', 'True', n.ableToScale.reason, n.ableToScale.message, nowStamp);
      setCondition(conditions, 'ScalingLimited', n.limitedActive ? 'True' : 'False', n.limited.reason, n.limited.message, nowStamp);
      desired = n.replicas;
      rescale = desired !== current;
    }

    const next: KubeObject = { ...status, currentReplicas: current, desiredReplicas: rescale ? desired : current, conditions };
    if (metricStatuses) next.currentMetrics = metricStatuses;
    if (rescale) {
      try {
        await this.#ctx.client.request('PUT', resourcePath(scaleRef, ns, target.name, 'scale'), { ...scale, spec: { ...scale.spec, replicas: desired } });
      } catch (err) {
        const msg = (err as Error).message;
        this.#ctx.recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${rescaleReason}; error: ${msg}`);
        setCondition(conditions, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${msg}`, nowStamp);
        await this.#writeStatus(cached, { ...next, desiredReplicas: status.desiredReplicas ?? current });
        throw new Error(`failed to rescale ${reference}: ${msg}`);
      }
      setCondition(conditions, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`, nowStamp);
      this.#ctx.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${rescaleReason}`);
      this.#history.recordScale(key, hpa.spec.behavior, current, desired, now.getTime());
      next.lastScaleTime = nowStamp;
    }
    await this.#writeStatus(cached, next);
    return retry;
  }

  /** The highest replica count any metric asks for; -1 when none could be computed. */
  async #computeReplicasForMetrics(hpa: KubeObject, scale: KubeObject, current: number, conditions: KubeObject[], now: Date): Promise<{ replicas: number; name: string; statuses: KubeObject[]; error?: string }> {
    const nowStamp = stamp(now);
    const specs: KubeObject[] = hpa.spec.metrics ?? [];
    const selectorText: string | undefined = scale.status?.selector;
    if (!selectorText) {
      this.#ctx.recorder.event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
      setCondition(conditions, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector", nowStamp);
      return { replicas: -1, name: '', statuses: [], error: 'selector is required' };
    }
    let selector: LabelSelector;
    try { selector = LabelSelector.parse(selectorText); } catch (e) {
      const msg = `couldn't convert selector into a corresponding internal selector object: ${(e as Error).message}`;
      this.#ctx.recorder.event(hpa, 'Warning', 'InvalidSelector', msg);
      setCondition(conditions, 'ScalingActive', 'False', 'InvalidSelector', msg, nowStamp);
      return { replicas: -1, name: '', statuses: [], error: msg };
    }
    const ns: string = hpa.metadata.namespace;
    const pods = this.#pods.list().filter((p) => p.metadata.namespace === ns && selector.matches(p.metadata.labels ?? {}));
    const statuses: KubeObject[] = [];
    let best: MetricOutcome | undefined;
    let firstError: string | undefined;
    let invalid = 0;
    for (const spec of specs) {
      try {
        const outcome = await this.#computeForMetric(spec, current, ns, selectorText, pods, now);
        statuses.push(outcome.status);
        if (!best || outcome.replicas > best.replicas) best = outcome;
      } catch (e) {
        statuses.push({ type: '' });
        invalid++;
        const { reason, message } = metricFailure(spec, e as Error);
        firstError ??= message;
        this.#ctx.recorder.event(hpa, 'Warning', reason, message);
        setCondition(conditions, 'ScalingActive', 'False', reason, `the HPA was unable to compute the replica count: ${message}`, nowStamp);
      }
    }
    if (!best || invalid >= specs.length) {
      return { replicas: -1, name: '', statuses, error: `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError}` };
    }
    if (!invalid) setCondition(conditions, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${best.name}`, nowStamp);
    return { replicas: best.replicas, name: best.name, statuses };
  }

  async #computeForMetric(spec: KubeObject, current: number, ns: string, selector: string, pods: KubeObject[], now: Date): Promise<MetricOutcome> {
    if (spec.type !== 'Resource') throw new MetricError(`unsupported metric source type "${spec.type}"`);
    const resource: string = spec.resource?.name;
    const target: KubeObject = spec.resource?.target ?? {};
    const list = await this.#ctx.client.request('GET', `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(ns)}/pods?labelSelector=${encodeURIComponent(selector)}`)
      .catch((e: Error) => { throw new MetricError(`unable to get metrics for resource ${resource}: unable to fetch metrics from resource metrics API: ${e.message}`); });
    if (!(list.items ?? []).length) throw new MetricError(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
    const metrics = podMetricsOf(list, resource);
    if (target.type === 'AverageValue' && target.averageValue !== undefined) {
      const targetMilli = Number(Quantity.fromJSON(target.averageValue).scaledValue(-3));
      const r = averageValueReplicas(current, targetMilli, resource, pods, metrics, now.getTime(), this.#calc);
      return {
        replicas: r.replicas, name: `${resource} resource`,
        status: { type: 'Resource', resource: { name: resource, current: { averageValue: Quantity.fromMilli(r.usageMilli).canonical() } } },
      };
    }
    if (target.averageUtilization === undefined) throw new MetricError('invalid resource metric source: neither a utilization target nor a value target was set');
    const r = resourceReplicas(current, target.averageUtilization, resource, pods, metrics, now.getTime(), this.#calc);
    return {
      replicas: r.replicas, name: `${resource} resource utilization (percentage of request)`,
      status: { type: 'Resource', resource: { name: resource, current: { averageUtilization: r.utilization, averageValue: Quantity.fromMilli(r.rawMilli).canonical() } } },
    };
  }

  /** The served resource of a kind, from discovery (asked again for an unknown kind). */
  async #resolve(apiVersion: string, kind: string): Promise<ResourceRef | undefined> {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const k = `${group}/${version}/${kind}`;
    if (!this.#kinds?.has(k)) {
      const found = new Map<string, ResourceRef>();
      for (const r of await discoverResources(this.#ctx.client)) found.set(`${r.group}/${r.version}/${r.kind}`, { group: r.group, version: r.version, plural: r.plural, namespaced: r.namespaced });
      // Non-preferred versions of a group still name the same resource.
      if (!found.has(k)) for (const [fk, ref] of found) if (fk.startsWith(`${group}/`) && fk.endsWith(`/${kind}`)) { found.set(k, { ...ref, version }); break; }
      this.#kinds = found;
    }
    return this.#kinds.get(k);
  }

  async #writeStatus(cached: KubeObject, status: KubeObject): Promise<void> {
    if (JSON.stringify(cached.status ?? {}) === JSON.stringify(status)) return;
    try {
      await this.#ctx.client.update(HPAS, cached.metadata.namespace, { ...cached, status }, 'status');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** The event reason and message for a metric that could not be computed, as upstream words them. */
function metricFailure(spec: KubeObject, err: Error): { reason: string; message: string } {
  if (spec.type === 'Resource') {
    const what = spec.resource?.target?.type === 'AverageValue' ? 'usage' : 'utilization';
    return { reason: 'FailedGetResourceMetric', message: `failed to get ${spec.resource?.name} ${what}: ${err.message}` };
  }
  return { reason: 'InvalidMetricSourceType', message: err.message };
}
