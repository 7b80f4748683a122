// The API server's watch cache: one list+watch over all of storage, kept in memory per
// resource, so lists and watches are served from memory rather than a storage scan per request.
// It keeps a window of recent events per resource for watches that resume from a
// resourceVersion; older ones get 410 Expired, as upstream.
import type { Store, KeyValue, WatchEvent } from '../../storage/store.ts';
import { isStorageError } from '../../storage/store.ts';
import type { Logger } from '../../base/log.ts';
import { REGISTRY_PREFIX, prefixOfKey } from './keys.ts';

export type KubeObject = Record<string, any>;

export interface CachedObject {
  readonly key: string;
  /** Decoded object with metadata.resourceVersion set. Never mutate: copy first. */
  readonly obj: KubeObject;
  readonly rv: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: WatchEventType;
  key: string;
  obj: KubeObject;
  prev?: KubeObject;
  rv: number;
}

export interface CacheWatcher {
  /** Called for each event of the watched resource, in order. */
  onEvent(e: CacheEvent): void;
  /** The cache had to start over (it fell behind storage compaction): the watch must end with 410. */
  onExpired?(): void;
}

const EVENT_WINDOW = 10_000;

class ResourceCache {
  readonly items = new Map<string, CachedObject>();
  readonly watchers = new Set<CacheWatcher>();
  events: CacheEvent[] = [];
  /** Every event after this revision is in `events`. */
  oldestRevision: number;
  #sorted: CachedObject[] | undefined;

  constructor(since: number) { this.oldestRevision = since; }

  sorted(): CachedObject[] {
    if (!this.#sorted) this.#sorted = [...this.items.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return this.#sorted;
  }

  apply(e: CacheEvent): void {
    if (e.type === 'DELETED') this.items.delete(e.key);
    else this.items.set(e.key, { key: e.key, obj: e.obj, rv: e.rv });
    this.#sorted = undefined;
    this.events.push(e);
    if (this.events.length > EVENT_WINDOW * 1.5) {
      const drop = this.events.length - EVENT_WINDOW;
      this.oldestRevision = this.events[drop - 1].rv;
      this.events = this.events.slice(drop);
    }
    for (const w of this.watchers) w.onEvent(e);
  }
}

export function decodeObject(kv: KeyValue, rv = kv.modRevision): KubeObject {
  const obj = JSON.parse(Buffer.from(kv.value.buffer, kv.value.byteOffset, kv.value.byteLength).toString('utf8'));
  (obj.metadata ??= {}).resourceVersion = String(rv);
  return obj;
}

export class WatchCache {
  readonly #store: Store;
  readonly #log: Logger;
  readonly #resources = new Map<string, ResourceCache>();
  #revision = 0;
  #startRevision = 0;
  #waiters: { rev: number; resolve: () => void }[] = [];
  #ready = false;

  constructor(store: Store, log: Logger) {
    this.#store = store;
    this.#log = log;
  }

  get revision(): number { return this.#revision; }
  get ready(): boolean { return this.#ready; }

  /** Lists all of storage, then follows its watch until signal aborts. Resolves once primed. */
  async start(signal: AbortSignal): Promise<void> {
    await this.#prime();
    this.#ready = true;
    void this.#follow(signal);
  }

  async #prime(): Promise<void> {
    const list = await this.#store.list(REGISTRY_PREFIX);
    // Starting over: watchers of the old state end (with 410) and resume from a fresh list.
    const previous = [...this.#resources.values()];
    this.#resources.clear();
    this.#startRevision = list.revision;
    for (const kv of list.kvs) {
      const rc = this.#resource(prefixOfKey(kv.key));
      rc.items.set(kv.key, { key: kv.key, obj: decodeObject(kv), rv: kv.modRevision });
    }
    this.#revision = list.revision;
    for (const rc of previous) for (const w of rc.watchers) w.onExpired?.();
  }

  async #follow(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        for await (const batch of this.#store.watch(REGISTRY_PREFIX, this.#revision + 1, signal)) this.#applyBatch(batch);
      } catch (err) {
        if (signal.aborted) return;
        if (isStorageError(err, 'Compacted')) {
          // Fell behind compaction: start over from a fresh list. Watchers resume via 410.
          this.#log.warn('watch cache fell behind compaction; re-listing', { revision: this.#revision });
          await this.#prime().catch(() => undefined);
          continue;
        }
        this.#log.error('storage watch failed; retrying', { err });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  #applyBatch(batch: WatchEvent[]): void {
    for (const ev of batch) {
      const rv = ev.kv.modRevision;
      if (rv <= this.#revision) continue;
      const rc = this.#resource(prefixOfKey(ev.kv.key));
      const prev = rc.items.get(ev.kv.key)?.obj;
      if (ev.type === 'put') {
        rc.apply({ type: prev ? 'MODIFIED' : 'ADDED', key: ev.kv.key, obj: decodeObject(ev.kv), prev, rv });
      } else {
        rc.apply({ type: 'DELETED', key: ev.kv.key, obj: prev ? withRV(prev, rv) : decodeObject(ev.kv, rv), prev, rv });
      }
      this.#revision = rv;
    }
    if (this.#waiters.length) {
      const still: { rev: number; resolve: () => void }[] = [];
      for (const w of this.#waiters) (w.rev <= this.#revision ? w.resolve() : still.push(w));
      this.#waiters = still;
    }
  }

  #resource(prefix: string): ResourceCache {
    let rc = this.#resources.get(prefix);
    if (!rc) { rc = new ResourceCache(this.#startRevision); this.#resources.set(prefix, rc); }
    return rc;
  }

  /** Resolves once the cache has applied revision rev (or rejects after timeoutMs). */
  waitFor(rev: number, timeoutMs = 3000): Promise<void> {
    if (rev <= this.#revision) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.resolve !== done);
        reject(new Error(`watch cache did not reach revision ${rev} in ${timeoutMs} ms (at ${this.#revision})`));
      }, timeoutMs);
      const done = () => { clearTimeout(timer); resolve(); };
      this.#waiters.push({ rev, resolve: done });
    });
  }

  /** Waits until the cache holds everything storage has acknowledged so far. */
  async waitFresh(): Promise<void> {
    await this.waitFor(await this.#store.currentRevision());
  }

  /** Objects of a resource (optionally under a namespace) in key order. */
  list(prefix: string, namespace?: string): CachedObject[] {
    const all = this.#resources.get(prefix)?.sorted() ?? [];
    if (!namespace) return all;
    // Keys are sorted, so a namespace's objects are one contiguous run: find it by bisection.
    const from = `${prefix}${namespace}/`;
    const to = `${prefix}${namespace}0`; // '0' sorts right after '/'
    return all.slice(lowerBound(all, from), lowerBound(all, to));
  }

  get(key: string): CachedObject | undefined {
    return this.#resources.get(prefixOfKey(key))?.items.get(key);
  }

  count(prefix: string): number {
    return this.#resources.get(prefix)?.items.size ?? 0;
  }

  /**
   * Starts a watch on a resource from revision `from` (exclusive): replays the window's
   * events after it, then follows. Returns undefined when `from` is older than the window.
   */
  watch(prefix: string, from: number, watcher: CacheWatcher): (() => void) | undefined {
    const rc = this.#resource(prefix);
    if (from < rc.oldestRevision) return undefined;
    for (const e of rc.events) if (e.rv > from) watcher.onEvent(e);
    rc.watchers.add(watcher);
    return () => { rc.watchers.delete(watcher); };
  }

  /** The oldest revision a watch on this resource can resume from. */
  oldestRevision(prefix: string): number {
    return this.#resource(prefix).oldestRevision;
  }

  /** The revision upstream names in a 410: one before the oldest event still buffered. */
  expiredBound(prefix: string): number {
    const rc = this.#resource(prefix);
    return rc.events.length ? rc.events[0].rv - 1 : rc.oldestRevision;
  }
}

function lowerBound(items: CachedObject[], key: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].key < key) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function withRV(obj: KubeObject, rv: number): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
}
