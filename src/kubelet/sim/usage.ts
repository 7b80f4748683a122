// Resource usage of simulated pods and nodes, for whatever serves metrics (metrics.k8s.io, the
// HPA): a pure function of the pod as the API has it, so any component can compute it from its
// own pod cache without reaching into the simulator. Rules (also in src/kubelet/README.md):
//   - only Running pods use anything;
//   - a container uses half its request (cpu and memory), else half its limit, else 5m / 32Mi;
//   - annotations sim.navarch.io/cpu-usage and sim.navarch.io/memory-usage (quantities, for the
//     whole pod) override that, split over the containers in proportion to their defaults;
//   - a node uses what its running pods use plus 100m cpu and 512Mi memory for the system.
import type { KubeObject } from '../../client/api-client.ts';
import { Quantity } from '../../api/quantity/index.ts';

export const CPU_USAGE = 'sim.navarch.io/cpu-usage';
export const MEMORY_USAGE = 'sim.navarch.io/memory-usage';

export interface Usage { cpuMillis: number; memoryBytes: number }
export interface ContainerUsage extends Usage { name: string }

const SYSTEM: Usage = { cpuMillis: 100, memoryBytes: 512 * 2 ** 20 };
const IDLE: Usage = { cpuMillis: 5, memoryBytes: 32 * 2 ** 20 };

function quantity(v: unknown): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try { return Quantity.parse(String(v)); } catch { return undefined; }
}

function containerDefault(c: KubeObject): Usage {
  const pick = (r: string) => quantity(c.resources?.requests?.[r]) ?? quantity(c.resources?.limits?.[r]);
  const cpu = pick('cpu');
  const mem = pick('memory');
  return {
    cpuMillis: cpu ? Math.max(1, Math.ceil(cpu.milliValue() / 2)) : IDLE.cpuMillis,
    memoryBytes: mem ? Math.ceil(mem.value() / 2) : IDLE.memoryBytes,
  };
}

/** Per-container and total usage of a pod; undefined unless it is Running. */
export function podUsage(pod: KubeObject): { containers: ContainerUsage[]; total: Usage } | undefined {
  if (pod.status?.phase !== 'Running') return undefined;
  const containers: KubeObject[] = pod.spec?.containers ?? [];
  const defaults = containers.map(containerDefault);
  const sum = (k: keyof Usage) => defaults.reduce((a, u) => a + u[k], 0);
  const cpuOverride = quantity(pod.metadata?.annotations?.[CPU_USAGE]);
  const memOverride = quantity(pod.metadata?.annotations?.[MEMORY_USAGE]);
  const share = (k: keyof Usage, i: number, total: number) => Math.round((defaults[i][k] / (sum(k) || 1)) * total);
  const out = containers.map((c, i) => ({
    name: c.name,
    cpuMillis: cpuOverride ? share('cpuMillis', i, cpuOverride.milliValue()) : defaults[i].cpuMillis,
    memoryBytes: memOverride ? share('memoryBytes', i, memOverride.value()) : defaults[i].memoryBytes,
  }));
  return { containers: out, total: { cpuMillis: out.reduce((a, u) => a + u.cpuMillis, 0), memoryBytes: out.reduce((a, u) => a + u.memoryBytes, 0) } };
}

/** A node's usage: its running pods plus the system's share. */
export function nodeUsage(podsOnNode: KubeObject[]): Usage {
  const u = { ...SYSTEM };
  for (const p of podsOnNode) {
    const pu = podUsage(p);
    if (pu) { u.cpuMillis += pu.total.cpuMillis; u.memoryBytes += pu.total.memoryBytes; }
  }
  return u;
}
