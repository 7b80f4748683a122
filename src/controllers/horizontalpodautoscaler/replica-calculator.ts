// How many replicas a resource metric asks for (upstream's replica_calculator.go): pods are
// grouped into ready, unready, missing-metrics and ignored; the usage ratio against the target
// decides, within a tolerance; missing and unready pods are then assumed to use whatever
// dampens the change, and a change that would flip direction is not made.
import { Quantity } from '../../api/quantity/index.ts';

type Obj = Record<string, any>;

/** One pod's usage of the resource in thousandths (millicores, millibytes). */
export interface PodMetric { value: number; timestamp: number; windowMs: number }
export type PodMetrics = Map<string, PodMetric>;

export interface CalculatorOptions {
  tolerance: number;
  /** A pod this young has its cpu sample ignored until it has been ready for a whole window. */
  cpuInitializationPeriodMs: number;
  /** A pod that turned unready this soon after starting counts as never ready yet. */
  delayOfInitialReadinessStatusMs: number;
}

export const DEFAULT_CALCULATOR_OPTIONS: CalculatorOptions = { tolerance: 0.1, cpuInitializationPeriodMs: 5 * 60_000, delayOfInitialReadinessStatusMs: 30_000 };

export class MetricError extends Error {}

export interface PodGroups { ready: number; unready: Set<string>; missing: Set<string>; ignored: Set<string> }

export function groupPods(pods: Obj[], metrics: PodMetrics, resource: string, now: number, opts: CalculatorOptions): PodGroups {
  const g: PodGroups = { ready: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name: string = pod.metadata.name;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') { g.ignored.add(name); continue; }
    if (pod.status?.phase === 'Pending') { g.unready.add(name); continue; }
    const metric = metrics.get(name);
    if (!metric) { g.missing.add(name); continue; }
    if (resource === 'cpu') {
      const cond = (pod.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
      const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
      let unready: boolean;
      if (!cond || start === undefined) unready = true;
      else {
        const transition = Date.parse(cond.lastTransitionTime ?? '') || 0;
        if (start + opts.cpuInitializationPeriodMs > now) unready = cond.status === 'False' || metric.timestamp < transition + metric.windowMs;
        else unready = cond.status === 'False' && start + opts.delayOfInitialReadinessStatusMs > transition;
      }
      if (unready) { g.unready.add(name); continue; }
    }
    g.ready++;
  }
  return g;
}

/** Each pod's total request of the resource in thousandths; a container without one is an error. */
export function podRequests(pods: Obj[], resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let total = 0;
    for (const c of pod.spec?.containers ?? []) {
      const r = c.resources?.requests?.[resource];
      if (r === undefined) throw new MetricError(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      total += Number(Quantity.fromJSON(r).scaledValue(-3));
    }
    out.set(pod.metadata.name, total);
  }
  return out;
}

function utilizationRatio(metrics: PodMetrics, requests: Map<string, number>, target: number): { ratio: number; utilization: number; raw: number } {
  let used = 0, requested = 0, n = 0;
  for (const [name, m] of metrics) {
    const r = requests.get(name);
    if (r === undefined) continue;
    used += m.value; requested += r; n++;
  }
  if (requested === 0) throw new MetricError('no metrics returned matched known pods');
  const utilization = Math.trunc((used * 100) / requested);
  return { ratio: utilization / target, utilization, raw: Math.trunc(used / n) };
}

export interface ResourceResult { replicas: number; utilization: number; rawMilli: number }

/** Replicas for a target utilization (percent of request). */
export function resourceReplicas(currentReplicas: number, target: number, resource: string, pods: Obj[], metrics: PodMetrics, now: number, opts: CalculatorOptions): ResourceResult {
  if (!pods.length) throw new MetricError('no pods returned by selector while calculating replica count');
  const m: PodMetrics = new Map(metrics);
  const g = groupPods(pods, m, resource, now, opts);
  for (const n of [...g.ignored, ...g.unready]) m.delete(n);
  if (!m.size) throw new MetricError('did not receive metrics for targeted pods (pods might be unready)');
  const requests = podRequests(pods, resource);
  const { ratio, utilization, raw } = utilizationRatio(m, requests, target);
  const result = (replicas: number): ResourceResult => ({ replicas, utilization, rawMilli: raw });
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && !g.missing.size) {
    if (Math.abs(1 - ratio) <= opts.tolerance) return result(currentReplicas);
    return result(Math.ceil(ratio * g.ready));
  }
  if (g.missing.size) {
    // Scaling down: missing pods use all they asked for (or the target, when above 100%); up: nothing.
    const fallback = Math.max(100, target);
    for (const n of g.missing) m.set(n, { value: ratio < 1 ? Math.trunc((requests.get(n)! * fallback) / 100) : 0, timestamp: now, windowMs: 0 });
  }
  if (scaleUpWithUnready) for (const n of g.unready) m.set(n, { value: 0, timestamp: now, windowMs: 0 });
  const next = utilizationRatio(m, requests, target).ratio;
  if (Math.abs(1 - next) <= opts.tolerance || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return result(currentReplicas);
  const replicas = Math.ceil(next * m.size);
  if ((next < 1 && replicas > currentReplicas) || (next > 1 && replicas < currentReplicas)) return result(currentReplicas);
  return result(replicas);
}

/** Replicas for a target average value per pod (in thousandths). */
export function averageValueReplicas(currentReplicas: number, targetMilli: number, resource: string, pods: Obj[], metrics: PodMetrics, now: number, opts: CalculatorOptions): { replicas: number; usageMilli: number } {
  if (!pods.length) throw new MetricError('no pods returned by selector while calculating replica count');
  const m: PodMetrics = new Map(metrics);
  const g = groupPods(pods, m, resource, now, opts);
  for (const n of [...g.ignored, ...g.unready]) m.delete(n);
  if (!m.size) throw new MetricError('did not receive metrics for targeted pods (pods might be unready)');
  const average = (mm: PodMetrics) => { let t = 0; for (const v of mm.values()) t += v.value; return t / mm.size; };
  const usage = average(m);
  const ratio = usage / targetMilli;
  const result = (replicas: number) => ({ replicas, usageMilli: Math.trunc(usage) });
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && !g.missing.size) {
    if (Math.abs(1 - ratio) <= opts.tolerance) return result(currentReplicas);
    return result(Math.ceil(ratio * g.ready));
  }
  if (g.missing.size) for (const n of g.missing) m.set(n, { value: ratio < 1 ? targetMilli : 0, timestamp: now, windowMs: 0 });
  if (scaleUpWithUnready) for (const n of g.unready) m.set(n, { value: 0, timestamp: now, windowMs: 0 });
  const next = average(m) / targetMilli;
  if (Math.abs(1 - next) <= opts.tolerance || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return result(currentReplicas);
  const replicas = Math.ceil(next * m.size);
  if ((next < 1 && replicas > currentReplicas) || (next > 1 && replicas < currentReplicas)) return result(currentReplicas);
  return result(replicas);
}

/** PodMetrics (metrics.k8s.io) as per-pod usage of one resource; pods missing a container's value are left out. */
export function podMetricsOf(list: Obj, resource: string): PodMetrics {
  const out: PodMetrics = new Map();
  for (const item of list.items ?? []) {
    let total = 0, complete = (item.containers ?? []).length > 0;
    for (const c of item.containers ?? []) {
      const v = c.usage?.[resource];
      if (v === undefined) { complete = false; break; }
      total += Number(Quantity.fromJSON(v).scaledValue(-3));
    }
    if (!complete) continue;
    out.set(item.metadata.name, { value: total, timestamp: Date.parse(item.timestamp), windowMs: parseDuration(item.window) });
  }
  return out;
}

/** A Go duration ("30s", "1m30s", "1.5s", "500ms") in milliseconds. */
export function parseDuration(s: string | undefined): number {
  if (!s) return 0;
  let ms = 0;
  for (const m of s.matchAll(/([\d.]+)(h|ms|m|s|us|µs|ns)/g)) {
    const n = Number(m[1]);
    ms += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : m[2] === 'ms' ? n : m[2] === 'ns' ? n / 1e6 : n / 1000;
  }
  return ms;
}
