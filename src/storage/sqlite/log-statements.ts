// Every SQL statement the SQLite store runs, prepared once, and the mapping from rows to the
// contract's types. Key ranges are compared as UTF-8 bytes (SQLite's BINARY collation), the same
// order etcd uses; a prefix's upper bound is its byte successor, bound as a blob cast to text.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { KeyValue, WatchEvent } from '../store.ts';

/** The newest row of a key, without its value (answered from the covering index). */
export interface LatestRow { revision: number; deleted: number; create_revision: number }
interface ValueRow { revision: number; key: string; create_revision: number; value: Uint8Array }
interface HistoryRow extends ValueRow {
  deleted: number;
  prev_mod_revision: number | null;
  prev_create_revision: number | null;
  prev_value: Uint8Array | null;
  prev_deleted: number | null;
}

/** Exclusive upper bound of the keys starting with prefix, as UTF-8 bytes. */
export function prefixEnd(prefix: string): Uint8Array {
  // 0xFF never occurs in UTF-8, so it sorts after every key; valid UTF-8 never ends in 0xFF either.
  if (prefix === '') return Uint8Array.of(0xff);
  const end = Buffer.from(prefix, 'utf8');
  end[end.length - 1]! += 1;
  return end;
}

/** The larger of two keys in byte order. */
export function maxKey(a: string, b: string): string {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')) >= 0 ? a : b;
}

export class LogStatements {
  readonly begin: StatementSync;
  readonly commit: StatementSync;
  readonly rollback: StatementSync;
  readonly #latest: StatementSync;
  readonly #latestWithValue: StatementSync;
  readonly #insert: StatementSync;
  readonly #list: StatementSync;
  readonly #history: StatementSync;
  readonly #maxRevision: StatementSync;
  readonly #minRevision: StatementSync;
  readonly #readMeta: StatementSync;
  readonly #writeMeta: StatementSync;
  readonly #compactRange: StatementSync;

  constructor(db: DatabaseSync) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.#latest = db.prepare('SELECT revision, deleted, create_revision FROM log WHERE key = ? ORDER BY revision DESC LIMIT 1');
    this.#latestWithValue = db.prepare('SELECT revision, key, deleted, create_revision, value FROM log WHERE key = ? ORDER BY revision DESC LIMIT 1');
    this.#insert = db.prepare('INSERT INTO log (revision, key, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?)');
    // Walks the (key, revision) index in key order; a row is listed when it is its key's newest at the revision.
    this.#list = db.prepare(`
      SELECT l.revision, l.key, l.create_revision, l.value FROM log AS l
      WHERE l.key >= ? AND l.key < CAST(? AS TEXT) AND l.revision <= ? AND l.deleted = 0
        AND l.revision = (SELECT max(m.revision) FROM log AS m WHERE m.key = l.key AND m.revision <= ?)
      ORDER BY l.key LIMIT ?`);
    this.#history = db.prepare(`
      SELECT l.revision, l.key, l.deleted, l.create_revision, l.value,
        p.revision AS prev_mod_revision, p.create_revision AS prev_create_revision, p.value AS prev_value, p.deleted AS prev_deleted
      FROM log AS l LEFT JOIN log AS p ON p.revision = l.prev_revision
      WHERE l.revision >= ? AND l.revision <= ? AND l.key >= ? AND l.key < CAST(? AS TEXT)
      ORDER BY l.revision LIMIT ?`);
    this.#maxRevision = db.prepare('SELECT coalesce(max(revision), 0) AS revision FROM log');
    this.#minRevision = db.prepare('SELECT coalesce(min(revision), 0) AS revision FROM log');
    this.#readMeta = db.prepare('SELECT value FROM meta WHERE name = ?');
    this.#writeMeta = db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
    // Below the compaction revision a row goes when its key has a newer row that is also below it,
    // or when it is a tombstone: the newest row below keeps the state at the compaction readable.
    this.#compactRange = db.prepare(`
      DELETE FROM log WHERE revision >= ?1 AND revision < ?2 AND revision < ?3
        AND (deleted = 1 OR EXISTS (SELECT 1 FROM log AS newer WHERE newer.key = log.key AND newer.revision > log.revision AND newer.revision < ?3))`);
  }

  latest(key: string): LatestRow | undefined {
    return this.#latest.get(key) as LatestRow | undefined;
  }

  latestKv(key: string): KeyValue | undefined {
    const row = this.#latestWithValue.get(key) as (ValueRow & { deleted: number }) | undefined;
    return row && row.deleted === 0 ? toKv(row) : undefined;
  }

  insert(revision: number, key: string, deleted: boolean, createRevision: number, prevRevision: number, value: Uint8Array): void {
    this.#insert.run(revision, key, deleted ? 1 : 0, createRevision, prevRevision, value);
  }

  /** Live keys in [from, prefixEnd) at revision, in key order; limit < 0: all. */
  list(from: string, end: Uint8Array, revision: number, limit: number): KeyValue[] {
    return (this.#list.all(from, end, revision, revision, limit) as unknown as ValueRow[]).map(toKv);
  }

  /** Events in [fromRevision, toRevision] on keys in [prefix, end), oldest first, at most limit. */
  history(fromRevision: number, toRevision: number, prefix: string, end: Uint8Array, limit: number): WatchEvent[] {
    return (this.#history.all(fromRevision, toRevision, prefix, end, limit) as unknown as HistoryRow[]).map(toEvent);
  }

  maxRevision(): number { return (this.#maxRevision.get() as { revision: number }).revision; }
  minRevision(): number { return (this.#minRevision.get() as { revision: number }).revision; }

  readMeta(name: string): number | undefined {
    return (this.#readMeta.get(name) as { value: number } | undefined)?.value;
  }

  writeMeta(name: string, value: number): void { this.#writeMeta.run(name, value); }

  /** Removes the history below compactRevision among rows in [from, to); returns the rows removed. */
  compactRange(from: number, to: number, compactRevision: number): number {
    return Number(this.#compactRange.run(from, to, compactRevision).changes);
  }
}

function toKv(row: ValueRow): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.create_revision, modRevision: row.revision };
}

function toEvent(row: HistoryRow): WatchEvent {
  const kv = toKv(row);
  if (row.deleted === 1) return { type: 'delete', kv };
  if (row.prev_mod_revision === null || row.prev_deleted !== 0) return { type: 'put', kv };
  return {
    type: 'put', kv,
    prevKv: { key: row.key, value: row.prev_value!, createRevision: row.prev_create_revision!, modRevision: row.prev_mod_revision },
  };
}
