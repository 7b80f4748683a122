// Keeps the WAL of a file-backed store short without stalling the event loop. A worker thread
// checkpoints passively every few milliseconds. Under steady writes a passive checkpoint never
// catches up with the last commit, and SQLite only rewinds the WAL once it has; so after every
// few MiB written the main thread runs one passive checkpoint itself, between two commits, which
// only has the tail left to copy. If the worker dies, SQLite's own automatic checkpoints resume.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';

const WORKER_INTERVAL_MS = 20;
/** Bytes written between the main thread's own checkpoints. */
const REWIND_EVERY_BYTES = 16 * 1024 * 1024;

export class Checkpointer {
  readonly #checkpoint: StatementSync;
  readonly #worker: Worker;
  #written = 0;
  #stopped = false;
  #scheduled = false;

  constructor(db: DatabaseSync, file: string, onError: (err: unknown) => void) {
    this.#checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
    db.exec('PRAGMA wal_autocheckpoint = 0');
    this.#worker = new Worker(new URL('./checkpoint-worker.ts', import.meta.url), { workerData: { file, intervalMs: WORKER_INTERVAL_MS } });
    this.#worker.unref();
    this.#worker.on('error', (err) => {
      onError(err);
      if (!this.#stopped) db.exec('PRAGMA wal_autocheckpoint = 1000');
    });
  }

  /** Called after each commit with roughly how many bytes it wrote. */
  committed(bytes: number): void {
    this.#written += bytes;
    if (this.#written < REWIND_EVERY_BYTES || this.#scheduled) return;
    this.#scheduled = true;
    // After the acknowledgements of this commit went out, before the next commit.
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#stopped) return;
      // busy: the worker is mid-checkpoint; a later commit tries again.
      const result = this.#checkpoint.get() as { busy: number };
      if (result.busy === 0) this.#written = 0;
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#worker.terminate();
  }
}
