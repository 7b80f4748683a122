// cgroup values of a container from its requests and limits (upstream's kuberuntime
// calculateLinuxResources and cm helpers): cpu shares from the request (the limit when there is
// no request; at least 2), a CFS quota over a 100 ms period from the limit (at least 1 ms),
// the memory limit in bytes, and the OOM score adjustment of the pod's QoS class.
import type { ContainerResources } from '../../runtime/runtime.ts';
import type { KubeObject } from './types.ts';
import { Quantity } from '../../../api/quantity/index.ts';
import { podQOS } from './qos.ts';
import { podLimits, podRequests } from '../../../api/quota/pod-resources.ts';

export const MIN_SHARES = 2;
export const MAX_SHARES = 262144;
export const SHARES_PER_CPU = 1024;
export const QUOTA_PERIOD = 100000;
export const MIN_QUOTA_PERIOD = 1000;

const GUARANTEED_OOM_SCORE_ADJ = -997;
const BESTEFFORT_OOM_SCORE_ADJ = 1000;

export function milliCPUToShares(milliCPU: number): number {
  if (milliCPU === 0) return MIN_SHARES;
  const shares = Math.trunc((milliCPU * SHARES_PER_CPU) / 1000);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** CFS quota in µs per period; 0 (no quota) without a limit. */
export function milliCPUToQuota(milliCPU: number, period = QUOTA_PERIOD): number {
  if (milliCPU === 0) return 0;
  return Math.max(MIN_QUOTA_PERIOD, Math.trunc((milliCPU * period) / 1000));
}

const amount = (list: Record<string, unknown> | undefined, name: string) =>
  list?.[name] !== undefined ? Quantity.fromJSON(list[name]) : Quantity.fromInt(0);

const isSidecar = (pod: KubeObject, container: KubeObject) =>
  container.restartPolicy === 'Always' && (pod.spec?.initContainers ?? []).some((c: KubeObject) => c.name === container.name);

/** oom_score_adj of a container (upstream's GetContainerOOMScoreAdjust). */
export function oomScoreAdjust(pod: KubeObject, container: KubeObject, memoryCapacityBytes: number): number {
  if (pod.spec?.priorityClassName === 'system-node-critical') return GUARANTEED_OOM_SCORE_ADJ;
  const qos = podQOS(pod);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BESTEFFORT_OOM_SCORE_ADJ;
  const adjustFor = (requestBytes: number) => 1000 - Math.trunc((1000 * requestBytes) / memoryCapacityBytes);
  let adj = adjustFor(amount(container.resources?.requests, 'memory').value());
  // A sidecar is killed no earlier than the regular container with the smallest request.
  if (isSidecar(pod, container) && (pod.spec?.containers ?? []).length > 0) {
    const min = Math.min(...pod.spec.containers.map((c: KubeObject) => amount(c.resources?.requests, 'memory').value()));
    adj = Math.min(adj, adjustFor(min));
  }
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BESTEFFORT_OOM_SCORE_ADJ) return adj - 1;
  return adj;
}

export interface ResourceOptions {
  memoryCapacityBytes: number;
  /** Enforce cpu limits with a CFS quota (the kubelet's cpuCFSQuota, default true). */
  cpuCFSQuota?: boolean;
  /** The kubelet's podPidsLimit; unset or -1 for none. */
  pidsLimit?: number;
}

export function containerResources(pod: KubeObject, container: KubeObject, opts: ResourceOptions): ContainerResources {
  const requests = container.resources?.requests;
  const limits = container.resources?.limits;
  const cpuRequest = amount(requests, 'cpu');
  const cpuLimit = amount(limits, 'cpu');
  const memoryLimit = amount(limits, 'memory').value();
  // Without a request the limit stands in, as API defaulting would have done.
  const sharesFrom = cpuRequest.isZero() && !cpuLimit.isZero() ? cpuLimit : cpuRequest;
  const out: ContainerResources = { cpuShares: milliCPUToShares(sharesFrom.milliValue()) };
  if (opts.cpuCFSQuota !== false) {
    out.cpuPeriod = QUOTA_PERIOD;
    const quota = milliCPUToQuota(cpuLimit.milliValue());
    if (quota > 0) out.cpuQuota = quota;
  }
  if (memoryLimit > 0) out.memoryLimitBytes = memoryLimit;
  if (opts.pidsLimit !== undefined && opts.pidsLimit > 0) out.pidsLimit = opts.pidsLimit;
  out.oomScoreAdj = oomScoreAdjust(pod, container, opts.memoryCapacityBytes);
  return out;
}

/** The pod-level cgroup's limits (upstream's ResourceConfigForPod); unset fields stay unlimited. */
export interface PodCgroupResources {
  cpuShares: number;
  cpuPeriod?: number;
  cpuQuota?: number;
  memoryLimitBytes?: number;
}

/**
 * Requests summed over the pod (init containers as a running maximum, sidecars added) give the
 * pod's cpu shares; its cpu quota and memory limit are set only when every container declares
 * that limit (one unlimited container leaves the pod unlimited). BestEffort pods get the minimum
 * shares.
 */
export function podCgroupResources(pod: KubeObject, opts: { cpuCFSQuota?: boolean } = {}): PodCgroupResources {
  if (podQOS(pod) === 'BestEffort') return { cpuShares: MIN_SHARES };
  const requests = podRequests(pod);
  const limits = podLimits(pod);
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const declared = (name: string) => all.every((c: KubeObject) => !amount(c.resources?.limits, name).isZero());
  const out: PodCgroupResources = { cpuShares: milliCPUToShares(amount(requests, 'cpu').milliValue()) };
  if (opts.cpuCFSQuota !== false && declared('cpu')) {
    out.cpuPeriod = QUOTA_PERIOD;
    out.cpuQuota = milliCPUToQuota(amount(limits, 'cpu').milliValue());
  }
  if (declared('memory')) out.memoryLimitBytes = amount(limits, 'memory').value();
  return out;
}
