// The periodic prober of one probe kind of one runtime container (upstream's worker.go): waits
// initialDelaySeconds from the container's start, then probes every periodSeconds; results change
// only after successThreshold/failureThreshold equal results in a row. Liveness and readiness wait
// for the startup probe; startup stops probing once it reached a result, liveness after a failure
// (the container is about to be restarted); a terminating pod's liveness/startup become Success.
import { runProbe, probeSpecOf } from './prober.ts';
import type { ProberDeps } from './prober.ts';
import type { KubeObject, Logger, ProbeKind, ProbeResult } from './types.ts';

export interface WorkerHost {
  /** The pod as last synced (deletionTimestamp is read from it). */
  pod(): KubeObject;
  podIP(): string;
  /** The startup probe succeeded, or there is none. */
  started(container: KubeObject, containerId: string): boolean;
  setResult(kind: ProbeKind, containerId: string, result: ProbeResult): void;
  /** A startup probe just succeeded: readiness should not wait for its next period. */
  startupSucceeded(containerName: string): void;
  now(): number;
  readonly prober: ProberDeps;
  readonly logger?: Logger;
}

export class ProbeWorker {
  readonly kind: ProbeKind;
  readonly container: KubeObject;
  readonly containerId: string;
  readonly #startedAt: number;
  readonly #spec: KubeObject;
  readonly #host: WorkerHost;
  #lastResult: ProbeResult | undefined;
  #run = 0;
  #onHold = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #triggered = false;

  constructor(host: WorkerHost, kind: ProbeKind, container: KubeObject, containerId: string, startedAt: number) {
    this.#host = host;
    this.kind = kind;
    this.container = container;
    this.containerId = containerId;
    this.#startedAt = startedAt;
    this.#spec = probeSpecOf(container, kind) ?? {};
  }

  get #secondMs(): number { return this.#host.prober.secondMs; }
  get #periodMs(): number { return Number(this.#spec.periodSeconds ?? 10) * this.#secondMs; }
  get #delayLeftMs(): number {
    const delayMs = Number(this.#spec.initialDelaySeconds ?? 0) * this.#secondMs;
    return this.#startedAt + delayMs - this.#host.now();
  }

  start(): void {
    this.#schedule(Math.max(0, this.#delayLeftMs));
  }

  /** Probe now instead of at the next period (upstream's manual trigger). */
  trigger(): void {
    if (this.#stopped || this.#onHold) return;
    if (this.#inFlight) { this.#triggered = true; return; }
    this.#schedule(0);
  }

  /** No more probes; resolves when a probe in flight finished (its result is dropped). */
  stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    return this.#inFlight ?? Promise.resolve();
  }

  get stopped(): boolean { return this.#stopped; }
  get inFlight(): Promise<void> | undefined { return this.#inFlight; }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#inFlight = this.#probeOnce().catch((e) => {
        this.#host.logger?.warn('probe worker failed', { kind: this.kind, container: this.container.name, err: e });
      }).finally(() => {
        this.#inFlight = undefined;
        // On hold, only a new container (a new worker) probes again.
        if (this.#stopped || this.#onHold) return;
        const delayLeft = this.#delayLeftMs;
        if (this.#triggered) { this.#triggered = false; this.#schedule(0); }
        else this.#schedule(delayLeft > 0 ? delayLeft : this.#periodMs);
      });
    }, ms);
  }

  async #probeOnce(): Promise<void> {
    if (this.#onHold) return;
    const host = this.#host;
    const pod = host.pod();
    if (pod.metadata?.deletionTimestamp && (this.kind === 'liveness' || this.kind === 'startup')) {
      // A quiet shutdown: no restarts of a container that is being stopped anyway.
      host.setResult(this.kind, this.containerId, 'Success');
      this.#stopped = true;
      return;
    }
    if (this.#delayLeftMs > 0) return;
    const started = host.started(this.container, this.containerId);
    if (this.kind === 'startup' ? started : !started) return;

    const verdict = await runProbe(
      { kind: this.kind, pod, container: this.container, containerId: this.containerId, podIP: host.podIP() },
      host.prober,
    );
    if (this.#stopped || verdict.errored) return;
    const result = verdict.result;
    if (this.#lastResult === result) this.#run++;
    else { this.#lastResult = result; this.#run = 1; }
    const threshold = Number((result === 'Failure' ? this.#spec.failureThreshold : this.#spec.successThreshold) ?? (result === 'Failure' ? 3 : 1));
    if (this.#run < threshold) return;

    host.setResult(this.kind, this.containerId, result);
    if ((this.kind === 'liveness' && result === 'Failure') || this.kind === 'startup') {
      // Nothing more to learn from this container: it is restarted (liveness/startup failure)
      // or it has started.
      this.#onHold = true;
      this.#run = 0;
    }
    if (this.kind === 'startup' && result === 'Success') host.startupSucceeded(String(this.container.name));
  }
}
