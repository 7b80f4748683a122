// The storage contract: a revisioned key-value store shaped like etcd v3. It knows keys and
// bytes, never Kubernetes types. Every backend passes storage/conformance.ts.
// Values handed out are shared with other readers and watchers: never mutate them.

/** One stored key at one revision. Revisions are global, gap-free and increase by one per write. */
export interface KeyValue {
  key: string;
  value: Uint8Array;
  /** Revision of the write that created the key (its current incarnation). */
  createRevision: number;
  /** Revision of the last write to the key; it is the object's resourceVersion. */
  modRevision: number;
}

export type WatchEvent =
  | { type: 'put'; kv: KeyValue; prevKv?: KeyValue }
  /** kv.modRevision is the revision of the delete; kv.value is the value that was deleted. */
  | { type: 'delete'; kv: KeyValue };

export interface ListOptions {
  /**
   * Read as of this revision (0 or absent: the newest). Older than the compacted revision → 'Compacted';
   * newer than the current revision → 'Unavailable' (it may exist later).
   */
  revision?: number;
  /** At most this many keys (0 or absent: all). */
  limit?: number;
  /** Only keys >= this one (for paging). */
  startKey?: string;
}

export interface ListResult {
  kvs: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** True when keys beyond the limit remain. */
  more: boolean;
}

export interface Store {
  /** The newest revision written. */
  currentRevision(): Promise<number>;
  get(key: string): Promise<KeyValue | undefined>;
  /** Keys that start with prefix, in key order. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** Create-if-absent; StorageError 'KeyExists' when the key is there. */
  create(key: string, value: Uint8Array): Promise<KeyValue>;
  /** Compare-and-swap on modRevision; 'NotFound' when absent, 'Conflict' (with the current kv) when it moved. */
  update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue>;
  /** Delete, optionally only at expectedModRevision; returns the deleted kv with modRevision = the delete's revision. */
  delete(key: string, expectedModRevision?: number): Promise<KeyValue>;
  /**
   * Events on keys under prefix with revision >= startRevision, in revision order, batched.
   * startRevision 0: only events after the current revision.
   * Throws StorageError 'Compacted' (also from the iterator) when startRevision is compacted away;
   * other failures end the iterator with 'Unavailable' (the consumer lists and watches again).
   * Ends when the signal aborts or the consumer stops iterating.
   */
  watch(prefix: string, startRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent[]>;
  /**
   * Forget history before revision; later reads/watches before it fail with 'Compacted'. The state at
   * revision itself stays readable, though a watch from it may miss a delete made exactly at it
   * (etcd forgets such tombstones). At or below the compacted revision: nothing to do; above the
   * current revision: 'Unavailable'.
   */
  compact(revision: number): Promise<void>;
  /** The oldest revision still readable (the last compaction's revision); 0 when nothing was compacted. */
  compactedRevision(): Promise<number>;
  close(): Promise<void>;
}

export type StorageErrorCode = 'KeyExists' | 'NotFound' | 'Conflict' | 'Compacted' | 'Unavailable';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly key: string;
  /** For 'Conflict': the key's current value. */
  readonly current: KeyValue | undefined;
  /** For 'Compacted': the compacted revision. */
  readonly compactedRevision: number | undefined;
  constructor(code: StorageErrorCode, key: string, message: string, extra: { current?: KeyValue; compactedRevision?: number } = {}) {
    super(message);
    this.name = 'StorageError';
    this.code = code;
    this.key = key;
    this.current = extra.current;
    this.compactedRevision = extra.compactedRevision;
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}
