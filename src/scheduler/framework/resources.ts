// Resource amounts as the scheduler counts them: cpu in millicores, everything else in whole
// units (bytes, pods, devices). A pod's request is upstream's: the larger of its containers'
// sum (with sidecars) and any init container's peak, plus the pod overhead.
import { parseQuantity } from '../../api/quantity/index.ts';
import type { KubeObject } from '../../client/index.ts';

export type Resources = Record<string, number>;

/** What a pod without a request is counted as when spreading load (upstream's non-zero defaults). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function amount(name: string, q: unknown): number {
  if (q === undefined || q === null) return 0;
  const parsed = parseQuantity(String(q));
  return name === 'cpu' ? parsed.milliValue() : parsed.value();
}

export function resourcesOf(list: Record<string, unknown> | undefined | null): Resources {
  const out: Resources = {};
  for (const [name, q] of Object.entries(list ?? {})) out[name] = amount(name, q);
  return out;
}

function addInto(into: Resources, r: Resources): void {
  for (const [k, v] of Object.entries(r)) into[k] = (into[k] ?? 0) + v;
}

function maxInto(into: Resources, r: Resources): void {
  for (const [k, v] of Object.entries(r)) into[k] = Math.max(into[k] ?? 0, v);
}

export interface PodRequests {
  /** The requests as declared (zero when absent). */
  requests: Resources;
  /** cpu and memory with upstream's defaults for containers that request none (for scoring). */
  nonZero: { cpu: number; memory: number };
  /** Resources requested above zero, in the order fit reasons are reported (cpu, memory, ephemeral-storage, then by name). */
  requested: string[];
}

const REPORT_ORDER = ['cpu', 'memory', 'ephemeral-storage'];
const rank = (r: string) => { const i = REPORT_ORDER.indexOf(r); return i < 0 ? REPORT_ORDER.length : i; };

function containerNonZero(r: Resources): { cpu: number; memory: number } {
  return { cpu: r.cpu ?? DEFAULT_MILLI_CPU_REQUEST, memory: r.memory ?? DEFAULT_MEMORY_REQUEST };
}

export function podRequests(pod: KubeObject): PodRequests {
  const spec = pod.spec ?? {};
  const sum: Resources = {};
  const nzSum = { cpu: 0, memory: 0 };
  for (const c of spec.containers ?? []) {
    const r = resourcesOf(c.resources?.requests);
    addInto(sum, r);
    const nz = containerNonZero(r);
    nzSum.cpu += nz.cpu;
    nzSum.memory += nz.memory;
  }
  // Sidecars (restartable init containers) run beside the app containers and add to them; a
  // regular init container runs alone after the sidecars started before it.
  const sidecars: Resources = {};
  const nzSidecars = { cpu: 0, memory: 0 };
  const initPeak: Resources = {};
  const nzInitPeak = { cpu: 0, memory: 0 };
  for (const c of spec.initContainers ?? []) {
    const r = resourcesOf(c.resources?.requests);
    const nz = containerNonZero(r);
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, r);
      nzSidecars.cpu += nz.cpu;
      nzSidecars.memory += nz.memory;
      const withSelf = { ...sidecars };
      maxInto(initPeak, withSelf);
      nzInitPeak.cpu = Math.max(nzInitPeak.cpu, nzSidecars.cpu);
      nzInitPeak.memory = Math.max(nzInitPeak.memory, nzSidecars.memory);
    } else {
      const running: Resources = { ...sidecars };
      addInto(running, r);
      maxInto(initPeak, running);
      nzInitPeak.cpu = Math.max(nzInitPeak.cpu, nzSidecars.cpu + nz.cpu);
      nzInitPeak.memory = Math.max(nzInitPeak.memory, nzSidecars.memory + nz.memory);
    }
  }
  addInto(sum, sidecars);
  nzSum.cpu += nzSidecars.cpu;
  nzSum.memory += nzSidecars.memory;
  maxInto(sum, initPeak);
  const nonZero = { cpu: Math.max(nzSum.cpu, nzInitPeak.cpu), memory: Math.max(nzSum.memory, nzInitPeak.memory) };
  const overhead = resourcesOf(spec.overhead);
  addInto(sum, overhead);
  nonZero.cpu += overhead.cpu ?? 0;
  nonZero.memory += overhead.memory ?? 0;
  const requested = Object.keys(sum).filter((k) => k !== 'pods' && sum[k]! > 0).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return { requests: sum, nonZero, requested };
}
