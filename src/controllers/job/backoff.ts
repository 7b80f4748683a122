// The delay before replacing failed pods: per Job, the failures since the last success and the
// time of the last one; the delay starts at the base and doubles per failure up to the cap.
import type { KubeObject } from '../../client/api-client.ts';
import { finishedTime } from './pod-state.ts';

export interface BackoffRecord { failuresAfterLastSuccess: number; lastFailureTime?: number }

export class BackoffStore {
  readonly #records = new Map<string, BackoffRecord>();

  get(key: string): BackoffRecord { return this.#records.get(key) ?? { failuresAfterLastSuccess: 0 }; }
  set(key: string, r: BackoffRecord): void { this.#records.set(key, r); }
  remove(key: string): void { this.#records.delete(key); }

  /** The record after the newly finished pods of this sync (not stored until the status is written). */
  next(key: string, newSucceeded: readonly KubeObject[], newFailed: readonly KubeObject[]): BackoffRecord {
    const r = { ...this.get(key) };
    const failedTimes = newFailed.map(finishedTime).sort((a, b) => a - b);
    if (newSucceeded.length === 0) {
      if (failedTimes.length === 0) return r;
      return { failuresAfterLastSuccess: r.failuresAfterLastSuccess + failedTimes.length, lastFailureTime: failedTimes[failedTimes.length - 1] };
    }
    const lastSuccess = Math.max(...newSucceeded.map(finishedTime));
    const after = failedTimes.filter((t) => t > lastSuccess);
    return after.length ? { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1] } : { failuresAfterLastSuccess: 0 };
  }
}

export function remainingBackoffMs(r: BackoffRecord, now: number, baseMs: number, maxMs: number): number {
  if (r.failuresAfterLastSuccess === 0 || r.lastFailureTime === undefined) return 0;
  let d = baseMs;
  for (let i = 1; i < r.failuresAfterLastSuccess; i++) {
    d *= 2;
    if (d >= maxMs) { d = maxMs; break; }
  }
  const elapsed = now - r.lastFailureTime;
  return d < elapsed ? 0 : d - elapsed;
}
