// The embedded Store on node:sqlite. One process owns the file, so the revision counter lives in
// memory and watches are fed in process right after each commit (no polling). Writes are group
// committed: every write queued during one turn of the event loop is applied, in order, in one
// transaction, and acknowledged only after that transaction committed; a failed transaction rolls
// back whole and its writes are retried one by one, so one bad write never fails its neighbours.
import { StorageError } from '../store.ts';
import type { KeyValue, ListOptions, ListResult, Store, WatchEvent } from '../store.ts';
import { LogStatements, maxKey, prefixEnd } from './log-statements.ts';
import { compactedError, LogWatchers } from './log-watchers.ts';
import { Checkpointer } from './checkpointer.ts';
import { openDatabase } from './schema.ts';
import type { OpenedDatabase, Synchronous } from './schema.ts';
import type { DatabaseSync } from 'node:sqlite';
import { createLogger } from '../../base/index.ts';
import { startAutoCompaction } from '../compactor.ts';
import type { AutoCompactOptions } from '../compactor.ts';

export interface SqliteStoreOptions {
  /** Directory holding the database; ':memory:' keeps everything in memory (tests). */
  dataDir: string;
  /** Default 'normal': acknowledged writes survive kill -9 of the server; 'full' also power loss. */
  synchronous?: Synchronous;
  /** Compact periodically (absent: never, the owner compacts). */
  autoCompact?: AutoCompactOptions;
}

type WriteOp =
  | { kind: 'create'; key: string; value: Uint8Array; settle: Settle }
  | { kind: 'update'; key: string; value: Uint8Array; expected: number; settle: Settle }
  | { kind: 'delete'; key: string; expected: number | undefined; settle: Settle };

interface Settle { resolve(kv: KeyValue): void; reject(err: unknown): void }

type Outcome = { kv: KeyValue; event: WatchEvent } | { error: StorageError };

/** How many revisions one compaction transaction covers before yielding to the event loop. */
const COMPACTION_STEP = 20_000;

export class SqliteStore implements Store {
  readonly #opened: OpenedDatabase;
  readonly #db: DatabaseSync;
  readonly #checkpointer: Checkpointer | undefined;
  readonly #sql: LogStatements;
  readonly #watchers: LogWatchers;
  #revision: number;
  #compacted: number;
  #pending: WriteOp[] = [];
  #flushScheduled = false;
  #compaction: Promise<void> = Promise.resolve();
  #closed = false;
  #stopAutoCompaction: () => void = () => {};

  private constructor(opened: OpenedDatabase) {
    this.#opened = opened;
    const db = opened.db;
    this.#db = db;
    if (opened.file !== undefined) {
      const log = createLogger({ component: 'storage', backend: 'sqlite' });
      this.#checkpointer = new Checkpointer(db, opened.file, () => this.#scheduleFlush(), (err) => log.error('checkpoint worker failed', { err }));
    }
    this.#sql = new LogStatements(db);
    this.#compacted = this.#sql.readMeta('compacted') ?? 0;
    this.#revision = Math.max(this.#sql.maxRevision(), this.#sql.readMeta('revision') ?? 0, this.#compacted);
    this.#watchers = new LogWatchers({
      statements: this.#sql,
      currentRevision: () => this.#revision,
      compactedRevision: () => this.#compacted,
    });
  }

  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    const store = new SqliteStore(openDatabase(options.dataDir, options.synchronous ?? 'normal'));
    if (options.autoCompact) {
      const log = createLogger({ component: 'storage', backend: 'sqlite' });
      store.#stopAutoCompaction = startAutoCompaction(store, options.autoCompact, (err) => log.warn('compaction failed', { err }));
    }
    return store;
  }

  async currentRevision(): Promise<number> {
    this.#checkOpen('');
    return this.#revision;
  }

  async compactedRevision(): Promise<number> {
    this.#checkOpen('');
    return this.#compacted;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.#checkOpen(key);
    return this.#sql.latestKv(key);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.#checkOpen(prefix);
    const revision = options.revision || this.#revision;
    if (revision < this.#compacted) throw compactedError(prefix, this.#compacted);
    if (revision > this.#revision) throw futureRevision(prefix);
    const limit = options.limit || 0;
    const from = options.startKey === undefined ? prefix : maxKey(prefix, options.startKey);
    const kvs = this.#sql.list(from, prefixEnd(prefix), revision, limit > 0 ? limit + 1 : -1);
    const more = limit > 0 && kvs.length > limit;
    if (more) kvs.length = limit;
    return { kvs, revision, more };
  }

  create(key: string, value: Uint8Array): Promise<KeyValue> {
    return this.#enqueue((settle) => ({ kind: 'create', key, value, settle }));
  }

  update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue> {
    return this.#enqueue((settle) => ({ kind: 'update', key, value, expected: expectedModRevision, settle }));
  }

  delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.#enqueue((settle) => ({ kind: 'delete', key, expected: expectedModRevision, settle }));
  }

  watch(prefix: string, startRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent[]> {
    this.#checkOpen(prefix);
    return this.#watchers.open(prefix, startRevision, signal);
  }

  compact(revision: number): Promise<void> {
    const run = this.#compaction.then(() => this.#compact(revision));
    this.#compaction = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#stopAutoCompaction();
    await this.#checkpointer?.stop();
    this.#flush();
    this.#closed = true;
    await this.#compaction;
    this.#watchers.failAll(new StorageError('Unavailable', '', 'store closed'));
    this.#opened.close();
  }

  // --- writes ---

  #enqueue(make: (settle: Settle) => WriteOp): Promise<KeyValue> {
    return new Promise<KeyValue>((resolve, reject) => {
      const op = make({ resolve, reject });
      if (this.#closed) { reject(closedError(op.key)); return; }
      this.#pending.push(op);
      this.#scheduleFlush();
    });
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#pending.length === 0) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    const ops = this.#pending;
    if (ops.length === 0 || this.#closed) return;
    if (this.#checkpointer?.paused) return; // it calls #scheduleFlush when commits may go on
    this.#pending = [];
    try {
      this.#commit(ops);
    } catch (batchError) {
      if (ops.length === 1) { ops[0]!.settle.reject(unavailable(ops[0]!.key, batchError)); return; }
      for (const op of ops) {
        try { this.#commit([op]); } catch (err) { op.settle.reject(unavailable(op.key, err)); }
      }
    }
  }

  /** Applies ops in one transaction; settles them only after it committed. Throws (rolled back) on failure. */
  #commit(ops: WriteOp[]): void {
    const outcomes: Outcome[] = [];
    let revision = this.#revision;
    let bytes = 0;
    this.#sql.begin.run();
    try {
      for (const op of ops) {
        const outcome = this.#apply(op, revision + 1);
        if ('kv' in outcome) {
          revision++;
          bytes += outcome.kv.value.length + outcome.kv.key.length + 64;
        }
        outcomes.push(outcome);
      }
      this.#sql.commit.run();
    } catch (err) {
      if (this.#db.isTransaction) this.#sql.rollback.run();
      throw err;
    }
    this.#revision = revision;
    this.#checkpointer?.committed(bytes);
    const events: WatchEvent[] = [];
    for (const outcome of outcomes) if ('event' in outcome) events.push(outcome.event);
    this.#watchers.publish(events);
    for (let i = 0; i < ops.length; i++) {
      const outcome = outcomes[i]!;
      if ('kv' in outcome) ops[i]!.settle.resolve(outcome.kv);
      else ops[i]!.settle.reject(outcome.error);
    }
  }

  /** One write inside the open transaction, at revision if it succeeds. */
  #apply(op: WriteOp, revision: number): Outcome {
    const { key } = op;
    if (op.kind === 'create') {
      const latest = this.#sql.latest(key);
      if (latest !== undefined && latest.deleted === 0) return { error: new StorageError('KeyExists', key, `key ${key} already exists`) };
      this.#sql.insert(revision, key, false, revision, latest?.revision ?? 0, op.value);
      const kv = { key, value: op.value, createRevision: revision, modRevision: revision };
      return { kv, event: { type: 'put', kv } };
    }
    const current = this.#sql.latestKv(key);
    if (current === undefined) return { error: new StorageError('NotFound', key, `key ${key} not found`) };
    if (op.expected !== undefined && current.modRevision !== op.expected) {
      return { error: new StorageError('Conflict', key, `key ${key} was modified: revision mismatch`, { current }) };
    }
    if (op.kind === 'update') {
      this.#sql.insert(revision, key, false, current.createRevision, current.modRevision, op.value);
      const kv = { key, value: op.value, createRevision: current.createRevision, modRevision: revision };
      return { kv, event: { type: 'put', kv, prevKv: current } };
    }
    this.#sql.insert(revision, key, true, current.createRevision, current.modRevision, current.value);
    const kv = { key, value: current.value, createRevision: current.createRevision, modRevision: revision };
    return { kv, event: { type: 'delete', kv } };
  }

  // --- compaction ---

  async #compact(revision: number): Promise<void> {
    this.#checkOpen('');
    if (revision <= this.#compacted) return;
    if (revision > this.#revision) throw futureRevision('');
    // Reads below the new revision fail from now on; the rows go afterwards in steps, so a large
    // history never blocks the event loop for long. A crash in between leaves rows the next
    // compaction removes.
    this.#inTransaction(() => {
      this.#sql.writeMeta('compacted', revision);
      this.#sql.writeMeta('revision', this.#revision);
    });
    this.#compacted = revision;
    for (let from = this.#sql.minRevision(); from < revision; from += COMPACTION_STEP) {
      if (this.#closed) return;
      const to = Math.min(from + COMPACTION_STEP, revision);
      this.#inTransaction(() => this.#sql.compactRange(from, to, revision));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  #inTransaction(body: () => void): void {
    this.#sql.begin.run();
    try {
      body();
      this.#sql.commit.run();
    } catch (err) {
      if (this.#db.isTransaction) this.#sql.rollback.run();
      throw err;
    }
  }

  #checkOpen(key: string): void {
    if (this.#closed) throw closedError(key);
  }
}

function futureRevision(key: string): StorageError {
  return new StorageError('Unavailable', key, 'required revision is a future revision');
}

function closedError(key: string): StorageError {
  return new StorageError('Unavailable', key, 'store closed');
}

function unavailable(key: string, err: unknown): StorageError {
  return new StorageError('Unavailable', key, `storage write failed: ${err instanceof Error ? err.message : String(err)}`);
}
