// Worker thread body: copies committed WAL frames into the database file off the main thread, so
// that the fsyncs of checkpointing never stall the server's event loop. PASSIVE never takes the
// write lock, so it never delays a commit.
import { DatabaseSync } from 'node:sqlite';
import { workerData } from 'node:worker_threads';

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new DatabaseSync(file, { timeout: 0 });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
setInterval(() => checkpoint.get(), intervalMs);
