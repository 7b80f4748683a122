// One serialized worker per pod UID (upstream's pod_workers.go): syncs of one pod never overlap,
// requests that arrive while a sync runs collapse into one more sync after it, and a pod can ask
// to be synced again later (restart back-off, probes, the next status check).
import type { Logger } from '../../base/log.ts';

export type SyncFn = (uid: string) => Promise<void>;

export class PodWorkers {
  readonly #sync: SyncFn;
  readonly #log: Logger;
  readonly #running = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  #stopped = false;
  #idle: Promise<void>[] = [];

  constructor(sync: SyncFn, log: Logger) {
    this.#sync = sync;
    this.#log = log;
  }

  /** Syncs the pod now (or right after the sync in progress). */
  enqueue(uid: string): void {
    if (this.#stopped) return;
    if (this.#running.has(uid)) { this.#dirty.add(uid); return; }
    this.#running.add(uid);
    const p = this.#loop(uid);
    this.#idle.push(p);
    void p.finally(() => { this.#idle = this.#idle.filter((x) => x !== p); });
  }

  /** Syncs the pod after `ms` unless an earlier sync is already scheduled. */
  enqueueAfter(uid: string, ms: number): void {
    if (this.#stopped) return;
    const at = Date.now() + ms;
    const cur = this.#timers.get(uid);
    if (cur && cur.at <= at) return;
    if (cur) clearTimeout(cur.timer);
    const timer = setTimeout(() => { this.#timers.delete(uid); this.enqueue(uid); }, Math.max(0, ms));
    timer.unref?.();
    this.#timers.set(uid, { at, timer });
  }

  async #loop(uid: string): Promise<void> {
    try {
      do {
        this.#dirty.delete(uid);
        try {
          await this.#sync(uid);
        } catch (e) {
          this.#log.warn('pod sync failed', { uid, err: e });
          this.enqueueAfter(uid, 1000);
        }
      } while (this.#dirty.has(uid) && !this.#stopped);
    } finally {
      this.#running.delete(uid);
    }
  }

  get busy(): number { return this.#running.size; }

  /** No new syncs; resolves when the running ones finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers.values()) clearTimeout(t.timer);
    this.#timers.clear();
    await Promise.allSettled(this.#idle);
  }
}
