// The scheduling queue, as upstream's: activeQ (pods to try, in QueueSort order), backoffQ
// (pods waiting out a per-pod exponential backoff, 1s doubling to 10s) and unschedulable pods,
// which move back only on a cluster event one of the plugins that rejected them registered for,
// or after staying five minutes. Pods with scheduling gates wait until the gates are gone.
import type { KubeObject } from '../../client/index.ts';
import { eventMatches, type ClusterEvent, type ClusterEventSpec } from '../framework/events.ts';
import type { QueuedPodInfo } from '../framework/interface.ts';
import { podInfoOf, podKey } from '../framework/pod-info.ts';
import { KeyedHeap } from './heap.ts';
import { Nominator } from './nominator.ts';

export interface QueueOptions {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
  /** Plugin name → events that can undo its rejections. */
  events: Map<string, ClusterEventSpec[]>;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a pod may stay unschedulable before it is retried regardless. */
  maxUnschedulableMs?: number;
  now?: () => number;
}

const keyOf = (q: QueuedPodInfo) => q.podInfo.key;

export class SchedulingQueue {
  readonly nominator = new Nominator();
  readonly #active: KeyedHeap<QueuedPodInfo>;
  readonly #backoff: KeyedHeap<QueuedPodInfo>;
  readonly #unschedulable = new Map<string, QueuedPodInfo>();
  readonly #gated = new Map<string, QueuedPodInfo>();
  /** Pods popped and not yet done, so events during their cycle are not lost. */
  readonly #inFlight = new Map<string, number>();
  readonly #events: Map<string, ClusterEventSpec[]>;
  readonly #initialBackoff: number;
  readonly #maxBackoff: number;
  readonly #maxUnschedulable: number;
  readonly #now: () => number;
  #schedulingCycle = 0;
  #moveRequestCycle = -1;
  #waiters: ((q: QueuedPodInfo | undefined) => void)[] = [];
  #closed = false;

  constructor(opts: QueueOptions) {
    this.#active = new KeyedHeap(keyOf, opts.less);
    this.#backoff = new KeyedHeap(keyOf, (a, b) => a.backoffExpiry < b.backoffExpiry);
    this.#events = opts.events;
    this.#initialBackoff = opts.initialBackoffMs ?? 1000;
    this.#maxBackoff = opts.maxBackoffMs ?? 10_000;
    this.#maxUnschedulable = opts.maxUnschedulableMs ?? 5 * 60_000;
    this.#now = opts.now ?? Date.now;
  }

  get schedulingCycle(): number { return this.#schedulingCycle; }
  /** Sizes of the sub-queues (tests, metrics). */
  get sizes(): { active: number; backoff: number; unschedulable: number; gated: number } {
    return { active: this.#active.size, backoff: this.#backoff.size, unschedulable: this.#unschedulable.size, gated: this.#gated.size };
  }
  /** Which sub-queue holds the pod, if any. */
  where(key: string): 'active' | 'backoff' | 'unschedulable' | 'gated' | undefined {
    if (this.#active.has(key)) return 'active';
    if (this.#backoff.has(key)) return 'backoff';
    if (this.#unschedulable.has(key)) return 'unschedulable';
    if (this.#gated.has(key)) return 'gated';
    return undefined;
  }

  #newQueued(pod: KubeObject): QueuedPodInfo {
    const now = this.#now();
    return { podInfo: podInfoOf(pod), timestamp: now, initialAttemptTimestamp: now, attempts: 0, unschedulablePlugins: new Set(), backoffExpiry: 0 };
  }

  #toActive(q: QueuedPodInfo): void {
    if ((q.podInfo.pod.spec?.schedulingGates ?? []).length > 0) { this.#gated.set(q.podInfo.key, q); return; }
    this.#active.push(q);
    const w = this.#waiters.shift();
    if (w) w(this.#popActive());
  }

  /** A new pending pod. */
  add(pod: KubeObject): void {
    const key = podKey(pod);
    this.#removeEverywhere(key);
    const q = this.#newQueued(pod);
    this.nominator.set(q.podInfo);
    this.#toActive(q);
  }

  /** A pending pod changed: keep its place, and give an unschedulable or gated one another try. */
  update(oldPod: KubeObject, newPod: KubeObject): void {
    const key = podKey(newPod);
    const pi = podInfoOf(newPod);
    this.nominator.set(pi);
    for (const heap of [this.#active, this.#backoff]) {
      const q = heap.get(key);
      if (q) { heap.push({ ...q, podInfo: pi }); return; }
    }
    const gated = this.#gated.get(key);
    if (gated) { this.#gated.delete(key); this.#toActive({ ...gated, podInfo: pi }); return; }
    const q = this.#unschedulable.get(key);
    if (q) {
      if (!specChanged(oldPod, newPod)) { this.#unschedulable.set(key, { ...q, podInfo: pi }); return; }
      this.#unschedulable.delete(key);
      this.#requeue({ ...q, podInfo: pi });
      return;
    }
    if (!this.#inFlight.has(key)) this.add(newPod);
  }

  delete(pod: KubeObject): void {
    const key = podKey(pod);
    this.#removeEverywhere(key);
    this.nominator.delete(key);
  }

  #removeEverywhere(key: string): void {
    this.#active.delete(key);
    this.#backoff.delete(key);
    this.#unschedulable.delete(key);
    this.#gated.delete(key);
  }

  #popActive(): QueuedPodInfo | undefined {
    const q = this.#active.pop();
    if (!q) return undefined;
    q.attempts++;
    this.#schedulingCycle++;
    this.#inFlight.set(q.podInfo.key, this.#schedulingCycle);
    return q;
  }

  /** The next pod to schedule (waits for one); undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    const q = this.#popActive();
    if (q) return Promise.resolve(q);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** The pod's scheduling attempt is over (scheduled, or re-queued). */
  done(key: string): void { this.#inFlight.delete(key); }

  backoffDuration(q: QueuedPodInfo): number {
    let d = this.#initialBackoff;
    for (let i = 1; i < q.attempts; i++) {
      d *= 2;
      if (d >= this.#maxBackoff) return this.#maxBackoff;
    }
    return Math.min(d, this.#maxBackoff);
  }

  #requeue(q: QueuedPodInfo): void {
    q.backoffExpiry = q.timestamp + this.backoffDuration(q);
    if (q.backoffExpiry > this.#now()) this.#backoff.push(q);
    else this.#toActive(q);
  }

  /**
   * Puts a pod that failed back. Rejected by plugins: it waits among the unschedulable pods,
   * unless an event came during its cycle (then backoff); failed by an error: backoff.
   */
  addUnschedulable(q: QueuedPodInfo, podSchedulingCycle: number): void {
    const key = q.podInfo.key;
    this.#inFlight.delete(key);
    if (this.where(key)) return;
    q.timestamp = this.#now();
    q.backoffExpiry = q.timestamp + this.backoffDuration(q);
    this.nominator.set(q.podInfo, this.nominator.nodeOf(key));
    if (q.unschedulablePlugins.size === 0 || this.#moveRequestCycle >= podSchedulingCycle) this.#backoff.push(q);
    else this.#unschedulable.set(key, q);
  }

  /** A cluster event: moves the unschedulable pods whose rejecting plugins care about it. */
  onEvent(e: ClusterEvent): void {
    this.#moveRequestCycle = this.#schedulingCycle;
    for (const [key, q] of this.#unschedulable) {
      if (!this.#cares(q, e)) continue;
      this.#unschedulable.delete(key);
      this.#requeueAfterEvent(q);
    }
  }

  #requeueAfterEvent(q: QueuedPodInfo): void {
    if (q.backoffExpiry > this.#now()) this.#backoff.push(q);
    else this.#toActive(q);
  }

  #cares(q: QueuedPodInfo, e: ClusterEvent): boolean {
    if (e.resource === 'Periodic' || q.unschedulablePlugins.size === 0) return true;
    for (const plugin of q.unschedulablePlugins) {
      for (const spec of this.#events.get(plugin) ?? []) if (eventMatches(spec, e)) return true;
    }
    return false;
  }

  /** Moves pods whose backoff ended to activeQ (upstream runs this every second). */
  flushBackoffCompleted(): void {
    const now = this.#now();
    for (let q = this.#backoff.peek(); q && q.backoffExpiry <= now; q = this.#backoff.peek()) {
      this.#backoff.pop();
      this.#toActive(q);
    }
  }

  /** Retries pods unschedulable for longer than the limit (upstream: every 30 s, 5 min). */
  flushUnschedulableLeftover(): void {
    const now = this.#now();
    for (const [key, q] of this.#unschedulable) {
      if (now - q.timestamp < this.#maxUnschedulable) continue;
      this.#unschedulable.delete(key);
      this.#requeueAfterEvent(q);
    }
  }

  /** Runs the periodic flushes until signal aborts, then wakes waiting pops with undefined. */
  run(signal: AbortSignal): void {
    const backoff = setInterval(() => this.flushBackoffCompleted(), 1000);
    const leftover = setInterval(() => this.flushUnschedulableLeftover(), 30_000);
    signal.addEventListener('abort', () => {
      clearInterval(backoff);
      clearInterval(leftover);
      this.close();
    }, { once: true });
  }

  close(): void {
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w(undefined);
  }
}

/** Whether the parts of a pending pod the scheduler looks at changed (not just its status). */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  return JSON.stringify(a.spec) !== JSON.stringify(b.spec) || JSON.stringify(a.metadata?.labels) !== JSON.stringify(b.metadata?.labels);
}
