// The on-disk shape of the SQLite store and how the file is opened. One append-only log table
// (row id = revision, like kine) holds every write until compaction; a tombstone row carries the
// deleted value so a delete event can be replayed. One process owns the file: the exclusive lock
// keeps a second server off the same data dir, whose revision counter would otherwise diverge.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * 'normal': a write is acknowledged once its WAL frames are in the kernel; it survives kill -9 of
 * the server (the OS still writes them) but not a power loss. 'full': the WAL is also fsynced before
 * acknowledging, so writes survive power loss too, at one fsync per group commit.
 */
export type Synchronous = 'normal' | 'full';

const SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS log (
  revision INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS log_key_revision ON log (key, revision, deleted, create_revision);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

export const IN_MEMORY = ':memory:';

/** Opens (creating if needed) the store's database in dataDir, or in memory for ':memory:'. */
export function openDatabase(dataDir: string, synchronous: Synchronous): DatabaseSync {
  let path = IN_MEMORY;
  if (dataDir !== IN_MEMORY) {
    mkdirSync(dataDir, { recursive: true });
    path = join(dataDir, 'store.sqlite');
  }
  const db = new DatabaseSync(path, { timeout: 0 });
  try {
    db.exec(`
      PRAGMA locking_mode = EXCLUSIVE;
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'};
      PRAGMA cache_size = -65536;
      PRAGMA temp_store = MEMORY;
      PRAGMA mmap_size = 268435456;
    `);
    // The first write takes the exclusive lock now rather than at the first user write.
    db.exec('BEGIN IMMEDIATE');
    db.exec(DDL);
    const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    if (version === 0) db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    else if (version !== SCHEMA_VERSION) throw new Error(`store schema version ${version} is not the supported ${SCHEMA_VERSION}`);
    db.exec('COMMIT');
  } catch (err) {
    db.close();
    if (err instanceof Error && /locked|busy/i.test(err.message)) {
      throw new Error(`data dir ${dataDir} is in use by another process`, { cause: err });
    }
    throw err;
  }
  return db;
}
