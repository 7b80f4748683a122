// The Store on etcd v3, through the etcd3 client's raw gRPC calls. Each conditional write is one
// etcd transaction: create compares createRevision == 0, update and conditional delete compare
// modRevision (and that the key exists), and the failure branch reads the current value for the
// Conflict error. Every watch has its own gRPC stream and never reconnects by itself: when the
// stream breaks, the watch fails with 'Unavailable' and its consumer lists and watches again.
// Writes are not retried by the client: after a lost connection nobody knows if a txn applied.
import { Etcd3 } from 'etcd3';
import type { IKeyValue, IOptions, IWatchResponse } from 'etcd3';
import { createLogger } from '../../base/index.ts';
import { startAutoCompaction } from '../compactor.ts';
import type { AutoCompactOptions } from '../compactor.ts';
import { isStorageError, StorageError } from '../store.ts';
import type { KeyValue, ListOptions, ListResult, Store, WatchEvent } from '../store.ts';
import { WatchQueue } from '../watch-queue.ts';

export interface EtcdStoreOptions {
  /** Client URLs, e.g. http://127.0.0.1:2379. */
  endpoints: string[];
  /** Prepended to every key in etcd, so several stores can share one etcd; default none. */
  prefix?: string;
  /** Compact periodically (absent: never, the owner compacts). */
  autoCompact?: AutoCompactOptions;
  /** How long the first connection may take; default 5 s. */
  dialTimeoutMs?: number;
}

type GlobalPolicy = NonNullable<IOptions['faultHandling']>['global'];
/** Runs each call once: the client's default retries could apply a txn twice. */
const callOnce = { execute: <T>(fn: () => Promise<T> | T) => Promise.resolve().then(fn) } as unknown as GlobalPolicy;

const EMPTY = new Uint8Array(0);

/** The byte successor of a prefix: the end of the range of keys starting with it ('\0': no end). */
function rangeEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

function maxBytes(a: Buffer, b: Buffer): Buffer {
  return Buffer.compare(a, b) >= 0 ? a : b;
}

function bytesOf(value: Uint8Array): Buffer {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function viewOf(value: Buffer | undefined | null): Uint8Array {
  return value && value.length > 0 ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : EMPTY;
}

export class EtcdStore implements Store {
  readonly #client: Etcd3;
  readonly #prefix: Buffer;
  /** The highest compaction revision this store has seen; the lower bound of the compaction search. */
  #knownCompacted = 0;
  #closed = false;
  #stopAutoCompaction: () => void = () => {};
  readonly #watchStreams = new Set<() => void>();

  private constructor(client: Etcd3, prefix: string) {
    this.#client = client;
    this.#prefix = Buffer.from(prefix, 'utf8');
  }

  static async open(options: EtcdStoreOptions): Promise<EtcdStore> {
    const client = new Etcd3({
      hosts: options.endpoints,
      dialTimeout: options.dialTimeoutMs ?? 5000,
      faultHandling: { global: callOnce },
      // Lists of a whole resource can be large; kube-apiserver lifts gRPC's 4 MiB receive limit too.
      grpcOptions: { 'grpc.max_receive_message_length': 2 ** 31 - 1 },
    });
    const store = new EtcdStore(client, options.prefix ?? '');
    try {
      await store.currentRevision();
    } catch (err) {
      client.close();
      throw err;
    }
    if (options.autoCompact) {
      const log = createLogger({ component: 'storage', backend: 'etcd' });
      store.#stopAutoCompaction = startAutoCompaction(store, options.autoCompact, (err) => log.warn('compaction failed', { err }));
    }
    return store;
  }

  async currentRevision(): Promise<number> {
    const res = await this.#call('', () => this.#client.kv.range({ key: this.#probeKey(), count_only: true }));
    return Number(res.header.revision);
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.#call(key, () => this.#client.kv.range({ key: this.#key(key) }));
    return res.kvs[0] && this.#toKv(res.kvs[0]);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const start = this.#key(prefix);
    const from = options.startKey === undefined ? start : maxBytes(start, this.#key(options.startKey));
    const res = await this.#call(prefix, () => this.#client.kv.range({
      key: from, range_end: rangeEnd(start), limit: options.limit || 0, revision: options.revision || 0,
    }));
    return { kvs: res.kvs.map((kv) => this.#toKv(kv)), revision: options.revision || Number(res.header.revision), more: res.more };
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    const k = this.#key(key);
    const res = await this.#call(key, () => this.#client.kv.txn({
      compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: k, value: bytesOf(value) } }],
      failure: [],
    }));
    if (!res.succeeded) throw new StorageError('KeyExists', key, `key ${key} already exists`);
    const revision = Number(res.header.revision);
    return { key, value, createRevision: revision, modRevision: revision };
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue> {
    const k = this.#key(key);
    const res = await this.#call(key, () => this.#client.kv.txn({
      compare: this.#atRevision(k, expectedModRevision),
      success: [{ request_put: { key: k, value: bytesOf(value), prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    }));
    if (!res.succeeded) throw this.#mismatch(key, res.responses[0]?.response_range.kvs[0]);
    const prev = res.responses[0]!.response_put.prev_kv;
    return { key, value, createRevision: Number(prev.create_revision), modRevision: Number(res.header.revision) };
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    const k = this.#key(key);
    if (expectedModRevision === undefined) {
      const res = await this.#call(key, () => this.#client.kv.deleteRange({ key: k, prev_kv: true }));
      if (!res.prev_kvs[0]) throw new StorageError('NotFound', key, `key ${key} not found`);
      return { ...this.#toKv(res.prev_kvs[0]), modRevision: Number(res.header.revision) };
    }
    const res = await this.#call(key, () => this.#client.kv.txn({
      compare: this.#atRevision(k, expectedModRevision),
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    }));
    if (!res.succeeded) throw this.#mismatch(key, res.responses[0]?.response_range.kvs[0]);
    const prev = res.responses[0]!.response_delete_range.prev_kvs[0]!;
    return { ...this.#toKv(prev), modRevision: Number(res.header.revision) };
  }

  watch(prefix: string, startRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent[]> {
    let cancel: (() => void) | undefined;
    let ended = false;
    const end = (): void => {
      ended = true;
      cancel?.();
      if (cancel) this.#watchStreams.delete(cancel);
    };
    const queue = new WatchQueue(signal, { onEnd: end });
    if (queue.ended) return queue;
    if (this.#closed) {
      queue.fail(closedError(prefix));
      return queue;
    }
    const start = this.#key(prefix);
    void (async () => {
      const stream = await this.#client.watchClient.watch();
      cancel = () => stream.cancel();
      if (ended) { stream.cancel(); return; }
      this.#watchStreams.add(cancel);
      stream.on('data', (res: IWatchResponse) => {
        const compactRevision = Number(res.compact_revision);
        if (compactRevision > 0) {
          this.#knownCompacted = Math.max(this.#knownCompacted, compactRevision);
          queue.fail(compactedError(prefix, compactRevision));
        } else if (res.canceled) {
          queue.fail(new StorageError('Unavailable', prefix, `watch canceled: ${res.cancel_reason || 'by etcd'}`));
        } else if (res.events.length > 0) {
          queue.push(res.events.map((event): WatchEvent => {
            if (event.type === 'Delete') {
              const prev = event.prev_kv;
              return { type: 'delete', kv: { key: this.#keyOf(event.kv), value: viewOf(prev?.value), createRevision: Number(prev?.create_revision ?? 0), modRevision: Number(event.kv.mod_revision) } };
            }
            const kv = this.#toKv(event.kv);
            return event.prev_kv ? { type: 'put', kv, prevKv: this.#toKv(event.prev_kv) } : { type: 'put', kv };
          }));
        }
      });
      stream.on('error', (err: Error) => { if (!ended) queue.fail(unavailable(prefix, err)); });
      stream.on('end', () => { if (!ended) queue.fail(new StorageError('Unavailable', prefix, 'watch stream ended')); });
      stream.write({ create_request: { key: start, range_end: rangeEnd(start), start_revision: startRevision, prev_kv: true } });
    })().catch((err: unknown) => queue.fail(unavailable(prefix, err)));
    return queue;
  }

  async compact(revision: number): Promise<void> {
    try {
      await this.#call('', () => this.#client.kv.compact({ revision, physical: true }), false);
      this.#knownCompacted = Math.max(this.#knownCompacted, revision);
    } catch (err) {
      if (!isStorageError(err, 'Compacted')) throw err; // at or below the compacted revision: nothing to do
    }
  }

  /** etcd does not report its compaction revision: find the oldest readable revision by bisection. */
  async compactedRevision(): Promise<number> {
    let high = await this.currentRevision(); // always readable
    let low = Math.max(1, this.#knownCompacted);
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (await this.#readableAt(middle)) high = middle;
      else low = middle + 1;
    }
    this.#knownCompacted = Math.max(this.#knownCompacted, low);
    return low <= 1 ? 0 : low;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopAutoCompaction();
    for (const cancel of this.#watchStreams) cancel();
    this.#watchStreams.clear();
    this.#client.close();
  }

  // --- helpers ---

  async #readableAt(revision: number): Promise<boolean> {
    try {
      await this.#call('', () => this.#client.kv.range({ key: this.#probeKey(), revision, count_only: true }), false);
      return true;
    } catch (err) {
      if (isStorageError(err, 'Compacted')) return false;
      throw err;
    }
  }

  /** Compares for "the key exists at modRevision". */
  #atRevision(key: Buffer, modRevision: number) {
    return [
      { key, target: 'Mod' as const, result: 'Equal' as const, mod_revision: modRevision },
      { key, target: 'Create' as const, result: 'Greater' as const, create_revision: 0 },
    ];
  }

  #mismatch(key: string, current: IKeyValue | undefined): StorageError {
    if (!current) return new StorageError('NotFound', key, `key ${key} not found`);
    return new StorageError('Conflict', key, `key ${key} was modified: revision mismatch`, { current: this.#toKv(current) });
  }

  #key(key: string): Buffer {
    return this.#prefix.length === 0 ? Buffer.from(key, 'utf8') : Buffer.concat([this.#prefix, Buffer.from(key, 'utf8')]);
  }

  /** A key for reads that only want the response header (etcd refuses an empty key). */
  #probeKey(): Buffer {
    return Buffer.concat([this.#prefix, Buffer.from([0])]);
  }

  #keyOf(kv: IKeyValue): string {
    return kv.key.toString('utf8', this.#prefix.length);
  }

  #toKv(kv: IKeyValue): KeyValue {
    return { key: this.#keyOf(kv), value: viewOf(kv.value), createRevision: Number(kv.create_revision), modRevision: Number(kv.mod_revision) };
  }

  /** Runs one etcd call, translating its errors into StorageErrors. */
  async #call<T>(key: string, call: () => Promise<T>, fillCompacted = true): Promise<T> {
    if (this.#closed) throw closedError(key);
    try {
      return await call();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (message.includes('required revision has been compacted')) {
        throw compactedError(key, fillCompacted ? await this.compactedRevision().catch(() => undefined) : undefined);
      }
      if (message.includes('required revision is a future revision')) {
        throw new StorageError('Unavailable', key, 'required revision is a future revision');
      }
      throw unavailable(key, err);
    }
  }
}

function compactedError(key: string, compactedRevision: number | undefined): StorageError {
  return new StorageError('Compacted', key, 'required revision has been compacted', compactedRevision === undefined ? {} : { compactedRevision });
}

function closedError(key: string): StorageError {
  return new StorageError('Unavailable', key, 'store closed');
}

function unavailable(key: string, err: unknown): StorageError {
  return new StorageError('Unavailable', key, `etcd: ${err instanceof Error ? err.message : String(err)}`);
}
