// The on-disk shape of the SQLite store and how the file is opened. One append-only log table
// (row id = revision, like kine) holds every write until compaction; a tombstone row carries the
// deleted value so a delete event can be replayed. One process owns a data dir (lockDataDir):
// the store keeps its revision counter in memory, which a second writer would break.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { lockDataDir } from './data-dir-lock.ts';

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

export interface OpenedDatabase {
  readonly db: DatabaseSync;
  /** The database file; undefined in memory. */
  readonly file: string | undefined;
  /** Closes the database and gives up the data dir. */
  close(): void;
}

/** Opens (creating if needed) the store's database in dataDir, or in memory for ':memory:'. */
export function openDatabase(dataDir: string, synchronous: Synchronous): OpenedDatabase {
  if (dataDir === IN_MEMORY) {
    const db = new DatabaseSync(IN_MEMORY);
    db.exec(DDL);
    return { db, file: undefined, close: () => db.close() };
  }
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir);
  const file = join(dataDir, 'store.sqlite');
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file, { timeout: 0 });
    db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'};
      PRAGMA journal_size_limit = 67108864;
      PRAGMA cache_size = -65536;
      PRAGMA temp_store = MEMORY;
      PRAGMA mmap_size = 268435456;
    `);
    db.exec('BEGIN IMMEDIATE');
    db.exec(DDL);
    const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    if (version === 0) db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    else if (version !== SCHEMA_VERSION) throw new Error(`store schema version ${version} is not the supported ${SCHEMA_VERSION}`);
    db.exec('COMMIT');
  } catch (err) {
    db?.close();
    lock.release();
    throw err;
  }
  const opened = db;
  return { db: opened, file, close: () => { opened.close(); lock.release(); } };
}
