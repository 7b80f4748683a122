// The shared conformance suite: every behaviour of the Store contract, registered as node:test
// tests. A backend's test file calls storeConformance with a factory that opens a fresh, empty
// store (its own data dir, or its own key prefix) and a cleanup that removes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStorageError, StorageError } from './store.ts';
import type { KeyValue, Store, WatchEvent } from './store.ts';

export interface OpenedStore {
  store: Store;
  cleanup(): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);
const text = (value: Uint8Array): string => decoder.decode(value);

/** A kv as plain comparable data: key, text value and revisions. */
function plain(kv: KeyValue | undefined): { key: string; value: string; createRevision: number; modRevision: number } | undefined {
  return kv && { key: kv.key, value: text(kv.value), createRevision: kv.createRevision, modRevision: kv.modRevision };
}

type PlainEvent = { type: 'put' | 'delete'; key: string; value: string; createRevision: number; modRevision: number; prev?: string; prevModRevision?: number };
function plainEvent(event: WatchEvent): PlainEvent {
  const out: PlainEvent = { type: event.type, key: event.kv.key, value: text(event.kv.value), createRevision: event.kv.createRevision, modRevision: event.kv.modRevision };
  if (event.type === 'put' && event.prevKv) { out.prev = text(event.prevKv.value); out.prevModRevision = event.prevKv.modRevision; }
  return out;
}

function storageError(code: StorageError['code']): (err: unknown) => boolean {
  return (err) => {
    assert.ok(isStorageError(err), `expected StorageError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return true;
  };
}

/** Pulls batches until at least count events arrived; fails on timeout or an early end. */
async function nextEvents(events: AsyncIterator<WatchEvent[]>, count: number, timeoutMs = 10_000): Promise<PlainEvent[]> {
  const out: PlainEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`watch delivered ${out.length} of ${count} events in time`)), Math.max(1, deadline - Date.now()));
    });
    try {
      const result = await Promise.race([events.next(), timeout]);
      if (result.done) throw new Error(`watch ended after ${out.length} of ${count} events`);
      assert.ok(result.value.length > 0, 'a watch batch is never empty');
      out.push(...result.value.map(plainEvent));
    } finally {
      clearTimeout(timer);
    }
  }
  return out;
}

async function expectWatchCompacted(store: Store, prefix: string, startRevision: number, compactedRevision: number): Promise<void> {
  const abort = new AbortController();
  try {
    await assert.rejects(async () => {
      for await (const batch of store.watch(prefix, startRevision, abort.signal)) assert.fail(`expected Compacted, got ${batch.length} events`);
    }, (err: unknown) => {
      storageError('Compacted')(err);
      assert.equal((err as StorageError).compactedRevision, compactedRevision);
      return true;
    });
  } finally {
    abort.abort();
  }
}

export function storeConformance(name: string, open: () => Promise<OpenedStore>): void {
  /** Runs body against a fresh store and always cleans it up. */
  function it(behaviour: string, body: (store: Store) => Promise<void>): void {
    test(`${name}: ${behaviour}`, async () => {
      const { store, cleanup } = await open();
      try {
        await body(store);
      } finally {
        await cleanup();
      }
    });
  }

  // --- create and get ---

  it('create stores a new key at the next revision and get returns it', async (store) => {
    const before = await store.currentRevision();
    const kv = await store.create('/a/one', bytes('v1'));
    assert.deepEqual(plain(kv), { key: '/a/one', value: 'v1', createRevision: before + 1, modRevision: before + 1 });
    assert.equal(await store.currentRevision(), before + 1);
    assert.deepEqual(plain(await store.get('/a/one')), plain(kv));
  });

  it('get of a missing key returns undefined', async (store) => {
    assert.equal(await store.get('/nothing/here'), undefined);
  });

  it('create of an existing key fails with KeyExists and leaves the key as it was', async (store) => {
    const first = await store.create('/a/one', bytes('v1'));
    const before = await store.currentRevision();
    await assert.rejects(store.create('/a/one', bytes('v2')), (err: unknown) => {
      storageError('KeyExists')(err);
      assert.equal((err as StorageError).key, '/a/one');
      return true;
    });
    assert.deepEqual(plain(await store.get('/a/one')), plain(first));
    assert.equal(await store.currentRevision(), before, 'a failed create consumes no revision');
  });

  it('values are stored byte for byte, including empty values', async (store) => {
    const all = new Uint8Array(256).map((_, i) => i);
    await store.create('/bin/all', all);
    await store.create('/bin/empty', new Uint8Array(0));
    assert.deepEqual([...(await store.get('/bin/all'))!.value], [...all]);
    assert.equal((await store.get('/bin/empty'))!.value.length, 0);
  });

  // --- update ---

  it('update at the current modRevision replaces the value, keeps createRevision and bumps modRevision', async (store) => {
    const created = await store.create('/a/one', bytes('v1'));
    const updated = await store.update('/a/one', bytes('v2'), created.modRevision);
    assert.deepEqual(plain(updated), { key: '/a/one', value: 'v2', createRevision: created.createRevision, modRevision: created.modRevision + 1 });
    assert.deepEqual(plain(await store.get('/a/one')), plain(updated));
    const again = await store.update('/a/one', bytes('v3'), updated.modRevision);
    assert.equal(again.createRevision, created.createRevision);
    assert.equal(again.modRevision, updated.modRevision + 1);
  });

  it('update at a stale modRevision fails with Conflict carrying the current kv and changes nothing', async (store) => {
    const created = await store.create('/a/one', bytes('v1'));
    const current = await store.update('/a/one', bytes('v2'), created.modRevision);
    const before = await store.currentRevision();
    await assert.rejects(store.update('/a/one', bytes('v3'), created.modRevision), (err: unknown) => {
      storageError('Conflict')(err);
      assert.deepEqual(plain((err as StorageError).current), plain(current));
      return true;
    });
    assert.deepEqual(plain(await store.get('/a/one')), plain(current));
    assert.equal(await store.currentRevision(), before, 'a failed update consumes no revision');
  });

  it('update of a missing key fails with NotFound', async (store) => {
    await assert.rejects(store.update('/a/missing', bytes('v'), 1), storageError('NotFound'));
    const created = await store.create('/a/gone', bytes('v'));
    await store.delete('/a/gone');
    await assert.rejects(store.update('/a/gone', bytes('v2'), created.modRevision), storageError('NotFound'));
    assert.equal(await store.get('/a/gone'), undefined, 'a failed update never recreates the key');
  });

  // --- delete ---

  it('delete removes the key and returns the deleted value at the revision of the delete', async (store) => {
    const created = await store.create('/a/one', bytes('v1'));
    const updated = await store.update('/a/one', bytes('v2'), created.modRevision);
    const deleted = await store.delete('/a/one');
    assert.deepEqual(plain(deleted), { key: '/a/one', value: 'v2', createRevision: created.createRevision, modRevision: updated.modRevision + 1 });
    assert.equal(await store.currentRevision(), updated.modRevision + 1);
    assert.equal(await store.get('/a/one'), undefined);
  });

  it('delete of a missing key fails with NotFound, with or without an expected revision', async (store) => {
    await assert.rejects(store.delete('/a/missing'), storageError('NotFound'));
    await assert.rejects(store.delete('/a/missing', 3), storageError('NotFound'));
  });

  it('delete at the expected modRevision succeeds; at a stale one fails with Conflict carrying the current kv', async (store) => {
    const created = await store.create('/a/one', bytes('v1'));
    const current = await store.update('/a/one', bytes('v2'), created.modRevision);
    await assert.rejects(store.delete('/a/one', created.modRevision), (err: unknown) => {
      storageError('Conflict')(err);
      assert.deepEqual(plain((err as StorageError).current), plain(current));
      return true;
    });
    assert.deepEqual(plain(await store.get('/a/one')), plain(current), 'a failed delete leaves the key');
    const deleted = await store.delete('/a/one', current.modRevision);
    assert.equal(deleted.modRevision, current.modRevision + 1);
    assert.equal(text(deleted.value), 'v2');
    assert.equal(await store.get('/a/one'), undefined);
  });

  it('create after delete starts a new incarnation with a new createRevision', async (store) => {
    await store.create('/a/one', bytes('v1'));
    const deleted = await store.delete('/a/one');
    const recreated = await store.create('/a/one', bytes('v2'));
    assert.deepEqual(plain(recreated), { key: '/a/one', value: 'v2', createRevision: deleted.modRevision + 1, modRevision: deleted.modRevision + 1 });
  });

  // --- revisions ---

  it('revisions are gap-free: each successful write takes the next revision, failed writes take none', async (store) => {
    const start = await store.currentRevision();
    const revisions: number[] = [];
    const a = await store.create('/r/a', bytes('1')); revisions.push(a.modRevision);
    const b = await store.create('/r/b', bytes('1')); revisions.push(b.modRevision);
    await assert.rejects(store.create('/r/a', bytes('x')));
    const a2 = await store.update('/r/a', bytes('2'), a.modRevision); revisions.push(a2.modRevision);
    await assert.rejects(store.update('/r/b', bytes('x'), b.modRevision + 100));
    const bDeleted = await store.delete('/r/b'); revisions.push(bDeleted.modRevision);
    await assert.rejects(store.delete('/r/b'));
    const b2 = await store.create('/r/b', bytes('2')); revisions.push(b2.modRevision);
    assert.deepEqual(revisions, [start + 1, start + 2, start + 3, start + 4, start + 5]);
    assert.equal(await store.currentRevision(), start + 5);
  });

  it('concurrent writes to different keys all succeed with distinct gap-free revisions', async (store) => {
    const start = await store.currentRevision();
    const kvs = await Promise.all(Array.from({ length: 40 }, (_, i) => store.create(`/c/${String(i).padStart(2, '0')}`, bytes(`v${i}`))));
    const revisions = kvs.map((kv) => kv.modRevision).sort((x, y) => x - y);
    assert.deepEqual(revisions, Array.from({ length: 40 }, (_, i) => start + 1 + i));
    assert.equal(await store.currentRevision(), start + 40);
    for (const kv of kvs) assert.deepEqual(plain(await store.get(kv.key)), plain(kv));
  });

  // --- concurrency ---

  it('of many concurrent creates of the same key exactly one wins, the others fail with KeyExists', async (store) => {
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => store.create('/race/key', bytes(`writer-${i}`))));
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const r of results) if (r.status === 'rejected') storageError('KeyExists')(r.reason);
    const winner = (won[0] as PromiseFulfilledResult<KeyValue>).value;
    assert.deepEqual(plain(await store.get('/race/key')), plain(winner));
  });

  it('of many concurrent updates at the same modRevision exactly one wins, the others fail with Conflict', async (store) => {
    const created = await store.create('/race/key', bytes('v0'));
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => store.update('/race/key', bytes(`writer-${i}`), created.modRevision)));
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    const winner = (won[0] as PromiseFulfilledResult<KeyValue>).value;
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      storageError('Conflict')(r.reason);
      assert.deepEqual(plain((r.reason as StorageError).current), plain(winner));
    }
  });

  // --- list ---

  it('list returns the keys under a prefix in key order, at the current revision, without deleted keys', async (store) => {
    for (const key of ['/p/b', '/p/a', '/p/c/x', '/pa', '/p0', '/o/a', '/p/d']) await store.create(key, bytes(`${key}=v`));
    await store.delete('/p/d');
    const result = await store.list('/p/');
    assert.deepEqual(result.kvs.map((kv) => kv.key), ['/p/a', '/p/b', '/p/c/x']);
    assert.deepEqual(result.kvs.map((kv) => text(kv.value)), ['/p/a=v', '/p/b=v', '/p/c/x=v']);
    assert.equal(result.revision, await store.currentRevision());
    assert.equal(result.more, false);
    const a = await store.get('/p/a');
    assert.deepEqual(plain(result.kvs[0]), plain(a));
    assert.deepEqual((await store.list('/q/')).kvs, []);
    assert.deepEqual((await store.list('')).kvs.map((kv) => kv.key), ['/o/a', '/p/a', '/p/b', '/p/c/x', '/p0', '/pa']);
  });

  it('list with a limit reports more, and paging with startKey visits every key exactly once', async (store) => {
    const keys = Array.from({ length: 23 }, (_, i) => `/page/${String(i).padStart(3, '0')}`);
    for (const key of [...keys].reverse()) await store.create(key, bytes(key));
    await store.create('/pagf/outside', bytes('x'));
    const first = await store.list('/page/', { limit: 10 });
    assert.equal(first.kvs.length, 10);
    assert.equal(first.more, true);
    const seen: string[] = [];
    let startKey: string | undefined;
    let revision = 0;
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 10, 'paging terminates');
      const page = await store.list('/page/', { limit: 10, startKey, revision });
      revision = page.revision;
      seen.push(...page.kvs.map((kv) => kv.key));
      if (!page.more) break;
      startKey = page.kvs.at(-1)!.key + '\0';
    }
    assert.deepEqual(seen, keys);
    const exact = await store.list('/page/', { limit: 23 });
    assert.equal(exact.kvs.length, 23);
    assert.equal(exact.more, false, 'more is false when the limit is exactly the number of keys');
    const fromMiddle = await store.list('/page/', { startKey: '/page/020' });
    assert.deepEqual(fromMiddle.kvs.map((kv) => kv.key), ['/page/020', '/page/021', '/page/022']);
  });

  it('list at an older revision sees the state of then: old values, keys deleted later, not keys created later', async (store) => {
    const a = await store.create('/h/a', bytes('a1'));
    const b = await store.create('/h/b', bytes('b1'));
    const then = await store.currentRevision();
    await store.update('/h/a', bytes('a2'), a.modRevision);
    await store.delete('/h/b');
    await store.create('/h/c', bytes('c1'));
    const old = await store.list('/h/', { revision: then });
    assert.equal(old.revision, then);
    assert.deepEqual(old.kvs.map(plain), [plain(a), plain(b)]);
    const older = await store.list('/h/', { revision: a.modRevision });
    assert.deepEqual(older.kvs.map((kv) => kv.key), ['/h/a']);
    const now = await store.list('/h/');
    assert.deepEqual(now.kvs.map((kv) => `${kv.key}=${text(kv.value)}`), ['/h/a=a2', '/h/c=c1']);
    const paged = await store.list('/h/', { revision: then, limit: 1 });
    assert.deepEqual(paged.kvs.map((kv) => kv.key), ['/h/a']);
    assert.equal(paged.more, true);
  });

  it('list at a revision newer than the current one fails with Unavailable', async (store) => {
    await store.create('/f/a', bytes('1'));
    const current = await store.currentRevision();
    await assert.rejects(store.list('/f/', { revision: current + 10 }), storageError('Unavailable'));
  });

  // --- watch ---

  it('watch from a past revision replays the history and then delivers live events in revision order', async (store) => {
    const a = await store.create('/w/a', bytes('a1'));
    const a2 = await store.update('/w/a', bytes('a2'), a.modRevision);
    const b = await store.create('/w/b', bytes('b1'));
    const abort = new AbortController();
    const events = store.watch('/w/', a.modRevision, abort.signal)[Symbol.asyncIterator]();
    try {
      const replayed = await nextEvents(events, 3);
      assert.deepEqual(replayed.map((e) => [e.type, e.key, e.value, e.modRevision]), [
        ['put', '/w/a', 'a1', a.modRevision], ['put', '/w/a', 'a2', a2.modRevision], ['put', '/w/b', 'b1', b.modRevision]]);
      const fromMiddle = new AbortController();
      const middle = store.watch('/w/', a2.modRevision, fromMiddle.signal)[Symbol.asyncIterator]();
      try {
        assert.deepEqual((await nextEvents(middle, 2)).map((e) => e.modRevision), [a2.modRevision, b.modRevision], 'startRevision is inclusive');
      } finally { fromMiddle.abort(); }
      const c = await store.create('/w/c', bytes('c1'));
      const cDeleted = await store.delete('/w/c');
      const live = await nextEvents(events, 2);
      assert.deepEqual(live.map((e) => [e.type, e.key, e.modRevision]), [['put', '/w/c', c.modRevision], ['delete', '/w/c', cDeleted.modRevision]]);
    } finally {
      abort.abort();
    }
  });

  it('watch delivers a burst of concurrent writes completely and in revision order', async (store) => {
    const abort = new AbortController();
    const events = store.watch('/burst/', (await store.currentRevision()) + 1, abort.signal)[Symbol.asyncIterator]();
    try {
      const kvs = await Promise.all(Array.from({ length: 60 }, (_, i) => store.create(`/burst/${i}`, bytes(String(i)))));
      const seen = await nextEvents(events, 60);
      assert.equal(seen.length, 60);
      assert.deepEqual(seen.map((e) => e.modRevision), kvs.map((kv) => kv.modRevision).sort((x, y) => x - y));
    } finally {
      abort.abort();
    }
  });

  it('watch delivers only keys under its prefix', async (store) => {
    const abort = new AbortController();
    const events = store.watch('/w/in/', (await store.currentRevision()) + 1, abort.signal)[Symbol.asyncIterator]();
    try {
      await store.create('/w/out/a', bytes('x'));
      await store.create('/w/in', bytes('x'));
      await store.create('/w/inner', bytes('x'));
      const inside = await store.create('/w/in/a', bytes('y'));
      const seen = await nextEvents(events, 1);
      assert.deepEqual(seen.map((e) => [e.key, e.modRevision]), [['/w/in/a', inside.modRevision]]);
    } finally {
      abort.abort();
    }
  });

  it('watch tells puts from deletes: updates carry prevKv, creates none, deletes carry the deleted value', async (store) => {
    const abort = new AbortController();
    const events = store.watch('/e/', (await store.currentRevision()) + 1, abort.signal)[Symbol.asyncIterator]();
    let from = 0;
    try {
      const created = await store.create('/e/k', bytes('v1'));
      const updated = await store.update('/e/k', bytes('v2'), created.modRevision);
      const deleted = await store.delete('/e/k');
      const recreated = await store.create('/e/k', bytes('v3'));
      from = created.modRevision;
      const seen = await nextEvents(events, 4);
      assert.deepEqual(seen, [
        { type: 'put', key: '/e/k', value: 'v1', createRevision: created.modRevision, modRevision: created.modRevision },
        { type: 'put', key: '/e/k', value: 'v2', createRevision: created.modRevision, modRevision: updated.modRevision, prev: 'v1', prevModRevision: created.modRevision },
        { type: 'delete', key: '/e/k', value: 'v2', createRevision: created.modRevision, modRevision: deleted.modRevision },
        { type: 'put', key: '/e/k', value: 'v3', createRevision: recreated.modRevision, modRevision: recreated.modRevision },
      ]);
    } finally {
      abort.abort();
    }
    // The same history replayed from the log carries the same detail.
    const replay = new AbortController();
    const replayed = store.watch('/e/', from, replay.signal)[Symbol.asyncIterator]();
    try {
      const seen = await nextEvents(replayed, 4);
      assert.deepEqual(seen.map((e) => [e.type, e.value, e.prev]), [['put', 'v1', undefined], ['put', 'v2', 'v1'], ['delete', 'v2', undefined], ['put', 'v3', undefined]]);
    } finally {
      replay.abort();
    }
  });

  it('watch from revision 0 delivers only events after the current revision', async (store) => {
    await store.create('/z/old', bytes('x'));
    const abort = new AbortController();
    const events = store.watch('/z/', 0, abort.signal)[Symbol.asyncIterator]();
    // A remote backend establishes the watch asynchronously: keep writing until the first event shows.
    let writes = 0;
    const writer = setInterval(() => { void store.create(`/z/new-${writes++}`, bytes('y')).catch(() => {}); }, 30);
    try {
      const first = (await nextEvents(events, 1))[0]!;
      assert.match(first.key, /^\/z\/new-/);
    } finally {
      clearInterval(writer);
      abort.abort();
    }
  });

  it('watch ends when its signal aborts, also while waiting and when aborted before it starts', async (store) => {
    const abort = new AbortController();
    const events = store.watch('/x/', 0, abort.signal)[Symbol.asyncIterator]();
    const pending = events.next();
    setTimeout(() => abort.abort(), 20);
    assert.deepEqual(await pending, { done: true, value: undefined });
    assert.equal((await events.next()).done, true);

    const aborted = new AbortController();
    aborted.abort();
    let batches = 0;
    for await (const _ of store.watch('/x/', 0, aborted.signal)) batches++;
    assert.equal(batches, 0);

    // Breaking out of the loop ends the watch too; writes afterwards still work.
    const loop = new AbortController();
    const from = (await store.currentRevision()) + 1;
    const waiting = (async () => { for await (const batch of store.watch('/x/', from, loop.signal)) return batch.length; return 0; })();
    await store.create('/x/a', bytes('1'));
    assert.equal(await waiting, 1);
    loop.abort();
    await store.create('/x/b', bytes('1'));
  });

  // --- compaction ---

  it('compaction makes older revisions unreadable while the compacted revision and later stay readable', async (store) => {
    const a = await store.create('/k/a', bytes('a1'));
    assert.ok(await store.compactedRevision() < a.modRevision, 'nothing written here is compacted yet');
    const b = await store.create('/k/b', bytes('b1'));
    const a2 = await store.update('/k/a', bytes('a2'), a.modRevision);
    await store.delete('/k/b');
    const c = await store.create('/k/c', bytes('c1'));
    const d = await store.create('/k/d', bytes('d1'));
    const target = c.modRevision;
    await store.compact(target);
    assert.equal(await store.compactedRevision(), target);

    await assert.rejects(store.list('/k/', { revision: target - 1 }), (err: unknown) => {
      storageError('Compacted')(err);
      assert.equal((err as StorageError).compactedRevision, target);
      return true;
    });
    await assert.rejects(store.list('/k/', { revision: a.modRevision }), storageError('Compacted'));
    assert.deepEqual((await store.list('/k/', { revision: target })).kvs.map(plain), [plain(a2), plain(c)], 'the state at the compacted revision stays');
    assert.deepEqual((await store.list('/k/')).kvs.map((kv) => kv.key), ['/k/a', '/k/c', '/k/d']);
    assert.deepEqual(plain(await store.get('/k/a')), plain(a2));

    await expectWatchCompacted(store, '/k/', target - 1, target);
    await expectWatchCompacted(store, '/k/', a.modRevision, target);
    // A watch from the compacted revision itself replays from there. (etcd forgets a delete made
    // exactly at the compaction revision, so the target here is a put.)
    const abort = new AbortController();
    const events = store.watch('/k/', target, abort.signal)[Symbol.asyncIterator]();
    try {
      const seen = await nextEvents(events, 2);
      assert.deepEqual(seen.map((e) => [e.type, e.key, e.value, e.modRevision]), [['put', '/k/c', 'c1', target], ['put', '/k/d', 'd1', d.modRevision]]);
    } finally {
      abort.abort();
    }
    // Updates to keys whose history was compacted keep their createRevision and report prevKv.
    const watchAbort = new AbortController();
    const live = store.watch('/k/', (await store.currentRevision()) + 1, watchAbort.signal)[Symbol.asyncIterator]();
    try {
      const a3 = await store.update('/k/a', bytes('a3'), a2.modRevision);
      assert.equal(a3.createRevision, a.createRevision);
      assert.deepEqual(await nextEvents(live, 1), [{ type: 'put', key: '/k/a', value: 'a3', createRevision: a.createRevision, modRevision: a3.modRevision, prev: 'a2', prevModRevision: a2.modRevision }]);
    } finally {
      watchAbort.abort();
    }
  });

  it('compacting at or below the compacted revision changes nothing, beyond the current one fails', async (store) => {
    const a = await store.create('/k/a', bytes('1'));
    await store.update('/k/a', bytes('2'), a.modRevision);
    const current = await store.currentRevision();
    await store.compact(current);
    await store.compact(current - 1);
    await store.compact(current);
    assert.equal(await store.compactedRevision(), current);
    await assert.rejects(store.compact(current + 5), storageError('Unavailable'));
    assert.equal(await store.compactedRevision(), current);
    assert.equal(text((await store.get('/k/a'))!.value), '2');
  });
}
