// Storage as seen through the API: objects survive a graceful restart unchanged, every create the
// server acknowledged survives kill -9 in the middle of a burst, and watches resume from an older
// resourceVersion, or get 410 Expired when it is older than the watch cache's window.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness.ts';

const server = new TestServer(['--disable-agent']);
before(() => server.start());
after(() => server.cleanup());

interface Stored { uid: string; resourceVersion: string; data: Record<string, string> | undefined }

const cmPath = (ns: string, name = '') => `/api/v1/namespaces/${ns}/configmaps${name ? `/${name}` : ''}`;

async function createNamespace(name: string): Promise<void> {
  const r = await server.request('POST', '/api/v1/namespaces', { body: JSON.stringify({ metadata: { name } }) });
  assert.equal(r.status, 201, r.body);
  // The root CA controller publishes kube-root-ca.crt into every namespace: let it land first.
  for (const deadline = Date.now() + 10_000; (await server.request('GET', `/api/v1/namespaces/${name}/configmaps/kube-root-ca.crt`)).status !== 200;) {
    assert.ok(Date.now() < deadline, 'kube-root-ca.crt appears');
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Runs jobs with at most `width` in flight. */
async function pool<T>(items: T[], width: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await job(items[next++]);
  }));
}

async function listConfigMaps(ns: string): Promise<{ resourceVersion: string; items: Map<string, Stored> }> {
  const r = await server.request('GET', cmPath(ns));
  assert.equal(r.status, 200, r.body);
  const list = r.json();
  const items = new Map<string, Stored>();
  // kube-root-ca.crt is the root CA controller's, in every namespace: not part of these tests.
  for (const i of list.items) if (i.metadata.name !== 'kube-root-ca.crt') items.set(i.metadata.name, { uid: i.metadata.uid, resourceVersion: i.metadata.resourceVersion, data: i.data });
  return { resourceVersion: list.metadata.resourceVersion, items };
}

const stored = (o: any): Stored => ({ uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, data: o.data });

/** The events of a watch that the server ends after timeoutSeconds, in order. */
async function watchEvents(ns: string, resourceVersion: string, timeoutSeconds: number): Promise<{ type: string; object: any }[]> {
  const r = await server.request('GET', `${cmPath(ns)}?watch=1&resourceVersion=${resourceVersion}&timeoutSeconds=${timeoutSeconds}`, { timeoutMs: (timeoutSeconds + 10) * 1000 });
  assert.equal(r.status, 200, r.body);
  return r.body.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

test('objects survive a graceful restart with the same uid, resourceVersion and content', async () => {
  const ns = 'graceful';
  await createNamespace(ns);
  const expected = new Map<string, Stored>();
  const names = Array.from({ length: 300 }, (_, i) => `cm-${String(i).padStart(3, '0')}`);
  await pool(names, 25, async (name) => {
    const r = await server.request('POST', cmPath(ns), { body: JSON.stringify({ metadata: { name }, data: { n: name } }) });
    assert.equal(r.status, 201, r.body);
    expected.set(name, stored(r.json()));
  });
  // Some updates and deletes, so the state is more than the first write of each key.
  await pool(names.slice(0, 60), 10, async (name) => {
    const current = (await server.request('GET', cmPath(ns, name))).json();
    const r = await server.request('PUT', cmPath(ns, name), { body: JSON.stringify({ ...current, data: { n: name, updated: 'yes' } }) });
    assert.equal(r.status, 200, r.body);
    expected.set(name, stored(r.json()));
  });
  await pool(names.slice(60, 90), 10, async (name) => {
    const r = await server.request('DELETE', cmPath(ns, name));
    assert.equal(r.status, 200, r.body);
    expected.delete(name);
  });
  const before = await listConfigMaps(ns);
  assert.deepEqual(before.items, expected);

  const exit = await server.stop('SIGTERM');
  assert.equal(exit, 0, `server did not exit cleanly on SIGTERM:\n${server.output}`);
  await server.start();

  const afterRestart = await listConfigMaps(ns);
  assert.equal(afterRestart.items.size, 270);
  assert.deepEqual(afterRestart.items, expected);
  assert.ok(Number(afterRestart.resourceVersion) >= Number(before.resourceVersion), `list resourceVersion went back: ${before.resourceVersion} → ${afterRestart.resourceVersion}`);
  for (const name of ['cm-000', 'cm-059', 'cm-299']) {
    const r = await server.request('GET', cmPath(ns, name));
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(stored(r.json()), expected.get(name));
  }
  assert.equal((await server.request('GET', cmPath(ns, 'cm-070'))).status, 404);
  // Revisions go on from where they were: a new write is newer than everything before the restart.
  const newest = Math.max(...[...expected.values()].map((s) => Number(s.resourceVersion)));
  const r = await server.request('POST', cmPath(ns), { body: JSON.stringify({ metadata: { name: 'after-restart' } }) });
  assert.equal(r.status, 201, r.body);
  assert.ok(Number(r.json().metadata.resourceVersion) > newest);
});

test('every create acknowledged before kill -9 is there after the restart', async () => {
  const ns = 'burst';
  await createNamespace(ns);
  const acknowledged = new Map<string, Stored>();
  const attempted = new Set<string>();
  let inFlight = 0;
  let inFlightAtKill = -1;
  let stop = false;
  let seq = 0;
  const worker = async () => {
    while (!stop) {
      const name = `burst-${seq++}`;
      attempted.add(name);
      inFlight++;
      try {
        const r = await server.request('POST', cmPath(ns), { body: JSON.stringify({ metadata: { name }, data: { n: name } }), timeoutMs: 10_000 });
        if (r.status === 201) acknowledged.set(name, stored(r.json()));
        else if (!stop) assert.fail(`create ${name}: ${r.status} ${r.body}`);
      } catch {
        // The connection died with the server: not acknowledged.
        if (!stop) throw new Error(`create ${name} failed before the kill`);
      } finally {
        inFlight--;
      }
    }
  };
  const workers = Array.from({ length: 24 }, worker);
  try {
    const started = Date.now();
    while (acknowledged.size < 400 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 5));
  } finally {
    stop = true;
    inFlightAtKill = inFlight;
    await server.kill9();
  }
  await Promise.all(workers);
  assert.ok(acknowledged.size >= 400, `only ${acknowledged.size} creates were acknowledged in 20 s`);
  assert.ok(inFlightAtKill > 0, 'the kill came when no write was in flight');

  await server.start();
  const { items } = await listConfigMaps(ns);
  const lost = [...acknowledged.keys()].filter((n) => !items.has(n));
  assert.deepEqual(lost, [], `${lost.length} acknowledged creates were lost`);
  for (const [name, s] of acknowledged) assert.deepEqual(items.get(name), s, name);
  // Unacknowledged creates may or may not have landed, but nothing else appears.
  for (const name of items.keys()) assert.ok(attempted.has(name), `unexpected object ${name}`);
});

test('a watch resumed from an older resourceVersion replays every change since, in order', async () => {
  const ns = 'resume';
  await createNamespace(ns);
  const { resourceVersion: from } = await listConfigMaps(ns);
  const names = Array.from({ length: 150 }, (_, i) => `w-${i}`);
  const writes: { type: string; name: string; rv: string }[] = [];
  for (const name of names) {
    const r = await server.request('POST', cmPath(ns), { body: JSON.stringify({ metadata: { name }, data: { v: '1' } }) });
    assert.equal(r.status, 201, r.body);
    writes.push({ type: 'ADDED', name, rv: r.json().metadata.resourceVersion });
  }
  for (const name of names) {
    const current = (await server.request('GET', cmPath(ns, name))).json();
    const r = await server.request('PUT', cmPath(ns, name), { body: JSON.stringify({ ...current, data: { v: '2' } }) });
    assert.equal(r.status, 200, r.body);
    writes.push({ type: 'MODIFIED', name, rv: r.json().metadata.resourceVersion });
  }
  for (const name of names.slice(0, 50)) {
    const r = await server.request('DELETE', cmPath(ns, name));
    assert.equal(r.status, 200, r.body);
    writes.push({ type: 'DELETED', name, rv: r.json().metadata.resourceVersion });
  }

  const events = await watchEvents(ns, from, 2);
  assert.deepEqual(events.map((e) => ({ type: e.type, name: e.object.metadata.name, rv: e.object.metadata.resourceVersion })), writes);
  assert.equal(events.find((e) => e.type === 'MODIFIED')!.object.data.v, '2');
  // Resuming from the middle gives exactly the rest.
  const middle = writes[199].rv;
  const rest = await watchEvents(ns, middle, 1);
  assert.deepEqual(rest.map((e) => e.object.metadata.resourceVersion), writes.slice(200).map((w) => w.rv));
});

test('a watch from before the watch cache window gets 410 Expired as an ERROR event', async () => {
  const ns = 'expired';
  await createNamespace(ns);
  const first = await server.request('POST', cmPath(ns), { body: JSON.stringify({ metadata: { name: 'old' } }) });
  assert.equal(first.status, 201, first.body);
  const oldRV = first.json().metadata.resourceVersion;
  const second = await server.request('POST', cmPath(ns), { body: JSON.stringify({ metadata: { name: 'newer' } }) });
  const newerRV = Number(second.json().metadata.resourceVersion);
  // A restart starts the window at the revision the watch cache listed at: older history is gone.
  await server.restart();
  const { resourceVersion: listed } = await listConfigMaps(ns);

  const events = await watchEvents(ns, oldRV, 5);
  assert.equal(events.length, 1, JSON.stringify(events));
  const [{ type, object }] = events;
  assert.equal(type, 'ERROR');
  assert.equal(object.kind, 'Status');
  assert.equal(object.apiVersion, 'v1');
  assert.equal(object.status, 'Failure');
  assert.equal(object.code, 410);
  assert.equal(object.reason, 'Expired');
  const m = /^too old resource version: (\d+) \((\d+)\)$/.exec(object.message);
  assert.ok(m, object.message);
  assert.equal(m[1], oldRV);
  assert.ok(Number(m[2]) >= newerRV && Number(m[2]) <= Number(listed), object.message);

  // From the revision the list gave, the watch works and sees new changes.
  const write = server.request('POST', cmPath(ns), { body: JSON.stringify({ metadata: { name: 'after' } }) });
  const [created, fresh] = await Promise.all([write, watchEvents(ns, listed, 2)]);
  assert.equal(created.status, 201, created.body);
  assert.deepEqual(fresh.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'after']]);
});
