// Keeps the WAL of a file-backed store short without stalling the event loop. A worker thread
// checkpoints passively every few milliseconds. SQLite rewinds the WAL only when a checkpoint
// copied it all before the next commit, which under steady writes rarely happens by chance; so
// after every few MiB written, commits pause (writes queue, the event loop runs on) while the
// worker copies the short tail, and the next commit starts the WAL over. If the worker dies,
// SQLite's own automatic checkpoints on the main thread take over.
import type { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';

const WORKER_INTERVAL_MS = 20;
/** Bytes written between two rewinds of the WAL. */
const REWIND_EVERY_BYTES = 16 * 1024 * 1024;
/** A rewind that takes longer than this is given up; commits resume. */
const REWIND_TIMEOUT_MS = 2000;

export class Checkpointer {
  readonly #worker: Worker;
  readonly #resume: () => void;
  #written = 0;
  #rewinding: NodeJS.Timeout | undefined;
  #failed = false;

  /** resume: called when commits may go on after a pause. */
  constructor(db: DatabaseSync, file: string, resume: () => void, onError: (err: unknown) => void) {
    this.#resume = resume;
    db.exec('PRAGMA wal_autocheckpoint = 0');
    this.#worker = new Worker(new URL('./checkpoint-worker.ts', import.meta.url), { workerData: { file, intervalMs: WORKER_INTERVAL_MS } });
    this.#worker.unref();
    this.#worker.on('message', () => this.#endRewind());
    this.#worker.on('error', (err) => {
      onError(err);
      this.#failed = true;
      db.exec('PRAGMA wal_autocheckpoint = 1000');
      this.#endRewind();
    });
  }

  /** True while commits must wait for a rewind. */
  get paused(): boolean { return this.#rewinding !== undefined; }

  /** Called after each commit with roughly how many bytes it wrote. */
  committed(bytes: number): void {
    this.#written += bytes;
    if (this.#written < REWIND_EVERY_BYTES || this.#rewinding || this.#failed) return;
    this.#rewinding = setTimeout(() => this.#endRewind(), REWIND_TIMEOUT_MS);
    this.#worker.postMessage('rewind');
  }

  #endRewind(): void {
    if (!this.#rewinding) return;
    clearTimeout(this.#rewinding);
    this.#rewinding = undefined;
    this.#written = 0;
    this.#resume();
  }

  async stop(): Promise<void> {
    this.#failed = true;
    this.#endRewind();
    this.#worker.removeAllListeners('error');
    await this.#worker.terminate();
  }
}
