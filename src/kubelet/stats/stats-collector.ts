// Samples the usage of the node and of every running container on a period (upstream's cadvisor
// housekeeping, 10 s like the lease) and keeps the latest report in the shape node agents carry on
// their Lease (src/api/metrics). Cpu is a rate over the last period, so a container shows up from
// its second sample on (as metrics-server needs two scrapes); memory is the current working set.
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, goDuration } from '../pods/logic/index.ts';
import type { ContainerUsage, NodeUsageReport, PodUsage } from '../../api/metrics/index.ts';
import type { Logger } from '../../base/log.ts';
import { CgroupReader } from './cgroup-reader.ts';
import { readHostUsage } from './host-usage.ts';
import type { CgroupUsage, ContainerLister, HostUsage } from './usage-sample.ts';

export const DEFAULT_STATS_INTERVAL_MS = 10_000;

export interface StatsCollectorOptions {
  runtime: ContainerLister;
  /** Sampling period; default 10 s. */
  intervalMs?: number;
  /** A process's cgroup usage (default: read from the host's cgroups). */
  cgroupUsage?: (pid: number) => Promise<CgroupUsage | undefined>;
  /** The machine's usage (default: /proc). */
  hostUsage?: () => Promise<HostUsage | undefined>;
  /** Monotonic milliseconds (default performance.now) and wall time, for tests. */
  clock?: () => number;
  now?: () => Date;
  logger?: Logger;
}

interface Sample { at: number; host?: HostUsage; containers: Map<string, CgroupUsage> }

/** Cores over a window as the API writes them: whole nanocores (as metrics-server does). */
export function cpuQuantity(cpuNsDelta: number, windowMs: number): string {
  const nanoCores = windowMs > 0 ? Math.max(0, Math.round((cpuNsDelta / (windowMs * 1e6)) * 1e9)) : 0;
  return `${nanoCores}n`;
}

/** Bytes as the API writes memory usage: whole KiB. */
export function memoryQuantity(bytes: number): string {
  return `${Math.round(Math.max(0, bytes) / 1024)}Ki`;
}

const stamp = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

export class StatsCollector {
  readonly #o: StatsCollectorOptions;
  readonly #cgroupUsage: (pid: number) => Promise<CgroupUsage | undefined>;
  readonly #hostUsage: () => Promise<HostUsage | undefined>;
  readonly #clock: () => number;
  readonly #now: () => Date;
  #previous: Sample | undefined;
  #latest: NodeUsageReport | undefined;

  constructor(o: StatsCollectorOptions) {
    this.#o = o;
    const reader = new CgroupReader();
    this.#cgroupUsage = o.cgroupUsage ?? ((pid) => reader.usageOf(pid));
    this.#hostUsage = o.hostUsage ?? (() => readHostUsage());
    this.#clock = o.clock ?? (() => performance.now());
    this.#now = o.now ?? (() => new Date());
  }

  /** The report of the last two samples; undefined until there have been two. */
  latest(): NodeUsageReport | undefined { return this.#latest; }

  /** Takes a sample now; resolves with the report it completes (undefined after the first). */
  async sample(): Promise<NodeUsageReport | undefined> {
    const running = (await this.#o.runtime.listContainers()).filter((c) => c.state === 'running' && c.pid);
    const at = this.#clock();
    const wall = this.#now();
    const [host, usages] = await Promise.all([
      this.#hostUsage(),
      Promise.all(running.map(async (c) => [c.id, await this.#cgroupUsage(c.pid!).catch(() => undefined)] as const)),
    ]);
    const current: Sample = { at, host, containers: new Map() };
    for (const [id, u] of usages) if (u) current.containers.set(id, u);
    const prev = this.#previous;
    this.#previous = current;
    if (!prev || !host || !prev.host) return undefined;
    const windowMs = at - prev.at;
    if (!(windowMs > 0)) return undefined;

    // One entry per pod (by namespace/name) and container name; a restarted container's newest attempt wins.
    const pods = new Map<string, { namespace: string; name: string; containers: Map<string, { attempt: number; usage: ContainerUsage }> }>();
    for (const c of running) {
      const now = current.containers.get(c.id);
      const before = prev.containers.get(c.id);
      const namespace = c.labels[POD_NAMESPACE_LABEL];
      const podName = c.labels[POD_NAME_LABEL];
      if (!now || !before || !namespace || !podName || now.cpuNs < before.cpuNs) continue;
      const name = c.labels[CONTAINER_NAME_LABEL] ?? c.name;
      const key = `${namespace}/${podName}`;
      let pod = pods.get(key);
      if (!pod) pods.set(key, pod = { namespace, name: podName, containers: new Map() });
      const seen = pod.containers.get(name);
      if (seen && seen.attempt > c.attempt) continue;
      pod.containers.set(name, {
        attempt: c.attempt,
        usage: { name, cpu: cpuQuantity(now.cpuNs - before.cpuNs, windowMs), memory: memoryQuantity(now.workingSetBytes) },
      });
    }
    const podUsages: PodUsage[] = [...pods.values()].map((p) => ({
      namespace: p.namespace, name: p.name, containers: [...p.containers.values()].map((c) => c.usage).sort((a, b) => a.name.localeCompare(b.name)),
    }));
    this.#latest = {
      timestamp: stamp(wall),
      window: goDuration(Math.round(windowMs)),
      node: { cpu: cpuQuantity(Math.max(0, host.cpuNs - prev.host.cpuNs), windowMs), memory: memoryQuantity(host.workingSetBytes) },
      pods: podUsages,
    };
    return this.#latest;
  }

  /** Samples at once and then every period until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const every = this.#o.intervalMs ?? DEFAULT_STATS_INTERVAL_MS;
    while (!signal.aborted) {
      try {
        await this.sample();
      } catch (e) {
        this.#o.logger?.warn('could not sample resource usage', { err: e });
      }
      await new Promise<void>((r) => {
        const t = setTimeout(done, every);
        function done() { clearTimeout(t); signal.removeEventListener('abort', done); r(); }
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }
}
