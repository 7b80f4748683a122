// Fans committed writes out to the watches of one SQLite store, in process, right after commit.
// A watch first replays the log from its start revision, a chunk per pull, and turns live once it
// has caught up. A live watch whose consumer falls behind goes back to replaying from the log
// instead of queueing without bound; if compaction overtakes it, it fails with 'Compacted'.
import { StorageError } from '../store.ts';
import type { WatchEvent } from '../store.ts';
import { WatchQueue } from '../watch-queue.ts';
import { prefixEnd } from './log-statements.ts';
import type { LogStatements } from './log-statements.ts';

const REPLAY_CHUNK = 1000;
const MAX_QUEUED_EVENTS = 10_000;

export interface LogState {
  readonly statements: LogStatements;
  currentRevision(): number;
  compactedRevision(): number;
}

interface LogWatch {
  readonly prefix: string;
  readonly end: Uint8Array;
  readonly queue: WatchQueue;
  /** The next revision this watch has to deliver. */
  cursor: number;
  /** Fed by publish (true) or replaying from the log on pull (false). */
  live: boolean;
}

export function compactedError(key: string, compactedRevision: number): StorageError {
  return new StorageError('Compacted', key, 'required revision has been compacted', { compactedRevision });
}

export class LogWatchers {
  readonly #log: LogState;
  readonly #watches = new Set<LogWatch>();

  constructor(log: LogState) {
    this.#log = log;
  }

  get size(): number { return this.#watches.size; }

  open(prefix: string, startRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent[]> {
    const current = this.#log.currentRevision();
    const cursor = startRevision > 0 ? startRevision : current + 1;
    const watch: LogWatch = {
      prefix, end: prefixEnd(prefix), cursor, live: cursor > current,
      queue: new WatchQueue(signal, { onPull: () => this.#replay(watch), onEnd: () => this.#watches.delete(watch) }),
    };
    if (watch.queue.ended) return watch.queue;
    const compacted = this.#log.compactedRevision();
    if (cursor < compacted) watch.queue.fail(compactedError(prefix, compacted));
    else this.#watches.add(watch);
    return watch.queue;
  }

  /** Delivers one committed batch, in revision order, to the live watches. */
  publish(events: WatchEvent[]): void {
    if (events.length === 0) return;
    const first = events[0]!.kv.modRevision;
    const last = events[events.length - 1]!.kv.modRevision;
    for (const watch of this.#watches) {
      if (!watch.live || last < watch.cursor) continue;
      if (watch.queue.queuedEvents > MAX_QUEUED_EVENTS) {
        watch.live = false; // it replays this batch from the log once its consumer catches up
        continue;
      }
      const matching: WatchEvent[] = [];
      for (const event of events) {
        if (event.kv.key.startsWith(watch.prefix) && (first >= watch.cursor || event.kv.modRevision >= watch.cursor)) matching.push(event);
      }
      watch.cursor = last + 1;
      if (matching.length > 0) watch.queue.push(matching);
    }
  }

  failAll(error: unknown): void {
    for (const watch of [...this.#watches]) watch.queue.fail(error);
  }

  #replay(watch: LogWatch): void {
    if (watch.live) return;
    const compacted = this.#log.compactedRevision();
    if (watch.cursor < compacted) {
      watch.queue.fail(compactedError(watch.prefix, compacted));
      return;
    }
    const current = this.#log.currentRevision();
    const events = this.#log.statements.history(watch.cursor, current, watch.prefix, watch.end, REPLAY_CHUNK);
    if (events.length < REPLAY_CHUNK) {
      watch.cursor = current + 1;
      watch.live = true;
    } else {
      watch.cursor = events[events.length - 1]!.kv.modRevision + 1;
    }
    watch.queue.push(events);
  }
}
