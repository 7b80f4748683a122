// Public entry of the storage layer (provisional: the storage work replaces it).
import type { Store } from './store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import { EtcdStore } from './etcd/etcd-store.ts';
export * from './store.ts';

export type StoreOptions = { kind: 'sqlite'; dataDir: string } | { kind: 'etcd'; endpoints: string[]; prefix?: string };

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.kind === 'sqlite') return SqliteStore.open({ dataDir: options.dataDir });
  return EtcdStore.open({ endpoints: options.endpoints, prefix: options.prefix } as any);
}
