// Raw storage figures: write, read and list throughput with p50/p99 latency for the SQLite store,
// next to the physical limit (bare node:sqlite inserts into the same table with the same
// durability), and for etcd when asked to start one. It prints figures; it is not a test.
//
//   node bench/storage-raw.ts [--ops N] [--value-bytes N] [--etcd]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EtcdStore } from '../src/storage/etcd/etcd-store.ts';
import { startTestEtcd } from '../src/storage/etcd/test-etcd.ts';
import { LogStatements } from '../src/storage/sqlite/log-statements.ts';
import { openDatabase } from '../src/storage/sqlite/schema.ts';
import type { Synchronous } from '../src/storage/sqlite/schema.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import type { Store } from '../src/storage/store.ts';

const { values: args } = parseArgs({
  options: {
    ops: { type: 'string', default: '20000' },
    'value-bytes': { type: 'string', default: '1024' },
    etcd: { type: 'boolean', default: false },
  },
});
const OPS = Number(args.ops);
const VALUE = new Uint8Array(Number(args['value-bytes'])).fill(97);
const CONCURRENCY = 64;

function out(line: string): void { process.stdout.write(line + '\n'); }

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function report(name: string, ops: number, elapsedMs: number, latencies: number[]): void {
  latencies.sort((a, b) => a - b);
  const rate = Math.round(ops / (elapsedMs / 1000));
  const lat = latencies.length ? `  p50 ${percentile(latencies, 0.5).toFixed(3)} ms  p99 ${percentile(latencies, 0.99).toFixed(3)} ms` : '';
  out(`${name.padEnd(52)} ${String(rate).padStart(8)} ops/s${lat}`);
}

/** Runs total operations, at most concurrency at a time; reports throughput and latency. */
async function measure(name: string, total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      await op(i);
      latencies.push(performance.now() - t0);
    }
  }));
  report(name, total, performance.now() - start, latencies);
}

function key(i: number): string {
  return `/registry/pods/bench/pod-${String(i).padStart(8, '0')}`;
}

/** The physical limit: bare inserts into the store's own table, same pragmas, no store logic. */
async function rawSqlite(synchronous: Synchronous, batch: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'navarch-bench-'));
  try {
    const opened = openDatabase(dir, synchronous);
    const sql = new LogStatements(opened.db);
    const start = performance.now();
    for (let i = 1; i <= OPS; i += batch) {
      sql.begin.run();
      for (let j = i; j < i + batch && j <= OPS; j++) sql.insert(j, key(j), false, j, 0, VALUE);
      sql.commit.run();
    }
    report(`raw node:sqlite insert, ${batch}/txn, sync=${synchronous}`, OPS, performance.now() - start, []);
    opened.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function storeBench(label: string, store: Store, ops: number): Promise<void> {
  await measure(`${label} create, 1 in flight`, Math.min(ops, 5000), 1, (i) => store.create(key(i), VALUE));
  await measure(`${label} create, ${CONCURRENCY} in flight`, ops, CONCURRENCY, (i) => store.create(key(1_000_000 + i), VALUE));
  const watching = new AbortController();
  void (async () => { for await (const _ of store.watch('/registry/', 0, watching.signal)) { /* drain */ } })().catch(() => {});
  await measure(`${label} create, ${CONCURRENCY} in flight, 1 watcher`, ops, CONCURRENCY, (i) => store.create(key(2_000_000 + i), VALUE));
  watching.abort();
  const current = new Map<string, number>();
  for (const kv of (await store.list('/registry/pods/bench/pod-01')).kvs) current.set(kv.key, kv.modRevision);
  const keys = [...current.keys()];
  await measure(`${label} update (CAS), ${CONCURRENCY} in flight`, keys.length, CONCURRENCY, async (i) => {
    const k = keys[i]!;
    const kv = await store.update(k, VALUE, current.get(k)!);
    current.set(k, kv.modRevision);
  });
  await measure(`${label} get, 1 in flight`, Math.min(ops, 20000), 1, (i) => store.get(keys[i % keys.length]!));
  await measure(`${label} get, ${CONCURRENCY} in flight`, ops, CONCURRENCY, (i) => store.get(keys[i % keys.length]!));
  const lists = 20;
  const t0 = performance.now();
  let listed = 0;
  const listLatencies: number[] = [];
  for (let i = 0; i < lists; i++) {
    const s = performance.now();
    listed += (await store.list('/registry/pods/bench/pod-01')).kvs.length;
    listLatencies.push(performance.now() - s);
  }
  report(`${label} list ${keys.length} keys (keys/s)`, listed, performance.now() - t0, listLatencies);
  const page = await measurePages(store);
  out(`${label} list in pages of 500: ${page}`);
}

async function measurePages(store: Store): Promise<string> {
  const t0 = performance.now();
  let keys = 0;
  let pages = 0;
  let startKey: string | undefined;
  for (;;) {
    const page = await store.list('/registry/pods/bench/', { limit: 500, ...(startKey ? { startKey } : {}) });
    keys += page.kvs.length;
    pages++;
    if (!page.more) break;
    startKey = page.kvs.at(-1)!.key + '\0';
  }
  const ms = performance.now() - t0;
  return `${keys} keys in ${pages} pages, ${(ms / pages).toFixed(2)} ms/page`;
}

async function sqliteStoreBench(synchronous: Synchronous): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'navarch-bench-'));
  const store = await SqliteStore.open({ dataDir: dir, synchronous });
  try {
    await storeBench(`sqlite store sync=${synchronous}`, store, OPS);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function etcdBench(): Promise<void> {
  const etcd = await startTestEtcd();
  try {
    const store = await EtcdStore.open({ endpoints: [etcd.endpoint] });
    try {
      await storeBench('etcd store', store, Math.min(OPS, 5000));
    } finally {
      await store.close();
    }
  } finally {
    await etcd.stop();
  }
}

out(`node ${process.version}, ${OPS} ops, values of ${VALUE.length} bytes`);
for (const synchronous of ['normal', 'full'] as const) {
  await rawSqlite(synchronous, 1);
  await rawSqlite(synchronous, CONCURRENCY);
}
await sqliteStoreBench('normal');
await sqliteStoreBench('full');
if (args.etcd) await etcdBench();
