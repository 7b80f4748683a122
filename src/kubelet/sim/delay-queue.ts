// One keyed, cancellable timer heap: every pending transition of every simulated node and pod
// is an entry here, and a single timer is armed for the earliest one. Scheduling a key again
// replaces its entry; due entries are handed to onDue in time order.
export interface DelayEntry<V> { key: string; at: number; value: V }

interface HeapEntry<V> extends DelayEntry<V> { index: number }

/** The longest a Node.js timer can wait; later entries are re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class DelayQueue<V> {
  readonly #heap: HeapEntry<V>[] = [];
  readonly #byKey = new Map<string, HeapEntry<V>>();
  readonly #onDue: (key: string, value: V) => void;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #armedAt = Infinity;
  #stopped = false;

  constructor(onDue: (key: string, value: V) => void, now: () => number = Date.now) {
    this.#onDue = onDue;
    this.#now = now;
  }

  get size(): number { return this.#heap.length; }

  get(key: string): DelayEntry<V> | undefined {
    const e = this.#byKey.get(key);
    return e && { key: e.key, at: e.at, value: e.value };
  }

  /** Runs onDue(key, value) at time `at` (ms since the epoch), replacing any entry for key. */
  schedule(key: string, at: number, value: V): void {
    if (this.#stopped) return;
    const old = this.#byKey.get(key);
    if (old) {
      old.value = value;
      const earlier = at < old.at;
      old.at = at;
      if (earlier) this.#up(old.index); else this.#down(old.index);
    } else {
      const e: HeapEntry<V> = { key, at, value, index: this.#heap.length };
      this.#heap.push(e);
      this.#byKey.set(key, e);
      this.#up(e.index);
    }
    this.#arm();
  }

  cancel(key: string): boolean {
    const e = this.#byKey.get(key);
    if (!e) return false;
    this.#removeAt(e.index);
    this.#arm();
    return true;
  }

  /** Drops every entry and the timer; later schedules are ignored. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#heap.length = 0;
    this.#byKey.clear();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedAt = Infinity;
    const now = this.#now();
    const due: HeapEntry<V>[] = [];
    while (this.#heap.length && this.#heap[0].at <= now) {
      const e = this.#heap[0];
      this.#removeAt(0);
      due.push(e);
    }
    this.#arm();
    for (const e of due) this.#onDue(e.key, e.value);
  }

  #arm(): void {
    if (this.#stopped) return;
    const next = this.#heap[0]?.at ?? Infinity;
    if (next === this.#armedAt) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedAt = next;
    if (next === Infinity) return;
    this.#timer = setTimeout(() => this.#fire(), Math.min(MAX_TIMER_MS, Math.max(0, next - this.#now())));
  }

  #removeAt(i: number): void {
    const e = this.#heap[i];
    this.#byKey.delete(e.key);
    const last = this.#heap.pop()!;
    if (i < this.#heap.length) {
      this.#heap[i] = last;
      last.index = i;
      this.#down(i);
      this.#up(last.index);
    }
  }

  #swap(i: number, j: number): void {
    const h = this.#heap;
    [h[i], h[j]] = [h[j], h[i]];
    h[i].index = i;
    h[j].index = j;
  }

  #up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.#heap[p].at <= this.#heap[i].at) return;
      this.#swap(i, p);
      i = p;
    }
  }

  #down(i: number): void {
    const n = this.#heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.#heap[l].at < this.#heap[m].at) m = l;
      if (r < n && this.#heap[r].at < this.#heap[m].at) m = r;
      if (m === i) return;
      this.#swap(i, m);
      i = m;
    }
  }
}
