import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import type { Logger } from '../../base/log.ts';
import { WatchCache, type CacheEvent } from './watch-cache.ts';
import { objectKey, resourcePrefix } from './keys.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, with: () => silent };
const CONFIGMAPS = resourcePrefix('', 'configmaps');
const SECRETS = resourcePrefix('', 'secrets');
const encode = (obj: unknown) => new TextEncoder().encode(JSON.stringify(obj));
const cmKey = (name: string) => objectKey('', 'configmaps', 'default', name);

/** A started cache over a SQLite store in a temp dir; everything is closed and removed after body. */
async function withCache(body: (ctx: { store: SqliteStore; cache: WatchCache; dir: string }) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'navarch-watchcache-'));
  const store = await SqliteStore.open({ dataDir: dir });
  const abort = new AbortController();
  try {
    const cache = new WatchCache(store, silent);
    await cache.start(abort.signal);
    await body({ store, cache, dir });
  } finally {
    abort.abort();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function collect(cache: WatchCache, prefix: string, from: number): { events: CacheEvent[]; stop: (() => void) | undefined } {
  const events: CacheEvent[] = [];
  const stop = cache.watch(prefix, from, { onEvent: (e) => events.push(e) });
  return { events, stop };
}

test('a watch resumed from a revision in the window replays exactly the later events, then follows', async () => {
  await withCache(async ({ store, cache }) => {
    const revs: number[] = [];
    for (let i = 0; i < 20; i++) revs.push((await store.create(cmKey(`cm-${i}`), encode({ metadata: { name: `cm-${i}` }, data: { i: String(i) } }))).modRevision);
    const updated = await store.update(cmKey('cm-3'), encode({ metadata: { name: 'cm-3' }, data: { i: 'three' } }), revs[3]);
    const deleted = await store.delete(cmKey('cm-4'));
    await cache.waitFresh();

    const { events, stop } = collect(cache, CONFIGMAPS, revs[9]);
    assert.ok(stop);
    assert.deepEqual(events.map((e) => [e.type, e.obj.metadata.name, e.rv]), [
      ...revs.slice(10).map((rv, k) => ['ADDED', `cm-${k + 10}`, rv]),
      ['MODIFIED', 'cm-3', updated.modRevision],
      ['DELETED', 'cm-4', deleted.modRevision],
    ]);
    assert.equal(events.find((e) => e.type === 'MODIFIED')!.obj.data.i, 'three');
    assert.equal(events.at(-1)!.obj.metadata.resourceVersion, String(deleted.modRevision));

    const live = await store.create(cmKey('live'), encode({ metadata: { name: 'live' } }));
    await cache.waitFor(live.modRevision);
    assert.deepEqual(events.at(-1)!.rv, live.modRevision);
    stop();
    await cache.waitFor((await store.create(cmKey('after-stop'), encode({ metadata: { name: 'after-stop' } }))).modRevision);
    assert.equal(events.at(-1)!.obj.metadata.name, 'live');
  });
});

test('once more events than the window holds have passed, a watch from before the window is refused', async () => {
  await withCache(async ({ store, cache }) => {
    const secret = await store.create(objectKey('', 'secrets', 'default', 's'), encode({ metadata: { name: 's' } }));
    const first = await store.create(cmKey('first'), encode({ metadata: { name: 'first' } }));
    // 16,000 writes to config maps: more than one and a half windows of 10,000 events.
    for (let batch = 0; batch < 8; batch++) {
      await Promise.all(Array.from({ length: 2000 }, (_, i) => store.create(cmKey(`bulk-${batch}-${i}`), encode({ metadata: { name: `bulk-${batch}-${i}` } }))));
    }
    await cache.waitFresh();
    assert.equal(cache.count(CONFIGMAPS), 16_001);

    const oldest = cache.oldestRevision(CONFIGMAPS);
    assert.ok(oldest > first.modRevision, `window still starts at ${oldest}`);
    assert.equal(cache.watch(CONFIGMAPS, first.modRevision, { onEvent() {} }), undefined);
    assert.equal(cache.watch(CONFIGMAPS, oldest - 1, { onEvent() {} }), undefined);

    // From the window's start every later event is replayed, none missing.
    const { events, stop } = collect(cache, CONFIGMAPS, oldest);
    assert.ok(stop);
    const current = await store.currentRevision();
    assert.equal(events.length, current - oldest);
    assert.deepEqual(events.map((e) => e.rv), Array.from({ length: current - oldest }, (_, k) => oldest + 1 + k));
    stop();

    // The window is per resource: secrets, written to once, still resume from their old revision.
    const secrets = collect(cache, SECRETS, secret.modRevision - 1);
    assert.ok(secrets.stop);
    assert.deepEqual(secrets.events.map((e) => e.obj.metadata.name), ['s']);
    secrets.stop();
  });
});

test('a cache started over existing data serves watches only from the revision it listed at', async () => {
  await withCache(async ({ store, cache: firstCache }) => {
    const a = await store.create(cmKey('a'), encode({ metadata: { name: 'a' } }));
    const b = await store.create(cmKey('b'), encode({ metadata: { name: 'b' } }));
    await firstCache.waitFresh();
    assert.ok(firstCache.watch(CONFIGMAPS, a.modRevision, { onEvent() {} }));

    // As after a restart: a new cache lists storage and keeps no history before that.
    const abort = new AbortController();
    const restarted = new WatchCache(store, silent);
    await restarted.start(abort.signal);
    try {
      assert.equal(restarted.revision, b.modRevision);
      assert.deepEqual(restarted.list(CONFIGMAPS).map((c) => [c.obj.metadata.name, c.rv]), [['a', a.modRevision], ['b', b.modRevision]]);
      assert.equal(restarted.watch(CONFIGMAPS, a.modRevision, { onEvent() {} }), undefined);
      assert.equal(restarted.oldestRevision(CONFIGMAPS), b.modRevision);
      const { events, stop } = collect(restarted, CONFIGMAPS, b.modRevision);
      assert.ok(stop);
      const c = await store.create(cmKey('c'), encode({ metadata: { name: 'c' } }));
      await restarted.waitFor(c.modRevision);
      assert.deepEqual(events.map((e) => [e.type, e.obj.metadata.name]), [['ADDED', 'c']]);
      stop();
    } finally {
      abort.abort();
    }
  });
});

test('compacting storage behind the cache does not disturb its lists or watches', async () => {
  await withCache(async ({ store, cache }) => {
    for (let i = 0; i < 50; i++) await store.create(cmKey(`k-${i}`), encode({ metadata: { name: `k-${i}` } }));
    const mid = await store.currentRevision();
    await store.compact(mid);
    const { events, stop } = collect(cache, CONFIGMAPS, mid);
    assert.ok(stop);
    const after = await store.create(cmKey('after-compaction'), encode({ metadata: { name: 'after-compaction' } }));
    await cache.waitFor(after.modRevision);
    assert.deepEqual(events.map((e) => e.obj.metadata.name), ['after-compaction']);
    assert.equal(cache.list(CONFIGMAPS).length, 51);
    stop();
  });
});
