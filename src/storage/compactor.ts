// Periodic compaction for any Store, the way kube-apiserver compacts etcd: every interval, forget
// the history older than the revision seen one interval ago, but always keep the last
// keepRevisions revisions. So a watch can resume from any revision at most one interval old.
import type { Store } from './store.ts';

export interface AutoCompactOptions {
  /** Default 5 minutes, as upstream. */
  intervalMs?: number;
  /** Revisions always kept behind the current one; default 1000. */
  keepRevisions?: number;
}

export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_KEEP_REVISIONS = 1000;

/** Starts compacting store periodically; returns the function that stops it. */
export function startAutoCompaction(store: Store, options: AutoCompactOptions, onError: (err: unknown) => void): () => void {
  const keep = options.keepRevisions ?? DEFAULT_KEEP_REVISIONS;
  let seenLastTick: number | undefined;
  let running = false;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const current = await store.currentRevision();
      const target = Math.min(seenLastTick ?? 0, current - keep);
      seenLastTick = current;
      if (target > 0 && target > (await store.compactedRevision())) await store.compact(target);
    } catch (err) {
      onError(err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
