// Writes a StatefulSet controller made that its pod cache has not shown yet. StatefulSet pods
// have fixed names, so instead of counting (upstream's expectations) the controller remembers
// each pod it created or deleted and waits until the cache reflects it, or a timeout passes.
// This keeps it from acting twice on a stale cache (a second create, a second delete).
import type { KubeObject } from '../../client/api-client.ts';

const TIMEOUT_MS = 30_000;

interface PendingWrite { op: 'create' | 'delete'; uid: string; at: number }

export class PendingWrites {
  readonly #bySet = new Map<string, Map<string, PendingWrite>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) { this.#now = now; }

  record(setKey: string, op: 'create' | 'delete', pod: KubeObject): void {
    let m = this.#bySet.get(setKey);
    if (!m) this.#bySet.set(setKey, (m = new Map()));
    m.set(pod.metadata.name, { op, uid: pod.metadata.uid ?? '', at: this.#now() });
  }

  /** True when the cache (lookup by pod name) shows every recorded write; forgets those it shows. */
  satisfied(setKey: string, cached: (podName: string) => KubeObject | undefined): boolean {
    const m = this.#bySet.get(setKey);
    if (!m) return true;
    for (const [name, w] of m) {
      const pod = cached(name);
      const seen = w.op === 'create'
        ? !!pod && (!w.uid || pod.metadata.uid === w.uid || !!pod.metadata.deletionTimestamp)
        : !pod || pod.metadata.uid !== w.uid || !!pod.metadata.deletionTimestamp;
      if (seen || this.#now() - w.at > TIMEOUT_MS) m.delete(name);
    }
    if (m.size === 0) this.#bySet.delete(setKey);
    return m.size === 0;
  }

  forget(setKey: string): void { this.#bySet.delete(setKey); }
}
