// Serves CustomResourceDefinitions: follows CRDs in the watch cache and keeps the registry's
// custom resources, each CRD's status (names accepted, established) and its cleanup on
// deletion in line with what is stored. One CRD is reconciled at a time.
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import { isConflict, isNotFound } from '../../api/status.ts';
import type { ApiContext } from '../rest/context.ts';
import type { ResourceStore } from '../rest/resource-store.ts';
import { timestamp, deepEqual } from '../rest/object-meta.ts';
import { objectKey, resourcePrefix } from '../watchcache/keys.ts';
import { CLEANUP_FINALIZER, CRD_GROUP, CRD_PLURAL, namesOf, type CrdCondition } from './crd-model.ts';
import { crdDeletionAdmission, withCrdStrategy } from './crd-strategy.ts';
import { computeNaming, setCondition, withNaming } from './crd-status.ts';
import { describeCustomResources } from './custom-resource.ts';

const CRD_PREFIX = resourcePrefix(CRD_GROUP, CRD_PLURAL);
const RETRY_MS = 200;
const MAX_RETRY_MS = 30_000;
const STRATEGY_OWNER = 'crd-strategy';

export const ownerOf = (crdName: string) => `crd:${crdName}`;

export class CrdRegistrar {
  readonly name = 'crd-registrar';
  readonly #ctx: ApiContext;
  readonly #store: ResourceStore;
  readonly #pending = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Consecutive failures per CRD, for exponential backoff. */
  readonly #failures = new Map<string, number>();
  /** What each owner's registered descriptions were built from, to skip needless re-registration. */
  readonly #servedFrom = new Map<string, string>();
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(ctx: ApiContext, store: ResourceStore) {
    this.#ctx = ctx;
    this.#store = store;
  }

  /** Installs the CRD strategy, serves the CRDs already stored, then follows changes until signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const ctx = this.#ctx;
    const builtin = ctx.registry.lookup(CRD_GROUP, 'v1', CRD_PLURAL);
    if (!builtin) throw new Error('the registry does not serve customresourcedefinitions');
    ctx.registry.replaceGroupResources(STRATEGY_OWNER, [withCrdStrategy(builtin)]);
    if (!ctx.admission.some((a) => a.name === 'CustomResourceDefinitionCleanup')) ctx.admission.push(crdDeletionAdmission(ctx.now));

    await ctx.cache.waitFresh();
    const existing = ctx.cache.list(CRD_PREFIX).map((c) => c.obj.metadata.name as string);
    const from = ctx.cache.revision;
    const stop = ctx.cache.watch(CRD_PREFIX, from, {
      onEvent: (e) => {
        this.#enqueue(e.obj.metadata.name);
        // A CRD that goes away frees its names for the others of its group.
        if (e.type === 'DELETED') for (const other of this.#crds()) if (other.spec?.group === e.obj.spec?.group) this.#enqueue(other.metadata.name);
      },
    });
    if (!stop) throw new Error('the watch cache cannot follow customresourcedefinitions from its current revision');
    signal.addEventListener('abort', () => {
      this.#stopped = true;
      stop();
      for (const t of this.#timers) clearTimeout(t);
      this.#timers.clear();
      this.#pending.clear();
    }, { once: true });
    for (const name of existing) await this.#reconcileSafely(name);
  }

  #crds(): KubeObject[] {
    return this.#ctx.cache.list(CRD_PREFIX).map((c) => c.obj);
  }

  #crdDesc(): ResourceDescription {
    return this.#ctx.registry.lookup(CRD_GROUP, 'v1', CRD_PLURAL)!;
  }

  #enqueue(name: string): void {
    if (this.#stopped) return;
    this.#pending.add(name);
    if (!this.#running) this.#running = this.#drain().finally(() => { this.#running = undefined; });
  }

  #later(name: string, ms = RETRY_MS): void {
    if (this.#stopped) return;
    const t = setTimeout(() => { this.#timers.delete(t); this.#enqueue(name); }, ms);
    this.#timers.add(t);
  }

  async #drain(): Promise<void> {
    while (this.#pending.size && !this.#stopped) {
      const [name] = this.#pending;
      this.#pending.delete(name!);
      await this.#reconcileSafely(name!);
    }
  }

  async #reconcileSafely(name: string): Promise<void> {
    try {
      await this.#reconcile(name);
      this.#failures.delete(name);
    } catch (err) {
      const failures = (this.#failures.get(name) ?? 0) + 1;
      this.#failures.set(name, failures);
      if (!isConflict(err) && !isNotFound(err)) {
        this.#ctx.log.warn('reconciling custom resource definition failed; retrying', { crd: name, err: (err as Error)?.message ?? err });
      }
      this.#later(name, Math.min(RETRY_MS * 2 ** (failures - 1), MAX_RETRY_MS));
    }
  }

  async #reconcile(name: string): Promise<void> {
    const ctx = this.#ctx;
    const kv = await ctx.store.get(objectKey(CRD_GROUP, CRD_PLURAL, '', name));
    if (!kv) { this.#unserve(name); return; }
    const crd = await this.#store.get(this.#crdDesc(), '', name);
    if (crd.metadata.deletionTimestamp) { await this.#finalize(crd); return; }

    const others = this.#crds().filter((o) => o.metadata.name !== name && o.spec?.group === crd.spec?.group);
    const naming = computeNaming(crd, others);
    const accepted = naming.namesAccepted.status === 'True' || naming.established.status === 'True';
    if (accepted) this.#serve(crd, naming.acceptedNames, false);
    else this.#unserve(name);
    const next = withNaming(crd, naming, timestamp(ctx.now()));
    if (!deepEqual(next.status, crd.status)) {
      await this.#store.update(this.#crdDesc(), '', name, next, { dryRun: false, subresource: 'status' });
    }
  }

  /** Registers the CRD's served versions, unless they would shadow a built-in resource. */
  #serve(crd: KubeObject, names: KubeObject, terminating: boolean): void {
    const ctx = this.#ctx;
    const owner = ownerOf(crd.metadata.name);
    const descs = describeCustomResources(crd, ctx.defs, { names, terminating });
    const clash = descs.find((d) => {
      const cur = ctx.registry.lookup(d.group, d.version, d.plural);
      return cur && (cur as { owner?: string }).owner !== owner;
    });
    if (clash) {
      ctx.log.warn('custom resource definition overlaps a served resource; not serving it', { crd: crd.metadata.name, resource: `${clash.plural}.${clash.group}/${clash.version}` });
      ctx.registry.replaceGroupResources(owner, []);
      return;
    }
    const print = fingerprint(crd, names, terminating);
    const served = ctx.registry.all().some((r) => (r as { owner?: string }).owner === owner);
    if (served && this.#servedFrom.get(owner) === print) return;
    ctx.registry.replaceGroupResources(owner, descs);
    this.#servedFrom.set(owner, print);
  }

  #unserve(crdName: string): void {
    const owner = ownerOf(crdName);
    this.#servedFrom.delete(owner);
    if (this.#ctx.registry.all().some((r) => (r as { owner?: string }).owner === owner)) this.#ctx.registry.replaceGroupResources(owner, []);
  }

  /** Deletes every custom resource of a terminating CRD, then lets the CRD go. */
  async #finalize(crd: KubeObject): Promise<void> {
    const ctx = this.#ctx;
    const name: string = crd.metadata.name;
    if (!(crd.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) return;
    const names = crd.status?.acceptedNames?.plural ? crd.status.acceptedNames : namesOf(crd);
    const established = crd.status?.conditions?.some((c: CrdCondition) => c.type === 'Established' && c.status === 'True');
    let cond: CrdCondition;
    if (established) {
      this.#serve(crd, names, true);
      let current = crd;
      const progress: CrdCondition = { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' };
      current = await this.#writeCondition(current, progress);
      const remaining = await this.#deleteInstances(crd);
      if (remaining > 0) { this.#later(name, 1000); return; }
      cond = { type: 'Terminating', status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' };
      crd = await this.#writeCondition(current, cond);
    } else {
      cond = { type: 'Terminating', status: 'False', reason: 'NeverEstablished', message: 'resource was never established' };
      crd = await this.#writeCondition(crd, cond);
    }
    this.#unserve(name);
    const next = structuredClone(crd);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f: string) => f !== CLEANUP_FINALIZER);
    await this.#store.update(this.#crdDesc(), '', name, next, { dryRun: false });
  }

  async #writeCondition(crd: KubeObject, cond: CrdCondition): Promise<KubeObject> {
    const next = structuredClone(crd);
    setCondition(next, cond, timestamp(this.#ctx.now()));
    if (deepEqual(next.status, crd.status)) return crd;
    return this.#store.update(this.#crdDesc(), '', crd.metadata.name, next, { dryRun: false, subresource: 'status' });
  }

  /** Issues deletes for all instances; returns how many still exist afterwards. */
  async #deleteInstances(crd: KubeObject): Promise<number> {
    const ctx = this.#ctx;
    const desc = ctx.registry.all().find((r) => r.crd === crd.metadata.name);
    if (!desc) return 0;
    const prefix = resourcePrefix(desc.group, desc.plural);
    await ctx.cache.waitFresh();
    for (const c of ctx.cache.list(prefix)) {
      if (c.obj.metadata.deletionTimestamp) continue;
      try {
        await this.#store.delete(desc, c.obj.metadata.namespace ?? '', c.obj.metadata.name, { dryRun: false });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    await ctx.cache.waitFresh();
    return ctx.cache.count(prefix);
  }
}

function fingerprint(crd: KubeObject, names: KubeObject, terminating: boolean): string {
  return JSON.stringify([crd.metadata.uid, crd.spec, names, terminating]);
}
