// The public entry of storage: the contract, the conformance suite, and openStore over the
// registry of backends. Adding a backend is one entry in BACKENDS.
import { createLogger } from '../base/index.ts';
import { startAutoCompaction } from './compactor.ts';
import type { AutoCompactOptions } from './compactor.ts';
import { EtcdStore } from './etcd/etcd-store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Synchronous } from './sqlite/schema.ts';
import type { Store } from './store.ts';

export * from './store.ts';
export { storeConformance } from './conformance.ts';
export type { OpenedStore } from './conformance.ts';
export type { AutoCompactOptions } from './compactor.ts';
export { DEFAULT_COMPACTION_INTERVAL_MS, DEFAULT_KEEP_REVISIONS } from './compactor.ts';

interface CommonOptions {
  /** Periodic compaction; default on (every 5 minutes, as kube-apiserver does); false: never. */
  autoCompact?: AutoCompactOptions | false;
}

export interface SqliteOptions extends CommonOptions {
  kind: 'sqlite';
  /** Directory of the database; ':memory:' for a store that lives in memory (tests). */
  dataDir: string;
  /** Default 'normal': acknowledged writes survive kill -9; 'full': also power loss. */
  synchronous?: Synchronous;
}

export interface EtcdOptions extends CommonOptions {
  kind: 'etcd';
  endpoints: string[];
  /** Prepended to every key in etcd; default none. */
  prefix?: string;
}

export type StoreOptions = SqliteOptions | EtcdOptions;

type Backend<K extends StoreOptions['kind']> = (options: Extract<StoreOptions, { kind: K }>) => Promise<Store>;

/** Storage backends by kind (the scheme of a storage URL). */
const BACKENDS: { [K in StoreOptions['kind']]: Backend<K> } = {
  sqlite: (o) => SqliteStore.open({ dataDir: o.dataDir, ...(o.synchronous ? { synchronous: o.synchronous } : {}) }),
  etcd: (o) => EtcdStore.open({ endpoints: o.endpoints, ...(o.prefix !== undefined ? { prefix: o.prefix } : {}) }),
};

export const STORE_KINDS = Object.keys(BACKENDS) as StoreOptions['kind'][];

export async function openStore(options: StoreOptions): Promise<Store> {
  const open = BACKENDS[options.kind] as Backend<StoreOptions['kind']> | undefined;
  if (!open) throw new Error(`unknown storage kind ${String(options.kind)}; known: ${STORE_KINDS.join(', ')}`);
  const store = await open(options);
  if (options.autoCompact === false) return store;
  const log = createLogger({ component: 'storage', backend: options.kind });
  const stop = startAutoCompaction(store, options.autoCompact ?? {}, (err) => log.warn('compaction failed', { err }));
  const close = store.close.bind(store);
  store.close = async () => { stop(); await close(); };
  return store;
}
