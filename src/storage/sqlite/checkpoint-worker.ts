// Worker thread body: copies committed WAL frames into the database file off the main thread, so
// that checkpointing (copies and fsyncs) never stalls the server's event loop. PASSIVE never takes
// the write lock, so it never delays a commit. On request it checkpoints at once and answers
// whether the whole WAL was copied.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new DatabaseSync(file, { timeout: 0 });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const run = (): { busy: number; log: number; checkpointed: number } => checkpoint.get() as { busy: number; log: number; checkpointed: number };
setInterval(run, intervalMs);
parentPort!.on('message', () => {
  const result = run();
  parentPort!.postMessage(result.busy === 0 && result.log === result.checkpointed);
});
