// autoscaling/v1 HorizontalPodAutoscalers are autoscaling/v2 ones in storage. v1 has only a CPU
// utilization target; what v1 cannot say travels in annotations, as upstream does, so a
// round trip through v1 loses nothing.
import type { KubeObject } from '../registry/resource.ts';

const METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
const CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics';
const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
const BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';

const isCpuUtilization = (m: KubeObject) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization';

export function hpaV2ToV1(obj: KubeObject): KubeObject {
  const spec = obj.spec ?? {};
  const status = obj.status;
  const annotations: Record<string, string> = { ...(obj.metadata?.annotations ?? {}) };
  const metrics: KubeObject[] = spec.metrics ?? [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  if (others.length) annotations[METRICS] = JSON.stringify(others);
  if (spec.behavior) annotations[BEHAVIOR] = JSON.stringify(spec.behavior);
  const v1Spec: KubeObject = { scaleTargetRef: spec.scaleTargetRef, maxReplicas: spec.maxReplicas };
  if (spec.minReplicas !== undefined) v1Spec.minReplicas = spec.minReplicas;
  if (cpu) v1Spec.targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization;
  const out: KubeObject = { ...obj, apiVersion: 'autoscaling/v1', spec: v1Spec };
  if (status) {
    const current: KubeObject[] = status.currentMetrics ?? [];
    const curCpu = current.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
    const v1Status: KubeObject = { currentReplicas: status.currentReplicas ?? 0, desiredReplicas: status.desiredReplicas ?? 0 };
    if (status.observedGeneration !== undefined) v1Status.observedGeneration = status.observedGeneration;
    if (status.lastScaleTime) v1Status.lastScaleTime = status.lastScaleTime;
    if (curCpu?.resource?.current?.averageUtilization !== undefined) v1Status.currentCPUUtilizationPercentage = curCpu.resource.current.averageUtilization;
    if (current.length) annotations[CURRENT_METRICS] = JSON.stringify(current);
    if (status.conditions?.length) annotations[CONDITIONS] = JSON.stringify(status.conditions);
    out.status = v1Status;
  }
  out.metadata = { ...obj.metadata };
  if (Object.keys(annotations).length) out.metadata.annotations = annotations; else delete out.metadata.annotations;
  return out;
}

export function hpaV1ToV2(obj: KubeObject): KubeObject {
  const spec = obj.spec ?? {};
  const annotations: Record<string, string> = { ...(obj.metadata?.annotations ?? {}) };
  const take = (key: string) => { const v = annotations[key]; delete annotations[key]; return v === undefined ? undefined : safeParse(v); };
  const others = (take(METRICS) as KubeObject[] | undefined) ?? [];
  const behavior = take(BEHAVIOR);
  const currentMetrics = take(CURRENT_METRICS) as KubeObject[] | undefined;
  const conditions = take(CONDITIONS) as KubeObject[] | undefined;
  const metrics: KubeObject[] = [];
  if (spec.targetCPUUtilizationPercentage !== undefined) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  metrics.push(...others);
  const v2Spec: KubeObject = { scaleTargetRef: spec.scaleTargetRef, maxReplicas: spec.maxReplicas };
  if (spec.minReplicas !== undefined) v2Spec.minReplicas = spec.minReplicas;
  if (metrics.length) v2Spec.metrics = metrics;
  if (behavior) v2Spec.behavior = behavior;
  const out: KubeObject = { ...obj, apiVersion: 'autoscaling/v2', spec: v2Spec };
  if (obj.status) {
    const s = obj.status;
    const v2Status: KubeObject = { currentReplicas: s.currentReplicas ?? 0, desiredReplicas: s.desiredReplicas ?? 0 };
    if (s.observedGeneration !== undefined) v2Status.observedGeneration = s.observedGeneration;
    if (s.lastScaleTime) v2Status.lastScaleTime = s.lastScaleTime;
    if (currentMetrics) v2Status.currentMetrics = currentMetrics;
    else if (s.currentCPUUtilizationPercentage !== undefined) v2Status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: s.currentCPUUtilizationPercentage } } }];
    if (conditions) v2Status.conditions = conditions;
    out.status = v2Status;
  }
  out.metadata = { ...obj.metadata };
  if (Object.keys(annotations).length) out.metadata.annotations = annotations; else delete out.metadata.annotations;
  return out;
}

function safeParse(s: string): unknown {
  try { return JSON.parse(s); } catch { return undefined; }
}
