// A rate-limited work queue with client-go's guarantees: a pending key is queued once; a key is
// never processed by two workers at once; a key added while being processed runs again after;
// failures back off per key exponentially, under an overall token bucket.
export interface RateLimiterOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Overall rate (tokens per second) and burst. */
  qps: number;
  burst: number;
}

export const DEFAULT_RATE_LIMITS: RateLimiterOptions = { baseDelayMs: 5, maxDelayMs: 1000_000, qps: 10, burst: 100 };

export class WorkQueue {
  readonly #queue: string[] = [];
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  readonly #waiters: ((key: string | undefined) => void)[] = [];
  readonly #limits: RateLimiterOptions;
  #tokens: number;
  #lastRefill = Date.now();
  #shutDown = false;

  constructor(limits: Partial<RateLimiterOptions> = {}) {
    this.#limits = { ...DEFAULT_RATE_LIMITS, ...limits };
    this.#tokens = this.#limits.burst;
  }

  get length(): number { return this.#queue.length; }

  add(key: string): void {
    if (this.#shutDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    const waiter = this.#waiters.shift();
    if (waiter) { this.#dirty.delete(key); this.#processing.add(key); waiter(key); return; }
    this.#queue.push(key);
  }

  /** Adds after a delay; an earlier pending delayed add for the key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.#shutDown) return;
    if (delayMs <= 0) { this.add(key); return; }
    const at = Date.now() + delayMs;
    const existing = this.#timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => { this.#timers.delete(key); this.add(key); }, delayMs);
    timer.unref?.();
    this.#timers.set(key, { at, timer });
  }

  /** Adds after the key's backoff (per-key exponential, and the overall token bucket). */
  addRateLimited(key: string): void {
    const n = this.#failures.get(key) ?? 0;
    this.#failures.set(key, n + 1);
    const perKey = Math.min(this.#limits.maxDelayMs, this.#limits.baseDelayMs * 2 ** n);
    this.addAfter(key, Math.max(perKey, this.#bucketDelay()));
  }

  #bucketDelay(): number {
    const now = Date.now();
    this.#tokens = Math.min(this.#limits.burst, this.#tokens + ((now - this.#lastRefill) / 1000) * this.#limits.qps);
    this.#lastRefill = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.#limits.qps) * 1000;
  }

  /** Forgets the key's failures (after a success). */
  forget(key: string): void { this.#failures.delete(key); }
  failures(key: string): number { return this.#failures.get(key) ?? 0; }

  /** The next key to process (undefined after shutdown). Call done(key) when finished. */
  get(): Promise<string | undefined> {
    if (this.#shutDown) return Promise.resolve(undefined);
    const key = this.#queue.shift();
    if (key !== undefined) {
      this.#dirty.delete(key);
      this.#processing.add(key);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key)) {
      this.#dirty.delete(key);
      this.add(key);
    }
  }

  shutDown(): void {
    this.#shutDown = true;
    for (const { timer } of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    for (const w of this.#waiters.splice(0)) w(undefined);
  }
}
