// The official JavaScript client (@kubernetes/client-node) against `navarch server`: typed lists,
// a raw Watch, an informer with its cache, and paging with limit/continue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { TestServer } from './harness.ts';

const server = new TestServer(['--disable-agent']);
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;

before(async () => {
  await server.start();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(server.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
});
after(() => server.cleanup());

/** Creates a namespace and waits for the root CA controller to publish kube-root-ca.crt in it, as upstream does. */
async function namespace(name: string): Promise<void> {
  await core.createNamespace({ body: { metadata: { name } } });
  for (const deadline = Date.now() + 10_000; ;) {
    try { await core.readNamespacedConfigMap({ namespace: name, name: 'kube-root-ca.crt' }); return; } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Resolves once check() holds, polling; fails after timeoutMs with what describe() says. */
async function until(check: () => boolean, describe: () => string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) assert.fail(`timed out: ${describe()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const configMap = (name: string, data: Record<string, string>): k8s.V1ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

const ROOT_CA = 'kube-root-ca.crt';

test('lists namespaces and config maps through the typed client', async () => {
  await namespace('cn-list');
  const namespaces = await core.listNamespace();
  const names = namespaces.items.map((n) => n.metadata?.name);
  for (const n of ['default', 'kube-system', 'kube-public', 'cn-list']) assert.ok(names.includes(n), `${n} missing from ${names.join(', ')}`);
  assert.match(namespaces.metadata?.resourceVersion ?? '', /^\d+$/);

  await core.createNamespacedConfigMap({ namespace: 'cn-list', body: configMap('one', { a: '1' }) });
  await core.createNamespacedConfigMap({ namespace: 'cn-list', body: configMap('two', { b: '2' }) });
  // Every namespace also holds kube-root-ca.crt (published by the root CA controller, as upstream).
  const list = await core.listNamespacedConfigMap({ namespace: 'cn-list', fieldSelector: `metadata.name!=${ROOT_CA}` });
  assert.deepEqual(list.items.map((c) => [c.metadata?.name, c.data]), [['one', { a: '1' }], ['two', { b: '2' }]]);
  assert.ok(list.items.every((c) => c.metadata?.creationTimestamp instanceof Date && typeof c.metadata?.uid === 'string'));
  const one = await core.readNamespacedConfigMap({ namespace: 'cn-list', name: 'one' });
  assert.equal(one.metadata?.uid, list.items[0].metadata?.uid);
  await assert.rejects(core.readNamespacedConfigMap({ namespace: 'cn-list', name: 'absent' }), (e: any) => e.code === 404);
});

test('a Watch sees ADDED, MODIFIED (by replace) and DELETED for changes made while it runs', async () => {
  const ns = 'cn-watch';
  await namespace(ns);
  await core.createNamespacedConfigMap({ namespace: ns, body: configMap('before', { x: '0' }) });
  const { metadata } = await core.listNamespacedConfigMap({ namespace: ns });
  const events: { type: string; name: string; data: unknown; rv: string }[] = [];
  let ended: unknown = 'not ended';
  const watch = new k8s.Watch(kc);
  const abort = await watch.watch(`/api/v1/namespaces/${ns}/configmaps`, { resourceVersion: metadata!.resourceVersion, allowWatchBookmarks: false },
    (type, obj) => events.push({ type, name: obj.metadata.name, data: obj.data, rv: obj.metadata.resourceVersion }),
    (err) => { ended = err; });
  try {
    const created = await core.createNamespacedConfigMap({ namespace: ns, body: configMap('watched', { v: '1' }) });
    const replaced = await core.replaceNamespacedConfigMap({ namespace: ns, name: 'watched', body: { ...created, data: { v: '2' } } });
    const deleted = await core.deleteNamespacedConfigMap({ namespace: ns, name: 'watched' });
    await until(() => events.length >= 3, () => JSON.stringify(events));
    assert.deepEqual(events, [
      { type: 'ADDED', name: 'watched', data: { v: '1' }, rv: created.metadata!.resourceVersion },
      { type: 'MODIFIED', name: 'watched', data: { v: '2' }, rv: replaced.metadata!.resourceVersion },
      { type: 'DELETED', name: 'watched', data: { v: '2' }, rv: events[2]?.rv },
    ]);
    assert.ok(Number(events[2].rv) > Number(replaced.metadata!.resourceVersion));
    assert.ok(deleted);
    assert.equal(ended, 'not ended');
  } finally {
    abort.abort();
  }
});

test('an informer sees every add, update and delete, and its cache lists the objects', async () => {
  const ns = 'cn-informer';
  await namespace(ns);
  await core.createNamespacedConfigMap({ namespace: ns, body: configMap('existing', { e: '1' }) });
  const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${ns}/configmaps`, () => core.listNamespacedConfigMap({ namespace: ns }));
  const seen: string[] = [];
  const errors: unknown[] = [];
  informer.on('add', (o) => o.metadata?.name !== ROOT_CA && seen.push(`add ${o.metadata?.name} ${JSON.stringify(o.data)}`));
  informer.on('update', (o) => o.metadata?.name !== ROOT_CA && seen.push(`update ${o.metadata?.name} ${JSON.stringify(o.data)}`));
  informer.on('delete', (o) => o.metadata?.name !== ROOT_CA && seen.push(`delete ${o.metadata?.name}`));
  informer.on('error', (e) => errors.push(e));
  await informer.start();
  try {
    await until(() => seen.length >= 1, () => seen.join('; '));
    assert.deepEqual(seen, ['add existing {"e":"1"}']);

    const names = ['alpha', 'beta', 'gamma'];
    for (const name of names) await core.createNamespacedConfigMap({ namespace: ns, body: configMap(name, { v: '1' }) });
    const beta = await core.readNamespacedConfigMap({ namespace: ns, name: 'beta' });
    await core.replaceNamespacedConfigMap({ namespace: ns, name: 'beta', body: { ...beta, data: { v: '2' } } });
    await core.deleteNamespacedConfigMap({ namespace: ns, name: 'gamma' });
    await until(() => seen.length >= 6, () => seen.join('; '));
    assert.deepEqual(seen, [
      'add existing {"e":"1"}',
      'add alpha {"v":"1"}', 'add beta {"v":"1"}', 'add gamma {"v":"1"}',
      'update beta {"v":"2"}',
      'delete gamma',
    ]);
    const cached = informer.list(ns).filter((o) => o.metadata?.name !== ROOT_CA).map((o) => [o.metadata?.name, o.data]).sort();
    assert.deepEqual(cached, [['alpha', { v: '1' }], ['beta', { v: '2' }], ['existing', { e: '1' }]]);
    assert.equal(informer.get('beta', ns)?.metadata?.resourceVersion, (await core.readNamespacedConfigMap({ namespace: ns, name: 'beta' })).metadata?.resourceVersion);
    assert.equal(informer.get('gamma', ns), undefined);
    assert.deepEqual(errors, []);
  } finally {
    await informer.stop();
  }
});

test('paging with limit and continue returns every object exactly once', async () => {
  const ns = 'cn-paging';
  await namespace(ns);
  const created = Array.from({ length: 23 }, (_, i) => `page-${String(i).padStart(2, '0')}`);
  // The namespace's kube-root-ca.crt sorts first.
  const names = [ROOT_CA, ...created];
  await Promise.all(created.map((name) => core.createNamespacedConfigMap({ namespace: ns, body: configMap(name, { i: name }) })));

  const pages: string[][] = [];
  let token: string | undefined;
  let firstRV: string | undefined;
  do {
    const page = await core.listNamespacedConfigMap({ namespace: ns, limit: 5, _continue: token });
    pages.push(page.items.map((c) => c.metadata!.name!));
    firstRV ??= page.metadata?.resourceVersion;
    // Every page of one list is read at the revision of the first.
    assert.equal(page.metadata?.resourceVersion, firstRV);
    token = page.metadata?._continue || undefined;
    if (token) assert.equal(page.metadata?.remainingItemCount, names.length - pages.flat().length);
    // A change between pages does not show up in the list being paged.
    if (pages.length === 2) await core.createNamespacedConfigMap({ namespace: ns, body: configMap('page-99-late', {}) });
  } while (token && pages.length < 20);

  assert.deepEqual(pages.map((p) => p.length), [5, 5, 5, 5, 4]);
  assert.deepEqual(pages.flat(), names);
  const all = await core.listNamespacedConfigMap({ namespace: ns });
  assert.equal(all.items.length, names.length + 1);
});
