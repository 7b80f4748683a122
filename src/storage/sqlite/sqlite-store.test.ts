import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeConformance } from '../conformance.ts';
import { isStorageError } from '../store.ts';
import type { WatchEvent } from '../store.ts';
import { SqliteStore } from './sqlite-store.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

async function withDataDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'navarch-sqlite-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

storeConformance('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'navarch-sqlite-'));
  const store = await SqliteStore.open({ dataDir: dir });
  return { store, cleanup: async () => { await store.close(); await rm(dir, { recursive: true, force: true }); } };
});

storeConformance('sqlite in memory', async () => {
  const store = await SqliteStore.open({ dataDir: ':memory:' });
  return { store, cleanup: () => store.close() };
});

test('sqlite: reopening the data dir keeps keys, revisions and the compacted revision', async () => {
  await withDataDir(async (dir) => {
    const first = await SqliteStore.open({ dataDir: dir });
    const a = await first.create('/a', bytes('1'));
    const a2 = await first.update('/a', bytes('2'), a.modRevision);
    await first.create('/b', bytes('1'));
    await first.delete('/b');
    await first.compact(a2.modRevision);
    await first.close();

    const second = await SqliteStore.open({ dataDir: dir });
    try {
      assert.equal(await second.currentRevision(), 4);
      assert.equal(await second.compactedRevision(), a2.modRevision);
      assert.deepEqual((await second.list('/')).kvs.map((kv) => [kv.key, kv.createRevision, kv.modRevision]), [['/a', 1, 2]]);
      const next = await second.create('/c', bytes('1'));
      assert.equal(next.modRevision, 5, 'revisions continue without a gap after reopening');
    } finally {
      await second.close();
    }
  });
});

test('sqlite: a second store cannot open a data dir that is in use', async () => {
  await withDataDir(async (dir) => {
    const first = await SqliteStore.open({ dataDir: dir });
    try {
      await assert.rejects(SqliteStore.open({ dataDir: dir }), /in use by another process/);
    } finally {
      await first.close();
    }
  });
});

test('sqlite: a closed store rejects calls with Unavailable and ends its watches', async () => {
  const store = await SqliteStore.open({ dataDir: ':memory:' });
  const abort = new AbortController();
  const events = store.watch('/', 0, abort.signal)[Symbol.asyncIterator]();
  const pending = events.next();
  const write = store.create('/a', bytes('1'));
  await store.close();
  assert.equal((await write).modRevision, 1, 'writes queued before close are committed');
  assert.equal((await pending).value?.length, 1);
  await assert.rejects(events.next(), (err) => isStorageError(err, 'Unavailable'));
  await assert.rejects(store.create('/b', bytes('1')), (err) => isStorageError(err, 'Unavailable'));
  await assert.rejects(store.get('/a'), (err) => isStorageError(err, 'Unavailable'));
  abort.abort();
});

test('sqlite: concurrent writes are committed together, and a write the database refuses fails alone', async () => {
  const store = await SqliteStore.open({ dataDir: ':memory:' });
  try {
    const abort = new AbortController();
    const events = store.watch('/', 1, abort.signal)[Symbol.asyncIterator]();
    // A value node:sqlite cannot bind makes the batch's transaction fail midway.
    const bad = { notBytes: true } as unknown as Uint8Array;
    const results = await Promise.allSettled([
      store.create('/a', bytes('a')), store.create('/b', bad), store.create('/c', bytes('c')),
    ]);
    assert.equal(results[0]!.status, 'fulfilled');
    assert.equal(results[2]!.status, 'fulfilled');
    assert.equal(results[1]!.status, 'rejected');
    assert.ok(isStorageError((results[1] as PromiseRejectedResult).reason, 'Unavailable'));
    assert.equal(await store.get('/b'), undefined);
    assert.deepEqual((await store.list('/')).kvs.map((kv) => [kv.key, kv.modRevision]), [['/a', 1], ['/c', 2]]);
    assert.equal(await store.currentRevision(), 2, 'the refused write took no revision');
    const seen: WatchEvent[] = [];
    while (seen.length < 2) seen.push(...(await events.next()).value!);
    assert.deepEqual(seen.map((e) => e.kv.key), ['/a', '/c']);
    abort.abort();
  } finally {
    await store.close();
  }
});

test('sqlite: a watch whose replay is overtaken by compaction fails with Compacted', async () => {
  const store = await SqliteStore.open({ dataDir: ':memory:' });
  try {
    let kv = await store.create('/slow/k', bytes('0'));
    for (let i = 1; i <= 30; i++) kv = await store.update('/slow/k', bytes(String(i)), kv.modRevision);
    const abort = new AbortController();
    const events = store.watch('/slow/', 1, abort.signal)[Symbol.asyncIterator]();
    await store.compact(kv.modRevision);
    await assert.rejects(events.next(), (err) => isStorageError(err, 'Compacted') && err.compactedRevision === kv.modRevision);
    abort.abort();
  } finally {
    await store.close();
  }
});

test('sqlite: a watch whose consumer falls far behind still gets every event in order', async () => {
  const store = await SqliteStore.open({ dataDir: ':memory:' });
  try {
    const abort = new AbortController();
    const events = store.watch('/many/', 0, abort.signal)[Symbol.asyncIterator]();
    const total = 25_000;
    for (let start = 0; start < total; start += 1000) {
      await Promise.all(Array.from({ length: 1000 }, (_, i) => store.create(`/many/${start + i}`, bytes('x'))));
    }
    const revisions: number[] = [];
    while (revisions.length < total) revisions.push(...(await events.next()).value!.map((e: WatchEvent) => e.kv.modRevision));
    assert.deepEqual(revisions, Array.from({ length: total }, (_, i) => i + 1));
    abort.abort();
  } finally {
    await store.close();
  }
});

test('sqlite: automatic compaction keeps the newest revisions and forgets older ones', async () => {
  const store = await SqliteStore.open({ dataDir: ':memory:', autoCompact: { intervalMs: 20, keepRevisions: 5 } });
  try {
    let kv = await store.create('/auto/k', bytes('0'));
    for (let i = 1; i < 20; i++) kv = await store.update('/auto/k', bytes(String(i)), kv.modRevision);
    const deadline = Date.now() + 5000;
    // A slow machine may see a compaction run while the writes still go on: wait for one after them.
    while ((await store.compactedRevision()) < 15 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const compacted = await store.compactedRevision();
    assert.equal(compacted, 15, 'compacted up to current revision minus the kept revisions');
    await assert.rejects(store.list('/auto/', { revision: 14 }), (err) => isStorageError(err, 'Compacted'));
    assert.equal((await store.list('/auto/', { revision: 15 })).kvs[0]!.modRevision, 15);
  } finally {
    await store.close();
  }
});

test('sqlite: the write-ahead log stays short under a steady stream of writes', async () => {
  await withDataDir(async (dir) => {
    const store = await SqliteStore.open({ dataDir: dir });
    try {
      const value = new Uint8Array(1024).fill(1);
      let maxWal = 0;
      for (let start = 0; start < 48_000; start += 500) {
        await Promise.all(Array.from({ length: 500 }, (_, i) => store.create(`/wal/${start + i}`, value)));
        maxWal = Math.max(maxWal, statSync(join(dir, 'store.sqlite-wal'), { throwIfNoEntry: false })?.size ?? 0);
      }
      assert.ok(maxWal < 40 * 1024 * 1024, `the WAL grew to ${maxWal} bytes for 48 MiB written`);
      assert.equal(await store.currentRevision(), 48_000);
    } finally {
      await store.close();
    }
  });
});

test('sqlite: every acknowledged write survives kill -9 of the writing process', async () => {
  await withDataDir(async (dir) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'crash-writer.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acknowledged = new Map<string, number>();
    try {
      let buffered = '';
      const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        child.on('exit', () => reject(new Error('crash writer exited before it was killed')));
        child.stdout!.setEncoding('utf8');
        child.stdout!.on('data', (chunk: string) => {
          buffered += chunk;
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          for (const line of lines) {
            const [key, revision] = line.split(' ');
            acknowledged.set(key!, Number(revision));
          }
          if (acknowledged.size >= 3000 && child.exitCode === null && !child.killed) {
            child.kill('SIGKILL');
            resolve();
          }
        });
      });
      await exited;
      assert.equal(child.signalCode, 'SIGKILL');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    const store = await SqliteStore.open({ dataDir: dir });
    try {
      const stored = new Map((await store.list('/crash/')).kvs.map((kv) => [kv.key, kv.modRevision]));
      assert.ok(acknowledged.size >= 3000);
      for (const [key, revision] of acknowledged) assert.equal(stored.get(key), revision, `acknowledged ${key} at ${revision} is there`);
      const revisions = [...stored.values()].sort((x, y) => x - y);
      assert.deepEqual(revisions, Array.from({ length: revisions.length }, (_, i) => i + 1), 'the log has no gaps');
      assert.equal(await store.currentRevision(), revisions.length);
    } finally {
      await store.close();
    }
  });
});
