// Server-side apply and managed-fields tracking, after apimachinery's fieldmanager and
// structured-merge-diff: apply merges a configuration into the live object, makes the
// manager own exactly the fields it applied, prunes what it applied before and no longer
// does (unless someone else owns it) and reports conflicts with other owners; every other
// write gives its manager the fields it changed and takes them from everyone else.
import { PatchError, badRequest, internal } from './errors.ts';
import { FieldSet, pathString, type FieldPath } from './field-path.ts';
import { decodeManagedFields, encodeManagedFields, formatTime, managerId, printManager, type ManagedFieldsEntry, type ManagerEntry, type Managers } from './managed-fields.ts';
import type { SchemaNode } from './schema.ts';
import { compareValues, dropNulls, ensureNamedFieldsAreMembers, mergeValues, removeItems, toFieldSet, validateApplied, type Comparison } from './typed-value.ts';

type KubeObject = Record<string, any>;

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The field manager kubectl uses for server-side apply; it gets the last-applied upgrade path. */
export const KUBECTL_MANAGER = 'kubectl';
export const BEFORE_FIRST_APPLY_MANAGER = 'before-first-apply';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** Update managers beyond this many are folded, oldest first, into "ancient-changes". */
export const MAX_UPDATE_MANAGERS = 10;

// Ownership of these is never tracked.
const STRIPPED = FieldSet.of(
  [{ field: 'apiVersion' }], [{ field: 'kind' }], [{ field: 'metadata' }],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => [{ field: 'metadata' }, { field: f }]),
);

export interface FieldConflict {
  manager: string;
  /** `.spec.replicas` */
  field: string;
}

/** A 409 apply conflict; `conflicts` lists them with the manager as printed. */
export class ApplyConflictError extends PatchError {
  readonly conflicts: FieldConflict[];
  constructor(message: string, conflicts: FieldConflict[]) {
    super(409, 'Conflict', message, message, {
      causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: c.field })),
    });
    this.conflicts = conflicts;
  }
}

export interface ApplyOptions {
  /** The stored object; undefined (or without metadata.uid) when apply creates it. */
  live: KubeObject | undefined;
  /** The applied configuration, decoded. */
  applied: KubeObject;
  /** fieldManager; the API layer rejects apply without one. */
  manager: string;
  force?: boolean;
  /** Root schema node of the kind (typeDefSchema or crdSchema). */
  schema: SchemaNode;
  /** The kind served at the endpoint; the configuration must name it. */
  gvk: GroupVersionKind;
  now: Date;
  subresource?: string;
  /** Paths this endpoint resets (status on the main resource, all but status on /status): never owned, never conflicting. */
  ignoredFields?: FieldPath[];
}

export interface ApplyResult {
  /** The new object with metadata.managedFields set (not yet defaulted or validated). */
  object: KubeObject;
  managedFields: ManagedFieldsEntry[];
  /** False when the apply changed nothing but ownership; the object is then the live one. */
  changed: boolean;
}

/** Server-side apply. Throws ApplyConflictError (409) or PatchError (400/500). */
export function applyPatch(opts: ApplyOptions): ApplyResult {
  const apiVersion = groupVersion(opts.gvk);
  const appliedGVK = gvkOf(opts.applied);
  if (appliedGVK.group !== opts.gvk.group || appliedGVK.version !== opts.gvk.version || appliedGVK.kind !== opts.gvk.kind) {
    throw badRequest(`invalid object type: ${gvkString(appliedGVK)}`);
  }
  if (opts.applied.metadata?.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
  try {
    validateApplied(opts.applied, opts.schema);
  } catch (e) {
    throw internal(`failed to create typed patch object (${objectRef(opts.applied, opts.gvk)}): ${(e as Error).message}`);
  }
  const live: KubeObject = structuredClone(opts.live ?? {});
  let managers: Managers;
  try {
    managers = decodeManagedFields(live.metadata?.managedFields);
  } catch (e) {
    throw internal(`failed to decode managed fields: ${(e as Error).message}`);
  }
  const ignored = FieldSet.of(...(opts.ignoredFields ?? []));
  const ctx: Ctx = { schema: opts.schema, apiVersion, subresource: opts.subresource, ignored, now: formatTime(opts.now) };

  // Fields set before anyone applied belong to a stand-in manager, so the first applier
  // neither silently takes them over nor prunes them.
  if (managers.size === 0) runUpdate(ctx, managers, {}, withoutManagedFields(live), BEFORE_FIRST_APPLY_MANAGER);

  const attempt = (force: boolean) => applyOnce(ctx, new Map([...managers].map(([k, v]) => [k, { ...v }])), live, opts.applied, opts.manager, force);
  let outcome = attempt(opts.force ?? false);
  if ('conflicts' in outcome && opts.manager === KUBECTL_MANAGER) {
    // kubectl switching from client-side apply: conflicts on fields whose live value is still
    // what the last client-side apply set are taken over silently.
    const allowed = allowedFromLastApplied(ctx, live);
    if (allowed) {
      const remaining = outcome.conflicts.filter((c) => !allowed.has(c.path));
      outcome = remaining.length === 0 ? attempt(true) : { conflicts: remaining };
    }
  }
  if ('conflicts' in outcome) throw conflictError(outcome.conflicts);
  const { object: merged, managers: after } = outcome;
  let changed = outcome.changed;

  let object: KubeObject = changed ? (dropNulls(merged) as KubeObject) : withoutManagedFields(live);
  const lastApplied = object.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (opts.manager === KUBECTL_MANAGER && lastApplied) {
    // Keep the client-side apply record in step, so kubectl can still switch back.
    const value = lastAppliedValue(opts.applied);
    if (value !== lastApplied) changed = true;
    object = { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, [LAST_APPLIED_ANNOTATION]: value } } };
  }
  const managedFields = encodeManagedFields(after);
  setManagedFields(object, managedFields);
  return { object, managedFields, changed };
}

export interface UpdateManagedFieldsOptions {
  /** The stored object; undefined on create. */
  old: KubeObject | undefined;
  /** The object about to be stored (its managedFields, if the writer sent any, are honoured). */
  new: KubeObject;
  /** fieldManager, or the user-agent prefix upstream falls back to; '' becomes "unknown". */
  manager: string;
  operation?: 'Update';
  schema: SchemaNode;
  /** The endpoint's group/version, e.g. 'apps/v1'. */
  apiVersion: string;
  now: Date;
  subresource?: string;
  ignoredFields?: FieldPath[];
}

/**
 * Managed fields for a create, update or non-apply patch: returns `new` with
 * metadata.managedFields recomputed. Objects that have never been tracked stay untracked.
 */
export function updateManagedFields(opts: UpdateManagedFieldsOptions): KubeObject {
  // Only metadata.managedFields of the result differs from `new`, and nothing below is written:
  // copies of the top level and of metadata do (a deep clone of every object written was ~5% of
  // the API server's time at 30,000 pods).
  const next: KubeObject = { ...opts.new, metadata: { ...opts.new.metadata } };
  const old = opts.old ? withoutManagedFields(opts.old) : {};
  try {
    const managers = managedForUpdate(opts.old, opts.new, !!opts.subresource);
    setManagedFields(next, undefined);
    if (managers.size === 0 && opts.old?.metadata?.uid) return next;
    const ctx: Ctx = { schema: opts.schema, apiVersion: opts.apiVersion, subresource: opts.subresource, ignored: FieldSet.of(...(opts.ignoredFields ?? [])), now: formatTime(opts.now) };
    runUpdate(ctx, managers, old, withoutManagedFields(next), opts.manager || 'unknown');
    setManagedFields(next, encodeManagedFields(managers));
    return next;
  } catch {
    // Like upstream's UpdateNoErrors: a failure to track never fails the write.
    setManagedFields(next, opts.old?.metadata?.managedFields);
    return next;
  }
}

interface Ctx {
  schema: SchemaNode;
  apiVersion: string;
  subresource: string | undefined;
  ignored: FieldSet;
  now: string;
}

interface RawConflict {
  managerId: string;
  path: FieldPath;
}

function managedForUpdate(old: KubeObject | undefined, next: KubeObject, isSubresource: boolean): Managers {
  const fromOld = () => {
    try {
      return decodeManagedFields(old?.metadata?.managedFields);
    } catch {
      return new Map() as Managers;
    }
  };
  if (isSubresource) return fromOld();
  const sent = next.metadata?.managedFields;
  // An empty list (or one empty entry) is the documented way to reset managed fields.
  if (Array.isArray(sent) && (sent.length === 0 || (sent.length === 1 && sent[0] && Object.keys(sent[0]).length === 0))) return new Map();
  try {
    const decoded = decodeManagedFields(sent);
    if (decoded.size > 0) return decoded;
  } catch {
    // fall back to the stored ones
  }
  return fromOld();
}

function runUpdate(ctx: Ctx, managers: Managers, oldObj: unknown, newObj: unknown, manager: string): void {
  const id = managerId({ manager, operation: 'Update', apiVersion: ctx.apiVersion, subresource: ctx.subresource });
  const compare = exclude(compareValues(oldObj, newObj, ctx.schema), ctx.ignored);
  // The writer's previous entry is treated like any other owner here and then re-unioned,
  // which is how upstream computes it ("current-operation").
  takeFromOthers(managers, compare, undefined, true);
  const changed = compare.modified.union(compare.added).recursiveDifference(ctx.ignored).difference(STRIPPED);
  if (!changed.isEmpty()) {
    const previous = managers.get(id);
    const entry: ManagerEntry = { manager, operation: 'Update', apiVersion: ctx.apiVersion, set: previous ? previous.set.union(changed) : changed, time: ctx.now };
    if (ctx.subresource) entry.subresource = ctx.subresource;
    managers.set(id, entry);
  }
  capUpdateManagers(managers);
}

type ApplyOutcome = { object: KubeObject; managers: Managers; changed: boolean } | { conflicts: RawConflict[] };

function applyOnce(ctx: Ctx, managers: Managers, live: KubeObject, applied: KubeObject, manager: string, force: boolean): ApplyOutcome {
  const liveValue = withoutManagedFields(live);
  const id = managerId({ manager, operation: 'Apply', subresource: ctx.subresource });
  const last = managers.get(id);
  let merged = mergeValues(liveValue, applied, ctx.schema) as KubeObject;
  const set = toFieldSet(applied, ctx.schema).recursiveDifference(ctx.ignored);
  const entry: ManagerEntry = { manager, operation: 'Apply', apiVersion: ctx.apiVersion, set };
  if (last?.time) entry.time = last.time;
  if (ctx.subresource) entry.subresource = ctx.subresource;
  managers.set(id, entry);
  if (last && !last.set.isEmpty()) merged = prune(ctx.schema, merged, managers, last.set) as KubeObject;

  const compare = exclude(compareValues(liveValue, merged, ctx.schema), ctx.ignored);
  const conflicts = takeFromOthers(managers, compare, id, force);
  if (conflicts.length > 0) return { conflicts };
  entry.set = entry.set.difference(STRIPPED);
  if (entry.set.isEmpty()) managers.delete(id);
  const changed = !sameObject(liveValue, merged);
  if (changed && managers.has(id)) managers.get(id)!.time = ctx.now;
  return { object: merged, managers, changed };
}

/**
 * Other managers lose what changed or disappeared; with force false, owning a changed field
 * is a conflict instead. Returns the conflicts (nothing is modified when there are some).
 */
function takeFromOthers(managers: Managers, compare: Comparison, self: string | undefined, force: boolean): RawConflict[] {
  const changed = compare.modified.union(compare.added);
  const conflicts: RawConflict[] = [];
  const plans: [string, FieldSet][] = [];
  for (const [id, m] of managers) {
    if (id === self) continue;
    const conflict = m.set.intersection(changed);
    if (!conflict.isEmpty()) for (const path of conflict.paths()) conflicts.push({ managerId: id, path });
    plans.push([id, m.set.difference(conflict).difference(compare.removed)]);
  }
  if (!force && conflicts.length > 0) return conflicts.sort((a, b) => (a.managerId < b.managerId ? -1 : a.managerId > b.managerId ? 1 : 0));
  for (const [id, set] of plans) {
    if (set.isEmpty()) managers.delete(id);
    else managers.get(id)!.set = set;
  }
  return [];
}

// Drops from `merged` what the applier owned last time and no longer applies, unless some
// manager (the applier's new configuration included) still owns it.
function prune(schema: SchemaNode, merged: unknown, managers: Managers, lastSet: FieldSet): unknown {
  const E = (s: FieldSet) => ensureNamedFieldsAreMembers(s, schema);
  const lastE = E(lastSet);
  let pruned = removeItems(merged, schema, lastE);
  let managed = new FieldSet();
  for (const m of managers.values()) managed = managed.union(m.set);
  const mergedE = E(toFieldSet(merged, schema));
  pruned = removeItems(merged, schema, mergedE.difference(E(toFieldSet(pruned, schema)).union(E(managed))));
  const prunedE = E(toFieldSet(pruned, schema));
  return removeItems(merged, schema, mergedE.difference(prunedE).intersection(lastE));
}

function exclude(c: Comparison, ignored: FieldSet): Comparison {
  if (ignored.isEmpty()) return c;
  return { added: c.added.recursiveDifference(ignored), modified: c.modified.recursiveDifference(ignored), removed: c.removed.recursiveDifference(ignored) };
}

// Folds the oldest Update managers into one "ancient-changes" entry per apiVersion.
function capUpdateManagers(managers: Managers): void {
  const updaters = [...managers.entries()].filter(([, m]) => m.operation === 'Update');
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || (ia < ib ? -1 : ia > ib ? 1 : 0));
  const firstByVersion = new Map<string, string>();
  let length = updaters.length;
  for (const [id, m] of updaters) {
    if (length <= MAX_UPDATE_MANAGERS) break;
    const bucketId = managerId({ manager: 'ancient-changes', operation: 'Update', apiVersion: m.apiVersion });
    const first = firstByVersion.get(m.apiVersion);
    if (first === undefined) {
      firstByVersion.set(m.apiVersion, id);
      continue;
    }
    if (!managers.has(bucketId)) {
      const f = managers.get(first)!;
      managers.delete(first);
      managers.set(bucketId, { manager: 'ancient-changes', operation: 'Update', apiVersion: m.apiVersion, set: f.set, ...(f.time ? { time: f.time } : {}) });
    }
    const bucket = managers.get(bucketId)!;
    bucket.set = m.set.union(bucket.set);
    if (m.time) bucket.time = m.time;
    else delete bucket.time;
    managers.delete(id);
    length--;
  }
}

// The fields kubectl's last client-side apply set that still hold the values it set.
function allowedFromLastApplied(ctx: Ctx, live: KubeObject): { has(path: FieldPath): boolean } | undefined {
  const raw = live.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (typeof raw !== 'string' || raw === '') return undefined;
  let lastApplied: KubeObject;
  try {
    lastApplied = JSON.parse(raw) as KubeObject;
  } catch {
    return undefined;
  }
  if (lastApplied?.apiVersion !== ctx.apiVersion) return undefined;
  const c = compareValues(lastApplied, withoutManagedFields(live), ctx.schema);
  const allowed = toFieldSet(lastApplied, ctx.schema).difference(c.modified).difference(c.added).difference(c.removed);
  return { has: (path) => allowed.has(path) };
}

function conflictError(conflicts: RawConflict[]): ApplyConflictError {
  const printed = conflicts.map((c) => {
    const m = JSON.parse(c.managerId) as { manager?: string; operation: 'Apply' | 'Update'; apiVersion?: string; subresource?: string };
    const entry: ManagerEntry = { manager: m.manager ?? '', operation: m.operation, apiVersion: m.apiVersion ?? '', set: new FieldSet() };
    if (m.subresource) entry.subresource = m.subresource;
    return { id: c.managerId, manager: printManager(entry), field: pathString(c.path) };
  });
  let message: string;
  if (printed.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printed[0]!.manager}: ${printed[0]!.field}`;
  } else {
    const lines: string[] = [];
    for (const id of [...new Set(printed.map((p) => p.id))].sort()) {
      const group = printed.filter((p) => p.id === id);
      lines.push(`conflicts with ${group[0]!.manager}:`, ...group.map((p) => `- ${p.field}`));
    }
    message = `Apply failed with ${printed.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApplyConflictError(message, printed.map(({ manager, field }) => ({ manager, field })));
}

function lastAppliedValue(applied: KubeObject): string {
  const copy = structuredClone(applied);
  if (copy.metadata?.annotations) {
    delete copy.metadata.annotations[LAST_APPLIED_ANNOTATION];
    if (Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
  }
  return `${JSON.stringify(sortKeys(copy))}\n`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as KubeObject)[k])]));
  return v;
}

function sameObject(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  if (!obj.metadata || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

function setManagedFields(obj: KubeObject, entries: unknown): void {
  const empty = entries === undefined || (Array.isArray(entries) && entries.length === 0);
  if (empty) {
    if (obj.metadata) delete obj.metadata.managedFields;
    return;
  }
  obj.metadata = { ...(obj.metadata ?? {}), managedFields: entries };
}

function groupVersion(gvk: GroupVersionKind): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

function gvkOf(obj: KubeObject): GroupVersionKind {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  return {
    group: slash >= 0 ? apiVersion.slice(0, slash) : '',
    version: slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion,
    kind: typeof obj.kind === 'string' ? obj.kind : '',
  };
}

/** Go's GroupVersionKind.String(): "apps/v1, Kind=Deployment", "/v1, Kind=Pod". */
function gvkString(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}, Kind=${gvk.kind}`;
}

function objectRef(obj: KubeObject, gvk: GroupVersionKind): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}; ${gvkString(gvk)}`;
}
