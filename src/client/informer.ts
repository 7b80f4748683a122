// A shared informer: list, then watch from the list's resourceVersion, keeping a local cache
// of the objects and telling handlers about each change. Re-lists on 410 Expired, re-watches
// when a stream ends, and resyncs handlers periodically. Cached objects are shared by every
// handler and must never be mutated: copy first.
import type { ApiClient, KubeObject, ResourceRef, WatchEvent } from './api-client.ts';
import { isGone } from '../api/status.ts';
import type { Logger } from '../base/log.ts';

export interface EventHandler {
  add?(obj: KubeObject): void;
  update?(oldObj: KubeObject, newObj: KubeObject): void;
  delete?(obj: KubeObject): void;
}

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Re-deliver every cached object as an update this often (0: never). */
  resyncMs?: number;
  /** Ask for PartialObjectMetadata only (the garbage collector needs just metadata). */
  metadataOnly?: boolean;
}

export const keyOf = (obj: KubeObject): string =>
  obj.metadata?.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata?.name;

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

/**
 * Freezing every cached object, deeply, makes a handler that mutates one fail at once; it cost a
 * tenth of a controller's CPU. The test suite turns it on (scripts/test sets
 * NAVARCH_FREEZE_CACHES=1, servers it starts inherit it); otherwise caches are left unprotected,
 * as client-go leaves them.
 */
const FREEZE_CACHES = process.env.NAVARCH_FREEZE_CACHES === '1';
const cachedObjects = new WeakSet<object>();

/** Whether an informer cached obj: then it is immutable, and what is derived from it may be kept per object. */
export function isCachedObject(obj: object): boolean {
  return cachedObjects.has(obj);
}

function keep(obj: KubeObject): KubeObject {
  if (FREEZE_CACHES) deepFreeze(obj);
  cachedObjects.add(obj);
  return obj;
}

export class Informer {
  readonly resource: ResourceRef;
  readonly #client: ApiClient;
  readonly #opts: InformerOptions;
  readonly #log: Logger;
  readonly #items = new Map<string, KubeObject>();
  readonly #handlers: EventHandler[] = [];
  #synced = false;
  #syncWaiters: (() => void)[] = [];
  #rv = '';

  constructor(client: ApiClient, resource: ResourceRef, log: Logger, opts: InformerOptions = {}) {
    this.#client = client;
    this.resource = resource;
    this.#opts = opts;
    this.#log = log;
  }

  addHandler(h: EventHandler): void {
    this.#handlers.push(h);
    for (const obj of this.#items.values()) h.add?.(obj);
  }

  get(key: string): KubeObject | undefined { return this.#items.get(key); }
  list(): KubeObject[] { return [...this.#items.values()]; }
  get hasSynced(): boolean { return this.#synced; }

  waitForSync(): Promise<void> {
    return this.#synced ? Promise.resolve() : new Promise((r) => this.#syncWaiters.push(r));
  }

  #query(): Record<string, string> {
    const q: Record<string, string> = {};
    if (this.#opts.labelSelector) q.labelSelector = this.#opts.labelSelector;
    if (this.#opts.fieldSelector) q.fieldSelector = this.#opts.fieldSelector;
    return q;
  }

  #headers(): Record<string, string> {
    return this.#opts.metadataOnly ? { Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json' } : {};
  }

  async #relist(): Promise<void> {
    const list = await this.#client.request('GET', `${this.#listPath()}?${new URLSearchParams({ ...this.#query(), resourceVersion: '0' })}`, undefined);
    const fresh = new Map<string, KubeObject>();
    for (const item of list.items ?? []) fresh.set(keyOf(item), keep(item));
    for (const [k, old] of this.#items) if (!fresh.has(k)) { this.#items.delete(k); this.#emit('delete', old); }
    for (const [k, obj] of fresh) {
      const old = this.#items.get(k);
      this.#items.set(k, obj);
      if (!old) this.#emit('add', obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.#emit('update', obj, old);
    }
    this.#rv = list.metadata?.resourceVersion ?? '';
    if (!this.#synced) { this.#synced = true; for (const w of this.#syncWaiters) w(); this.#syncWaiters = []; }
  }

  #listPath(): string {
    const r = this.resource;
    let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    if (r.namespaced && this.#opts.namespace) p += `/namespaces/${this.#opts.namespace}`;
    return `${p}/${r.plural}`;
  }

  #emit(kind: 'add' | 'update' | 'delete', obj: KubeObject, old?: KubeObject): void {
    for (const h of this.#handlers) {
      try {
        if (kind === 'add') h.add?.(obj);
        else if (kind === 'update') h.update?.(old!, obj);
        else h.delete?.(obj);
      } catch (err) { this.#log.error('informer handler failed', { resource: this.resource.plural, err }); }
    }
  }

  #apply(e: WatchEvent): void {
    if (e.type === 'BOOKMARK') { this.#rv = e.object.metadata?.resourceVersion ?? this.#rv; return; }
    if (e.type === 'ERROR') {
      const err = new Error(e.object.message ?? 'watch error');
      (err as any).code = e.object.code;
      throw err;
    }
    const obj = keep(e.object);
    const k = keyOf(obj);
    this.#rv = obj.metadata?.resourceVersion ?? this.#rv;
    const old = this.#items.get(k);
    if (e.type === 'DELETED') { this.#items.delete(k); this.#emit('delete', old ?? obj); return; }
    this.#items.set(k, obj);
    if (old) this.#emit('update', obj, old); else this.#emit('add', obj);
  }

  /** Runs until signal aborts; resolves once the first list is in the cache. */
  async start(signal: AbortSignal): Promise<void> {
    const loop = async () => {
      let needList = !this.#synced;
      let failures = 0;
      let resync: NodeJS.Timeout | undefined;
      if (this.#opts.resyncMs) resync = setInterval(() => { for (const o of this.#items.values()) this.#emit('update', o, o); }, this.#opts.resyncMs);
      while (!signal.aborted) {
        try {
          if (needList) { await this.#relist(); needList = false; }
          await this.#client.watch(this.resource, this.#opts.namespace, { ...this.#query(), resourceVersion: this.#rv, allowWatchBookmarks: 'true', timeoutSeconds: String(300 + Math.floor(Math.random() * 300)) }, (e) => this.#apply(e), signal, this.#headers());
          failures = 0;
        } catch (err) {
          if (signal.aborted) break;
          if (isGone(err) || (err as any)?.code === 410) { needList = true; continue; }
          failures++;
          this.#log.debug('watch failed; retrying', { resource: this.resource.plural, err });
          needList = true;
          await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** failures)));
        }
      }
      if (resync) clearInterval(resync);
    };
    void loop();
    await Promise.race([this.waitForSync(), new Promise((r) => signal.addEventListener('abort', r, { once: true }))]);
  }
}
