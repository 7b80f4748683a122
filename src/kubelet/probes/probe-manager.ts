// The probe manager of the node agent (upstream's prober_manager.go and results managers): one
// worker per (running container, probe kind) its spec asks for — app containers and sidecars
// (restartable init containers) — and the latest results, which the pod logic reads through
// `results`. A result that changes is announced with onResultChange(podUid) so the pod worker
// re-syncs (marks readiness, restarts on a liveness or startup failure).
import { ProbeWorker } from './probe-worker.ts';
import type { WorkerHost } from './probe-worker.ts';
import { probeSpecOf } from './prober.ts';
import type { ProberDeps } from './prober.ts';
import type { ContainerStatus } from '../runtime/runtime.ts';
import type { KubeObject, ProbeKind, ProbeManagerOptions, ProbeResult, ProbeResults } from './types.ts';

const KINDS: ProbeKind[] = ['startup', 'readiness', 'liveness'];

/** What a new container's probes read until they ran (upstream's initial values; startup has none). */
const INITIAL: Partial<Record<ProbeKind, ProbeResult>> = { readiness: 'Failure', liveness: 'Success' };

interface PodEntry {
  uid: string;
  pod: KubeObject;
  podIPs: string[];
  /** By `<container name>/<kind>`. */
  workers: Map<string, ProbeWorker>;
}

export class ProbeManager {
  readonly #o: ProbeManagerOptions;
  readonly #prober: ProberDeps;
  readonly #pods = new Map<string, PodEntry>();
  readonly #results: Record<ProbeKind, Map<string, ProbeResult>> = {
    liveness: new Map(), readiness: new Map(), startup: new Map(),
  };
  /** Workers stopped while probing: stop() waits for them too. */
  readonly #draining = new Set<Promise<void>>();
  #stopped = false;

  constructor(options: ProbeManagerOptions) {
    this.#o = options;
    this.#prober = { exec: options.exec, recordEvent: options.recordEvent, secondMs: options.secondMs ?? 1000 };
  }

  /** The latest result of a probe of a runtime container; undefined until its first result. */
  readonly results: ProbeResults = (kind, containerId) => this.#results[kind].get(containerId);

  /**
   * Brings the pod's workers in line with its running containers: new containers (a restart is a
   * new id) get workers and initial results; workers of containers that exited or went away stop
   * and their results are dropped. Initial results are in place when this returns, without an
   * onResultChange. Also probes readiness of started, not-yet-ready containers at once, as
   * upstream does on each status update.
   */
  syncPod(pod: KubeObject, containers: ContainerStatus[], podIPs: string[]): void {
    if (this.#stopped) return;
    const uid = String(pod.metadata?.uid ?? '');
    let entry = this.#pods.get(uid);
    if (!entry) {
      entry = { uid, pod, podIPs, workers: new Map() };
      this.#pods.set(uid, entry);
    }
    entry.pod = pod;
    entry.podIPs = podIPs;

    const wanted = new Set<string>();
    for (const spec of probedContainers(pod)) {
      const running = latestRunning(containers, spec.name);
      for (const kind of KINDS) {
        if (!probeSpecOf(spec, kind)) continue;
        const key = `${spec.name}/${kind}`;
        const current = entry.workers.get(key);
        if (!running) continue;
        wanted.add(key);
        if (current && current.containerId === running.id) continue;
        if (current) this.#stopWorker(entry, key, current);
        this.#startWorker(entry, key, kind, spec, running);
      }
    }
    for (const [key, worker] of entry.workers) if (!wanted.has(key)) this.#stopWorker(entry, key, worker);

    for (const worker of entry.workers.values()) {
      const readinessPending = worker.kind === 'readiness'
        && this.#started(worker.container, worker.containerId)
        && this.#results.readiness.get(worker.containerId) !== 'Success';
      const terminating = !!pod.metadata?.deletionTimestamp && worker.kind !== 'readiness';
      if (readinessPending || terminating) worker.trigger();
    }
  }

  /** Stops the pod's workers and forgets its results. */
  removePod(uid: string): void {
    const entry = this.#pods.get(uid);
    if (!entry) return;
    for (const [key, worker] of entry.workers) this.#stopWorker(entry, key, worker);
    this.#pods.delete(uid);
  }

  /** Stops every worker; resolves when probes in flight finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const uid of [...this.#pods.keys()]) this.removePod(uid);
    await Promise.allSettled([...this.#draining]);
  }

  /** Pods with workers (for status and tests). */
  get podCount(): number { return this.#pods.size; }

  /** Running workers of a pod as `<container>/<kind>` keys (for tests and debugging). */
  workersOf(uid: string): string[] {
    const entry = this.#pods.get(uid);
    return entry ? [...entry.workers].filter(([, w]) => !w.stopped).map(([k]) => k).sort() : [];
  }

  #started(container: KubeObject, containerId: string): boolean {
    return !probeSpecOf(container, 'startup') || this.#results.startup.get(containerId) === 'Success';
  }

  #startWorker(entry: PodEntry, key: string, kind: ProbeKind, spec: KubeObject, running: ContainerStatus): void {
    const initial = INITIAL[kind];
    if (initial) this.#results[kind].set(running.id, initial);
    const host: WorkerHost = {
      pod: () => entry.pod,
      podIP: () => entry.podIPs[0] ?? '',
      started: (c, id) => this.#started(c, id),
      setResult: (k, id, result) => this.#set(entry, k, id, result),
      startupSucceeded: (name) => entry.workers.get(`${name}/readiness`)?.trigger(),
      now: this.#o.now ?? Date.now,
      prober: this.#prober,
      logger: this.#o.logger,
    };
    const worker = new ProbeWorker(host, kind, spec, running.id, running.startedAt ?? running.createdAt);
    entry.workers.set(key, worker);
    worker.start();
  }

  #stopWorker(entry: PodEntry, key: string, worker: ProbeWorker): void {
    const done = worker.stop();
    if (worker.inFlight) {
      this.#draining.add(done);
      void done.finally(() => this.#draining.delete(done));
    }
    this.#results[worker.kind].delete(worker.containerId);
    if (entry.workers.get(key) === worker) entry.workers.delete(key);
  }

  #set(entry: PodEntry, kind: ProbeKind, containerId: string, result: ProbeResult): void {
    // A worker stopped while probing must not bring back a result that was dropped.
    if (this.#pods.get(entry.uid) !== entry) return;
    const worker = [...entry.workers.values()].find((w) => w.kind === kind && w.containerId === containerId);
    if (!worker) return;
    if (this.#results[kind].get(containerId) === result) return;
    this.#results[kind].set(containerId, result);
    this.#o.logger?.debug('probe result changed', { pod: entry.uid, container: worker.container.name, kind, result });
    queueMicrotask(() => this.#o.onResultChange(entry.uid));
  }
}

/** App containers and sidecars (init containers with restartPolicy Always): the probed ones. */
function probedContainers(pod: KubeObject): KubeObject[] {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c: KubeObject) => c.restartPolicy === 'Always');
  return [...sidecars, ...(pod.spec?.containers ?? [])];
}

/** The newest runtime container of that name, if it is running. */
function latestRunning(containers: ContainerStatus[], name: string): ContainerStatus | undefined {
  let latest: ContainerStatus | undefined;
  for (const c of containers) {
    if (c.name !== name) continue;
    if (!latest || c.attempt > latest.attempt || (c.attempt === latest.attempt && c.createdAt > latest.createdAt)) latest = c;
  }
  return latest?.state === 'running' ? latest : undefined;
}
