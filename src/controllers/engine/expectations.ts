// Expectations: a controller that creates or deletes children records how many it expects to
// see, and does not act again for that owner until its informer has observed them (or a
// timeout passes). This keeps level-triggered controllers from over-creating under cache lag
// (upstream's ControllerExpectations).
const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation { add: number; del: number; at: number }

export class Expectations {
  readonly #byKey = new Map<string, Expectation>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) { this.#now = now; }

  expectCreations(key: string, n: number): void { this.#set(key, n, 0); }
  expectDeletions(key: string, n: number): void { this.#set(key, 0, n); }

  #set(key: string, add: number, del: number): void {
    this.#byKey.set(key, { add, del, at: this.#now() });
  }

  /** A create the controller expected was observed (or failed and will never be). */
  creationObserved(key: string): void { const e = this.#byKey.get(key); if (e) e.add--; }
  deletionObserved(key: string): void { const e = this.#byKey.get(key); if (e) e.del--; }

  /** True when the controller may act on key: nothing pending, or the record has expired. */
  satisfied(key: string): boolean {
    const e = this.#byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.#now() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  forget(key: string): void { this.#byKey.delete(key); }
}
