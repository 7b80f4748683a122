// Keeps one process per data dir. The store's own database cannot hold an exclusive lock (the
// checkpoint worker needs a second connection), so a small lock database is held in exclusive
// locking mode for as long as the store is open; the OS drops the lock if the process dies.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export function lockDataDir(dataDir: string): { release(): void } {
  const db = new DatabaseSync(join(dataDir, 'lock.sqlite'), { timeout: 0 });
  try {
    db.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS owner (pid INTEGER); COMMIT;');
  } catch (err) {
    db.close();
    if (err instanceof Error && /locked|busy/i.test(err.message)) {
      throw new Error(`data dir ${dataDir} is in use by another process`, { cause: err });
    }
    throw err;
  }
  return { release: () => db.close() };
}
