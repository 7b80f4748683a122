// Restart back-off of crashing containers (upstream's flowcontrol.Backoff as the kubelet uses
// it): 10 s after a failure, doubling per restart up to 5 min; an entry expires once the
// container ran fine for twice the maximum (10 min) since its last restart.
import type { ContainerStatus } from '../../runtime/runtime.ts';
import type { KubeObject, StartFailure } from './types.ts';

export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

interface Entry { backoffMs: number; lastUpdate: number }

export class Backoff {
  readonly #initial: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();

  constructor(opts: BackoffOptions = {}) {
    this.#initial = opts.initialMs ?? INITIAL_BACKOFF_MS;
    this.#max = opts.maxMs ?? MAX_BACKOFF_MS;
    this.#now = opts.now ?? Date.now;
  }

  /** The current back-off of the key, 0 when it has none. */
  get(key: string): number {
    return this.#entries.get(key)?.backoffMs ?? 0;
  }

  /** Records a retry after a failure at `eventTime` (default now): the first back-off, or the next doubling. */
  next(key: string, eventTime: number = this.#now()): void {
    const e = this.#entries.get(key);
    if (!e || this.#expired(eventTime, e)) {
      this.#entries.set(key, { backoffMs: this.#initial, lastUpdate: this.#now() });
    } else {
      e.backoffMs = Math.min(e.backoffMs * 2, this.#max);
      e.lastUpdate = this.#now();
    }
  }

  /** Whether less than the current back-off has passed since `eventTime` (a failure). */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const e = this.#entries.get(key);
    if (!e || this.#expired(eventTime, e)) return false;
    return this.#now() - eventTime < e.backoffMs;
  }

  /**
   * Whether less than the current back-off has passed since the last `next` (how image pulls
   * back off: ImagePullBackOff until then).
   */
  isInBackOffSinceUpdate(key: string, eventTime: number = this.#now()): boolean {
    const e = this.#entries.get(key);
    if (!e || this.#expired(eventTime, e)) return false;
    return eventTime - e.lastUpdate < e.backoffMs;
  }

  /** When the back-off since the last `next` ends (ms since the epoch); 0 without an entry. */
  nextRetryAt(key: string): number {
    const e = this.#entries.get(key);
    return e ? e.lastUpdate + e.backoffMs : 0;
  }

  /** When the back-off that started at `eventTime` ends (ms since the epoch). */
  backOffEnds(key: string, eventTime: number): number {
    return eventTime + this.get(key);
  }

  reset(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops every entry of a pod (keys made by backoffKey). */
  forgetPod(podUid: string): void {
    for (const k of [...this.#entries.keys()]) if (k.startsWith(`${podUid}/`)) this.#entries.delete(k);
  }

  /** Drops entries not updated for twice the maximum. */
  gc(): void {
    const now = this.#now();
    for (const [k, e] of this.#entries) if (now - e.lastUpdate > this.#max * 2) this.#entries.delete(k);
  }

  #expired(eventTime: number, e: Entry): boolean {
    return eventTime - e.lastUpdate > this.#max * 2;
  }
}

export const backoffKey = (podUid: string, containerName: string) => `${podUid}/${containerName}`;

/** name_namespace(uid), as the kubelet names pods in messages. */
export const podDescription = (pod: KubeObject) => `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;

/** A duration as Go prints it: 10s, 1m20s, 5m0s, 1h0m0s, 500ms. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = ((ms % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

export type BackoffCheck =
  | { inBackoff: false }
  | { inBackoff: true; failure: StartFailure; eventMessage: string; retryAt: number };

/**
 * Before starting a container (upstream's doBackOff): when its latest run exited less than the
 * back-off ago, it must wait (CrashLoopBackOff); otherwise the back-off advances for the start.
 */
export function checkBackoff(pod: KubeObject, containerName: string, statuses: ContainerStatus[], backoff: Backoff): BackoffCheck {
  const exited = statuses
    .filter((s) => s.name === containerName && s.state === 'exited')
    .sort((a, b) => b.createdAt - a.createdAt)[0];
  if (!exited) return { inBackoff: false };
  const ts = exited.finishedAt ?? exited.createdAt;
  const key = backoffKey(pod.metadata?.uid ?? '', containerName);
  if (backoff.isInBackOffSince(key, ts)) {
    const pd = podDescription(pod);
    return {
      inBackoff: true,
      failure: { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(backoff.get(key))} restarting failed container=${containerName} pod=${pd}` },
      eventMessage: `Back-off restarting failed container ${containerName} in pod ${pd}`,
      retryAt: backoff.backOffEnds(key, ts),
    };
  }
  backoff.next(key, ts);
  return { inBackoff: false };
}
