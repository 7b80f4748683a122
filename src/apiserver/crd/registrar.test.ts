import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import type { Logger } from '../../base/log.ts';
import { WatchCache } from '../watchcache/watch-cache.ts';
import { ApiRegistry } from '../registry.ts';
import { ResourceStore } from '../rest/resource-store.ts';
import type { ApiContext } from '../rest/context.ts';
import { withStrategies } from '../strategies.ts';
import { builtinResources } from '../../api/registry/builtin/index.ts';
import { builtinTypes } from '../../api/schema/index.ts';
import { isInvalid, type StatusError } from '../../api/status.ts';
import { CrdRegistrar } from './registrar.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, with: () => silent };

interface Env { ctx: ApiContext; rs: ResourceStore; start(): Promise<void> }

/** A registrar over a real SQLite store, watch cache and registry; all closed and removed after body. */
async function withEnv(body: (env: Env) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'navarch-crd-'));
  const store = await SqliteStore.open({ dataDir: dir });
  const abort = new AbortController();
  try {
    const cache = new WatchCache(store, silent);
    await cache.start(abort.signal);
    const ctx: ApiContext = { store, cache, registry: new ApiRegistry(withStrategies(builtinResources)), defs: builtinTypes, log: silent, admission: [], now: () => new Date() };
    const rs = new ResourceStore(ctx);
    await body({ ctx, rs, start: () => new CrdRegistrar(ctx, rs).start(abort.signal) });
  } finally {
    abort.abort();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const widgetCrd = () => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.test.example.com' },
  spec: {
    group: 'test.example.com', scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'] },
    versions: [
      { name: 'v1', served: true, storage: true, subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer', maximum: 10 }, color: { type: 'string', default: 'blue' } } }, status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } },
      { name: 'v1beta1', served: true, storage: false,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } },
    ],
  },
});

const crdDesc = (ctx: ApiContext) => ctx.registry.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;

test('a created CRD is served in each version, gets its status and validates its custom resources', async () => {
  await withEnv(async ({ ctx, rs, start }) => {
    await start();
    await rs.create(crdDesc(ctx), '', widgetCrd(), { dryRun: false });
    const v1 = await eventually('v1 served', () => ctx.registry.lookup('test.example.com', 'v1', 'widgets'));
    assert.ok(ctx.registry.lookup('test.example.com', 'v1beta1', 'widgets'));
    assert.deepEqual(v1.shortNames, ['wd']);
    assert.equal(v1.crd, 'widgets.test.example.com');
    const stored = await eventually('established', async () => {
      const c = await rs.get(crdDesc(ctx), '', 'widgets.test.example.com');
      return c.status?.conditions?.some((x: any) => x.type === 'Established' && x.status === 'True') ? c : undefined;
    });
    assert.deepEqual(stored.status.conditions.map((c: any) => [c.type, c.status, c.reason]), [['NamesAccepted', 'True', 'NoConflicts'], ['Established', 'True', 'InitialNamesAccepted']]);
    assert.deepEqual(stored.status.storedVersions, ['v1']);
    assert.equal(stored.status.acceptedNames.plural, 'widgets');

    const created = await rs.create(v1, 'default', { metadata: { name: 'w1' }, spec: { size: 3 } }, { dryRun: false });
    assert.deepEqual(created.spec, { size: 3, color: 'blue' });
    await assert.rejects(rs.create(v1, 'default', { metadata: { name: 'w2' }, spec: { size: 'big' } }, { dryRun: false }), (e: StatusError) => {
      assert.ok(isInvalid(e));
      assert.equal(e.message, 'Widget.test.example.com "w2" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"');
      return true;
    });
    // Served in the other version with only apiVersion rewritten.
    const beta = ctx.registry.lookup('test.example.com', 'v1beta1', 'widgets')!;
    const asBeta = await rs.get(beta, 'default', 'w1');
    assert.equal(asBeta.apiVersion, 'test.example.com/v1beta1');
    assert.deepEqual(asBeta.spec, { size: 3, color: 'blue' });
  });
});

test('deleting a CRD deletes its custom resources, then the CRD and its resources go', async () => {
  await withEnv(async ({ ctx, rs, start }) => {
    await start();
    await rs.create(crdDesc(ctx), '', widgetCrd(), { dryRun: false });
    const v1 = await eventually('served', () => ctx.registry.lookup('test.example.com', 'v1', 'widgets'));
    for (const name of ['a', 'b']) await rs.create(v1, 'default', { metadata: { name }, spec: { size: 1 } }, { dryRun: false });
    const { gone } = await rs.delete(crdDesc(ctx), '', 'widgets.test.example.com', { dryRun: false });
    assert.equal(gone, false, 'the cleanup finalizer keeps the CRD until its resources are deleted');
    await eventually('CRD gone', async () => (await ctx.store.get('/registry/apiextensions.k8s.io/customresourcedefinitions/widgets.test.example.com')) === undefined);
    await ctx.cache.waitFresh();
    assert.equal(ctx.cache.count('/registry/test.example.com/widgets/'), 0);
    assert.equal(ctx.registry.lookup('test.example.com', 'v1', 'widgets'), undefined);
  });
});

test('CRDs already stored are served once start resolves', async () => {
  await withEnv(async ({ ctx, rs, start }) => {
    // Stored before the registrar runs (as after a restart): no strategy, so the status is set by hand.
    const crd: any = widgetCrd();
    crd.status = { storedVersions: ['v1'] };
    await rs.create({ ...crdDesc(ctx), keepStatusOnCreate: true }, '', crd, { dryRun: false });
    await start();
    assert.ok(ctx.registry.lookup('test.example.com', 'v1', 'widgets'));
  });
});

test('an invalid CRD is refused with upstream messages', async () => {
  await withEnv(async ({ ctx, rs, start }) => {
    await start();
    const crd: any = widgetCrd();
    crd.metadata.name = 'gadgets.test.example.com';
    await assert.rejects(rs.create(crdDesc(ctx), '', crd, { dryRun: false }), (e: StatusError) => {
      assert.equal(e.message, 'CustomResourceDefinition.apiextensions.k8s.io "gadgets.test.example.com" is invalid: metadata.name: Invalid value: "gadgets.test.example.com": must be spec.names.plural+"."+spec.group');
      return true;
    });
  });
});
