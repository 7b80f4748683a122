// The generic, registry-driven storage operations behind every resource (upstream's generic
// registry Store): create, update, guaranteed update for patches, delete with finalizers,
// grace periods and propagation policies. Handlers parse HTTP; this file owns the semantics.
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import { fieldErrors, type FieldError } from '../../api/validation/field-error.ts';
import { errors, StatusError } from '../../api/status.ts';
import { isStorageError } from '../../storage/store.ts';
import { storageKey, fromStorage, toStorage } from './storage-view.ts';
import type { AdmissionAttributes, ApiContext, Reservation } from './context.ts';
import { timestamp, newUid, nameSuffix, specChanged, deepEqual, clone } from './object-meta.ts';
import { validateObjectMeta } from './validate-meta.ts';
import { trackUpdate } from './managed-fields.ts';

export interface WriteOptions {
  dryRun: boolean;
  /** Who writes: recorded in managedFields (absent: not tracked, for system writes). */
  fieldManager?: string;
  /** The writer already computed managedFields (server-side apply). */
  managedFieldsDone?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

const encoder = new TextEncoder();

/** Bytes stored for an object: everything but its resourceVersion, which storage supplies. */
export function encodeForStorage(obj: KubeObject): Uint8Array {
  const rv = obj.metadata?.resourceVersion;
  if (rv !== undefined) delete obj.metadata.resourceVersion;
  const bytes = encoder.encode(JSON.stringify(obj));
  if (rv !== undefined) obj.metadata.resourceVersion = rv;
  return bytes;
}

/** The paths an update through a partial-writing subresource takes from its input. */
export const partialSubresource = (desc: ResourceDescription, sub: string) => desc.subresources?.others?.find((o) => o.name === sub)?.replaces;

/** Sets (or removes, when absent in from) the value at path of into. */
function copyPath(from: KubeObject, into: KubeObject, path: string[]): void {
  let src: KubeObject | undefined = from;
  let dst: KubeObject = into;
  for (const k of path.slice(0, -1)) {
    src = src?.[k];
    dst = (dst[k] ??= {});
  }
  const last = path.at(-1)!;
  if (src?.[last] === undefined) delete dst[last]; else dst[last] = clone(src[last]);
}

export const statusFieldsOf = (desc: ResourceDescription) => desc.statusFields ?? (desc.subresources?.status ? ['status'] : []);

export class ResourceStore {
  readonly #ctx: ApiContext;
  constructor(ctx: ApiContext) { this.#ctx = ctx; }

  key(desc: ResourceDescription, namespace: string, name: string): string {
    return storageKey(desc, namespace, name);
  }

  /**
   * The object as of every acknowledged write (a consistent read), from the watch cache once it
   * has caught up with storage. The returned object is shared: copy before changing it.
   */
  async #read(desc: ResourceDescription, namespace: string, name: string): Promise<{ obj: KubeObject; kv: { modRevision: number } } | undefined> {
    await this.#ctx.cache.waitFresh();
    const cached = this.#ctx.cache.get(this.key(desc, namespace, name));
    return cached ? { obj: fromStorage(desc, cached.obj), kv: { modRevision: cached.rv } } : undefined;
  }

  /** The object as storage has it now (consistent read), or 404. */
  async get(desc: ResourceDescription, namespace: string, name: string): Promise<KubeObject> {
    const found = await this.#read(desc, namespace, name);
    if (!found) throw errors.notFound(desc.group, desc.plural, name);
    return found.obj;
  }

  #typeMeta(desc: ResourceDescription, obj: KubeObject): void {
    obj.apiVersion = desc.group ? `${desc.group}/${desc.version}` : desc.version;
    obj.kind = desc.kind;
  }

  #validate(desc: ResourceDescription, obj: KubeObject, old: KubeObject | undefined, subresource?: string): void {
    const errs: FieldError[] = [...validateObjectMeta(desc, obj, old)];
    if (desc.validate) errs.push(...desc.validate(obj, old, subresource));
    if (errs.length) throw errors.invalid(desc.group, desc.kind, obj.metadata?.name ?? obj.metadata?.generateName ?? '', errs);
  }

  async #admit(op: 'CREATE' | 'UPDATE' | 'DELETE', desc: ResourceDescription, obj: KubeObject, old: KubeObject | undefined, attrs: AdmissionAttributes): Promise<void> {
    for (const a of this.#ctx.admission) await a.admit(op, desc, obj, old, this.#ctx, attrs);
  }

  /** Creates obj (already decoded and checked against the URL). */
  async create(desc: ResourceDescription, namespace: string, input: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    const obj = input;
    this.#typeMeta(desc, obj);
    const meta = (obj.metadata ??= {});
    if (desc.scope === 'Namespaced') meta.namespace = namespace;
    else delete meta.namespace;
    const generated = !meta.name && !!meta.generateName;
    if (generated) meta.name = `${meta.generateName}${nameSuffix()}`;
    meta.uid = newUid();
    meta.creationTimestamp = timestamp(this.#ctx.now());
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (desc.generation) meta.generation = 1;
    else delete meta.generation;
    if (!desc.keepStatusOnCreate) for (const f of statusFieldsOf(desc)) delete obj[f];
    desc.prepareForCreate?.(obj);
    desc.defaults?.(obj);
    this.#validate(desc, obj, undefined);
    await this.#admit('CREATE', desc, obj, undefined, { dryRun: opts.dryRun });
    if (opts.fieldManager !== undefined && !opts.managedFieldsDone) {
      const tracked = trackUpdate(this.#ctx, desc, undefined, obj, opts.fieldManager);
      meta.managedFields = tracked.metadata.managedFields;
      if (!meta.managedFields) delete meta.managedFields;
    }
    if (opts.dryRun) {
      // A dry run still answers as the write would: a taken name is AlreadyExists.
      await this.#ctx.cache.waitFresh();
      if (this.#ctx.cache.get(this.key(desc, namespace, meta.name))) throw errors.alreadyExists(desc.group, desc.plural, meta.name);
      await this.#reserve('CREATE', desc, obj, undefined, true);
      return obj;
    }
    const reservation = await this.#reserve('CREATE', desc, obj, undefined, false);
    return settle(reservation, async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const kv = await this.#ctx.store.create(this.key(desc, namespace, meta.name), encodeForStorage(toStorage(desc, obj)));
          meta.resourceVersion = String(kv.modRevision);
          return obj;
        } catch (err) {
          if (isStorageError(err, 'KeyExists')) {
            if (generated && attempt < 8) { meta.name = `${meta.generateName}${nameSuffix()}`; continue; }
            throw errors.alreadyExists(desc.group, desc.plural, meta.name);
          }
          throw err;
        }
      }
    });
  }

  /** Every allocator's claim for this write, as one reservation (a failing allocator gives back the others'). */
  async #reserve(op: 'CREATE' | 'UPDATE', desc: ResourceDescription, obj: KubeObject, old: KubeObject | undefined, dryRun: boolean): Promise<Reservation | undefined> {
    const taken: Reservation[] = [];
    try {
      for (const a of this.#ctx.allocators ?? []) {
        const r = await a.reserve(op, desc, obj, old, dryRun);
        if (r) taken.push(r);
      }
    } catch (err) {
      for (const r of taken) await r.rollback();
      throw err;
    }
    if (!taken.length) return undefined;
    return {
      async commit() { for (const r of taken) await r.commit(); },
      async rollback() { for (const r of taken) await r.rollback(); },
    };
  }

  /** The object left storage: its allocations go back to their pools. */
  async #released(desc: ResourceDescription, obj: KubeObject): Promise<void> {
    for (const a of this.#ctx.allocators ?? []) {
      try { await a.release(desc, obj); } catch (err) { this.#ctx.log.warn('releasing allocations failed; the repair loop will', { allocator: a.name, err }); }
    }
  }

  /**
   * Replaces the object (PUT) or its status (subresource 'status'): the system-owned parts are
   * carried over, a stale resourceVersion is a 409, and an unchanged object is not written.
   */
  async update(desc: ResourceDescription, namespace: string, name: string, input: KubeObject, opts: WriteOptions & { subresource?: string }): Promise<KubeObject> {
    const current = await this.#read(desc, namespace, name);
    if (!current) throw errors.notFound(desc.group, desc.plural, name);
    const wantRV = input.metadata?.resourceVersion;
    if (wantRV && wantRV !== String(current.kv.modRevision)) throw errors.modified(desc.group, desc.plural, name);
    return this.#replace(desc, namespace, current, input, opts);
  }

  /**
   * Reads, applies `mutate` to a copy, writes; retries on conflicts unless the mutation pins
   * a resourceVersion (then a stale one is a 409). Used by patch and by system updates.
   */
  async guaranteedUpdate(
    desc: ResourceDescription, namespace: string, name: string,
    mutate: (current: KubeObject | undefined) => Promise<KubeObject> | KubeObject,
    opts: WriteOptions & { subresource?: string; createIfMissing?: boolean },
  ): Promise<{ obj: KubeObject; created: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.#read(desc, namespace, name);
      if (!current && !opts.createIfMissing) throw errors.notFound(desc.group, desc.plural, name);
      const next = await mutate(current ? clone(current.obj) : undefined);
      if (!current) {
        next.metadata ??= {};
        next.metadata.name ??= name;
        return { obj: await this.create(desc, namespace, next, opts), created: true };
      }
      const pinned = next.metadata?.resourceVersion;
      if (pinned && pinned !== String(current.kv.modRevision)) throw errors.modified(desc.group, desc.plural, name);
      try {
        return { obj: await this.#replace(desc, namespace, current, next, opts), created: false };
      } catch (err) {
        if (err instanceof StatusError && err.reason === 'Conflict' && !pinned && attempt < 10) continue;
        throw err;
      }
    }
  }

  /**
   * A system write that bypasses the kind's strategy (no validation or field resets), retried on
   * conflicts: what upstream does for pod binding, which sets spec.nodeName on a pod whose spec
   * is otherwise immutable.
   */
  async systemUpdate(desc: ResourceDescription, namespace: string, name: string, mutate: (current: KubeObject) => KubeObject, opts: { dryRun: boolean }): Promise<KubeObject> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.#read(desc, namespace, name);
      if (!current) throw errors.notFound(desc.group, desc.plural, name);
      const next = mutate(clone(current.obj));
      next.metadata.resourceVersion = String(current.kv.modRevision);
      if (opts.dryRun) return next;
      try {
        const kv = await this.#ctx.store.update(this.key(desc, namespace, name), encodeForStorage(toStorage(desc, next)), current.kv.modRevision);
        next.metadata.resourceVersion = String(kv.modRevision);
        return next;
      } catch (err) {
        if (isStorageError(err, 'Conflict') && attempt < 10) continue;
        throw this.#mapWriteError(err, desc, name);
      }
    }
  }

  async #replace(desc: ResourceDescription, namespace: string, current: { obj: KubeObject; kv: { modRevision: number } }, input: KubeObject, opts: WriteOptions & { subresource?: string }): Promise<KubeObject> {
    const old = current.obj;
    let obj: KubeObject;
    const statusFields = statusFieldsOf(desc);
    if (opts.subresource === 'finalize') {
      obj = clone(old);
      obj.spec = { ...(obj.spec ?? {}), finalizers: input.spec?.finalizers ?? [] };
      if (!obj.spec.finalizers.length) delete obj.spec.finalizers;
    } else if (opts.subresource && partialSubresource(desc, opts.subresource)) {
      obj = clone(old);
      for (const path of partialSubresource(desc, opts.subresource)!) copyPath(input, obj, path.split('.'));
    } else if (opts.subresource === 'status') {
      obj = clone(old);
      for (const f of statusFields) { if (input[f] === undefined) delete obj[f]; else obj[f] = input[f]; }
      // Status writers may still manage labels/annotations/finalizers? Upstream keeps metadata for most: do the same.
    } else {
      obj = input;
      for (const f of statusFields) { if (old[f] === undefined) delete obj[f]; else obj[f] = clone(old[f]); }
    }
    this.#typeMeta(desc, obj);
    const meta = (obj.metadata ??= {});
    const om = old.metadata;
    if (meta.name !== undefined && meta.name !== om.name) {
      throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${om.name})`);
    }
    meta.name = om.name;
    if (desc.scope === 'Namespaced') meta.namespace = om.namespace;
    meta.uid = om.uid;
    meta.creationTimestamp = om.creationTimestamp;
    if (om.deletionTimestamp) { meta.deletionTimestamp = om.deletionTimestamp; meta.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds; }
    else { delete meta.deletionTimestamp; delete meta.deletionGracePeriodSeconds; }
    if (om.generateName !== undefined && meta.generateName === undefined) meta.generateName = om.generateName;
    delete meta.selfLink;
    meta.resourceVersion = String(current.kv.modRevision);
    desc.defaults?.(obj);
    // After defaulting, as upstream's strategies see decoded (defaulted) objects.
    if (!opts.subresource) desc.prepareForUpdate?.(obj, old);
    if (desc.generation) {
      meta.generation = om.generation ?? 1;
      if (specChanged(obj, old, statusFields)) meta.generation = (om.generation ?? 0) + 1;
    } else delete meta.generation;
    if (om.deletionTimestamp) {
      // A terminating object may only lose finalizers, not gain new ones.
      const before = new Set<string>(om.finalizers ?? []);
      const added = (meta.finalizers ?? []).filter((f: string) => !before.has(f));
      if (added.length) {
        throw errors.invalid(desc.group, desc.kind, om.name, [fieldErrors.forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f: string) => JSON.stringify(f)).join(', ')}}`)]);
      }
    }
    this.#validate(desc, obj, old, opts.subresource);
    await this.#admit('UPDATE', desc, obj, old, opts.subresource ? { dryRun: opts.dryRun, subresource: opts.subresource } : { dryRun: opts.dryRun });
    if (opts.fieldManager !== undefined && !opts.managedFieldsDone) {
      const tracked = trackUpdate(this.#ctx, desc, old, obj, opts.fieldManager, opts.subresource);
      if (tracked.metadata?.managedFields) meta.managedFields = tracked.metadata.managedFields; else delete meta.managedFields;
    }
    const key = this.key(desc, namespace, om.name);
    if (om.deletionTimestamp && !((om.deletionGracePeriodSeconds ?? 0) > 0) && !(meta.finalizers ?? []).length && !hasSpecFinalizers(desc, obj)) {
      if (deepEqual(withoutVolatile(obj), withoutVolatile(old))) return old;
      if (opts.dryRun) return obj;
      // The last finalizer went: the object goes (not while a graceful deletion is under way,
      // e.g. a kubelet posting a terminating pod's status, as upstream).
      try {
        const kv = await this.#ctx.store.delete(key, current.kv.modRevision);
        meta.resourceVersion = String(kv.modRevision);
      } catch (err) { throw this.#mapWriteError(err, desc, om.name); }
      await this.#released(desc, old);
      return obj;
    }
    // Status writes do not touch what the spec holds.
    const reservation = opts.subresource ? undefined : await this.#reserve('UPDATE', desc, obj, old, opts.dryRun);
    if (deepEqual(withoutVolatile(obj), withoutVolatile(old))) { await reservation?.rollback(); return old; }
    if (opts.dryRun) { await reservation?.rollback(); return obj; }
    return settle(reservation, async () => {
      try {
        const kv = await this.#ctx.store.update(key, encodeForStorage(toStorage(desc, obj)), current.kv.modRevision);
        meta.resourceVersion = String(kv.modRevision);
        return obj;
      } catch (err) { throw this.#mapWriteError(err, desc, om.name); }
    });
  }

  #mapWriteError(err: unknown, desc: ResourceDescription, name: string): unknown {
    if (isStorageError(err, 'Conflict')) return errors.modified(desc.group, desc.plural, name);
    if (isStorageError(err, 'NotFound')) return errors.notFound(desc.group, desc.plural, name);
    return err;
  }

  /**
   * Deletes: objects with finalizers (or a Foreground/Orphan policy, or pods on a node with a
   * grace period) get a deletionTimestamp and stay until their finalizers are gone.
   * Returns the object as it was deleted or as it now is, and whether it is gone.
   */
  async delete(desc: ResourceDescription, namespace: string, name: string, opts: DeleteOptions): Promise<{ obj: KubeObject; gone: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.#read(desc, namespace, name);
      if (!current) throw errors.notFound(desc.group, desc.plural, name);
      const obj = clone(current.obj);
      const meta = obj.metadata;
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== meta.uid) {
        throw errors.conflict(desc.group, desc.plural, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
        throw errors.conflict(desc.group, desc.plural, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`);
      }
      await this.#admit('DELETE', desc, obj, current.obj, { dryRun: opts.dryRun });
      const finalizers: string[] = [...(meta.finalizers ?? [])];
      const policy = opts.propagationPolicy;
      if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) {
        finalizers.splice(0, finalizers.length, ...finalizers.filter((f) => f !== 'orphan'), 'foregroundDeletion');
      } else if (policy === 'Orphan' && !finalizers.includes('orphan')) {
        finalizers.splice(0, finalizers.length, ...finalizers.filter((f) => f !== 'foregroundDeletion'), 'orphan');
      } else if (policy === 'Background') {
        const i = finalizers.indexOf('orphan'); if (i >= 0) finalizers.splice(i, 1);
        const j = finalizers.indexOf('foregroundDeletion'); if (j >= 0) finalizers.splice(j, 1);
      }
      const grace = this.#gracePeriod(desc, obj, opts);
      const specFinalizers = hasSpecFinalizers(desc, obj);
      const graceful = grace > 0 || finalizers.length > 0 || specFinalizers;
      if (!graceful) {
        if (opts.dryRun) return { obj, gone: true };
        try {
          const kv = await this.#ctx.store.delete(this.key(desc, namespace, name), current.kv.modRevision);
          meta.resourceVersion = String(kv.modRevision);
        } catch (err) {
          if (isStorageError(err, 'Conflict') && attempt < 10) continue;
          throw this.#mapWriteError(err, desc, name);
        }
        await this.#released(desc, current.obj);
        return { obj, gone: true };
      }
      const now = this.#ctx.now();
      const alreadyDeleting = !!meta.deletionTimestamp;
      if (alreadyDeleting) {
        // Only a shorter grace period moves the deadline closer, as upstream.
        const deadline = Date.parse(meta.deletionTimestamp);
        const proposed = now.getTime() + grace * 1000;
        if (grace > 0 && proposed < deadline) { meta.deletionTimestamp = timestamp(new Date(proposed)); meta.deletionGracePeriodSeconds = grace; }
        else if (grace === 0 && (meta.deletionGracePeriodSeconds ?? 0) > 0) { meta.deletionTimestamp = timestamp(now); meta.deletionGracePeriodSeconds = 0; }
      } else {
        meta.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
        meta.deletionGracePeriodSeconds = grace;
      }
      if (finalizers.length) meta.finalizers = finalizers; else delete meta.finalizers;
      if (desc.group === '' && desc.plural === 'namespaces') obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
      if (deepEqual(obj, current.obj)) return { obj, gone: false };
      if (opts.dryRun) return { obj, gone: false };
      try {
        const kv = await this.#ctx.store.update(this.key(desc, namespace, name), encodeForStorage(toStorage(desc, obj)), current.kv.modRevision);
        meta.resourceVersion = String(kv.modRevision);
        return { obj, gone: false };
      } catch (err) {
        if (isStorageError(err, 'Conflict') && attempt < 10) continue;
        throw this.#mapWriteError(err, desc, name);
      }
    }
  }

  /** Pods on a node terminate gracefully; everything else is deleted at once (grace 0). */
  #gracePeriod(desc: ResourceDescription, obj: KubeObject, opts: DeleteOptions): number {
    if (!(desc.group === '' && desc.plural === 'pods')) return 0;
    const phase = obj.status?.phase;
    if (!obj.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    const g = opts.gracePeriodSeconds ?? obj.spec?.terminationGracePeriodSeconds ?? 30;
    return g < 0 ? 1 : g;
  }
}

/** Runs the write; a stored write commits the reservation, a failed one rolls it back. */
async function settle<T>(reservation: Reservation | undefined, write: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await write();
  } catch (err) {
    await reservation?.rollback();
    throw err;
  }
  await reservation?.commit();
  return result;
}

/** Namespaces also wait for spec.finalizers (the namespace controller's 'kubernetes'). */
function hasSpecFinalizers(desc: ResourceDescription, obj: KubeObject): boolean {
  return desc.group === '' && desc.plural === 'namespaces' && (obj.spec?.finalizers ?? []).length > 0;
}

function withoutVolatile(obj: KubeObject): KubeObject {
  const { resourceVersion: _rv, managedFields, ...meta } = obj.metadata ?? {};
  const mf = (managedFields ?? []).map((m: KubeObject) => { const { time: _t, ...rest } = m; return rest; });
  return { ...obj, metadata: { ...meta, managedFields: mf } };
}
