// The consumer side of one watch, shared by the backends: the backend pushes committed event
// batches (or fails the watch); the consumer pulls them, merged, as an async iterable. It ends
// when the signal aborts or the consumer stops iterating, and then tells the backend once.
import type { WatchEvent } from './store.ts';

export interface WatchQueueHooks {
  /** Called when the consumer wants events and none are queued: a backend that replays history lazily pushes the next chunk here. */
  onPull?: () => void;
  /** Called once when the watch ends for any reason; the backend releases what the watch holds. */
  onEnd: () => void;
}

export class WatchQueue implements AsyncIterable<WatchEvent[]> {
  readonly #hooks: WatchQueueHooks;
  #batches: WatchEvent[][] = [];
  #queuedEvents = 0;
  #failure: { error: unknown } | undefined;
  #ended = false;
  #wake: (() => void) | undefined;
  #iterating = false;
  #released = false;
  readonly #signal: AbortSignal;
  readonly #onAbort = (): void => this.end();

  /** A queue whose signal already aborted starts ended, without calling onEnd: the backend registers nothing. */
  constructor(signal: AbortSignal, hooks: WatchQueueHooks) {
    this.#hooks = hooks;
    this.#signal = signal;
    if (signal.aborted) {
      this.#ended = true;
      this.#released = true;
    } else {
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** Events queued and not yet pulled; a backend uses it to stop feeding a slow consumer. */
  get queuedEvents(): number { return this.#queuedEvents; }
  get ended(): boolean { return this.#ended || this.#failure !== undefined; }

  push(events: WatchEvent[]): void {
    if (this.ended || events.length === 0) return;
    this.#batches.push(events);
    this.#queuedEvents += events.length;
    this.#wakeConsumer();
  }

  /** Ends the watch with an error, delivered after the events already queued. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.#failure = { error };
    this.#release();
    this.#wakeConsumer();
  }

  end(): void {
    if (this.ended) return;
    this.#ended = true;
    this.#batches = [];
    this.#queuedEvents = 0;
    this.#release();
    this.#wakeConsumer();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent[]> {
    if (this.#iterating) throw new Error('a watch can be iterated only once');
    this.#iterating = true;
    return {
      next: () => this.#next(),
      return: async () => { this.end(); return { done: true, value: undefined }; },
    };
  }

  async #next(): Promise<IteratorResult<WatchEvent[]>> {
    for (;;) {
      if (this.#batches.length === 0 && !this.ended && this.#hooks.onPull) this.#hooks.onPull();
      if (this.#batches.length > 0) {
        const batches = this.#batches;
        this.#batches = [];
        this.#queuedEvents = 0;
        return { done: false, value: batches.length === 1 ? batches[0]! : batches.flat() };
      }
      if (this.#failure) throw this.#failure.error;
      if (this.#ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => { this.#wake = resolve; });
    }
  }

  #wakeConsumer(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#signal.removeEventListener('abort', this.#onAbort);
    this.#hooks.onEnd();
  }
}
