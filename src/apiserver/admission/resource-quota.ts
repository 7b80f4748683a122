// ResourceQuota admission (upstream's quota admission plugin and its evaluator): a write that
// would push a covering quota's usage past its hard limit is forbidden; an admitted write is
// charged into the quota's status.used with compare-and-swap on the quota's revision, so two
// concurrent writes cannot both take the last unit. The quota controller later recomputes
// usage from what exists (releasing what was charged for writes that never landed).
import type { Admission, ApiContext } from '../rest/context.ts';
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import { errors } from '../../api/status.ts';
import { isStorageError } from '../../storage/store.ts';
import {
  addLists, evaluatorFor, lessThanOrEqual, listsEqual, maskList, negativeResources, prettyPrint, prettyPrintNames,
  quotaCovers, removeZeros, subtractNonNegative, type QuotaEvaluator, type ResourceList,
} from '../../api/quota/index.ts';
import { resourcePrefix } from '../watchcache/keys.ts';
import { decodeObject } from '../watchcache/watch-cache.ts';
import { encodeForStorage } from '../rest/resource-store.ts';

const QUOTAS = resourcePrefix('', 'resourcequotas');
const MAX_ATTEMPTS = 10;
/** Writes that never count against quota (upstream's default ignored resources). */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

interface QuotaState { key: string; rev: number; obj: KubeObject }

async function readQuota(ctx: ApiContext, key: string): Promise<QuotaState | undefined> {
  const kv = await ctx.store.get(key);
  return kv ? { key, rev: kv.modRevision, obj: decodeObject(kv) } : undefined;
}

/**
 * The quotas after charging this write, or a Forbidden error. Only quotas whose usage
 * changes are returned.
 */
function charge(
  quotas: QuotaState[], evaluator: QuotaEvaluator, desc: ResourceDescription, op: 'CREATE' | 'UPDATE',
  obj: KubeObject, old: KubeObject | undefined, now: Date, subresource?: string,
): QuotaState[] {
  const name = obj.metadata?.name ?? '';
  const forbid = (why: string) => errors.forbidden(desc.group, desc.plural, name, why);
  const covering: QuotaState[] = [];
  for (const q of quotas) {
    const hard: ResourceList = q.obj.status?.hard ?? {};
    if (!quotaCovers(q.obj, evaluator, obj, hard)) continue;
    const restricted = evaluator.matchingResources(Object.keys(hard));
    const why = evaluator.constraints?.(restricted, obj);
    if (why) throw forbid(`failed quota: ${q.obj.metadata.name}: ${why}`);
    const used: ResourceList = q.obj.status?.used ?? {};
    if (!restricted.every((r) => r in used)) throw forbid(`status unknown for quota: ${q.obj.metadata.name}, resources: ${prettyPrintNames(restricted)}`);
    covering.push(q);
  }
  if (!covering.length) return [];
  const usage = evaluator.usage(obj, now);
  const negative = negativeResources(usage);
  if (negative.length) throw forbid(`quota usage is negative for resource(s): ${prettyPrintNames(negative)}`);
  const changed: QuotaState[] = [];
  for (const q of covering) {
    let delta = usage;
    // An update is charged only what it adds, when the old object was counted by this quota.
    if (op === 'UPDATE' && old?.metadata?.resourceVersion && quotaCovers(q.obj, evaluator, old)) delta = subtractNonNegative(usage, evaluator.usage(old, now));
    delta = removeZeros(delta);
    if (!Object.keys(delta).length) continue;
    const hard: ResourceList = q.obj.status.hard;
    const requested = maskList(delta, Object.keys(hard));
    const used: ResourceList = q.obj.status.used ?? {};
    const newUsed = addLists(used, requested);
    if (subresource !== 'status') {
      const { allowed, exceeded } = lessThanOrEqual(maskList(newUsed, Object.keys(requested)), hard);
      if (!allowed) {
        throw forbid(`exceeded quota: ${q.obj.metadata.name}, requested: ${prettyPrint(maskList(requested, exceeded))}, used: ${prettyPrint(maskList(used, exceeded))}, limited: ${prettyPrint(maskList(hard, exceeded))}`);
      }
    }
    if (listsEqual(newUsed, used)) continue;
    changed.push({ ...q, obj: { ...q.obj, status: { ...q.obj.status, used: newUsed } } });
  }
  return changed;
}

export const resourceQuota: Admission = {
  name: 'ResourceQuota',
  async admit(op, desc, obj, old, ctx, attrs) {
    if (op === 'DELETE' || desc.scope !== 'Namespaced' || attrs?.subresource) return;
    if (IGNORED.has(`${desc.group}/${desc.plural}`)) return;
    const evaluator = evaluatorFor(desc.storedAs?.group ?? desc.group, desc.storedAs?.plural ?? desc.plural);
    if (!evaluator.handles(op)) return;
    const ns: string = obj.metadata?.namespace;
    await ctx.cache.waitFresh();
    const keys = ctx.cache.list(QUOTAS, ns).map((c) => c.key);
    if (!keys.length) return;
    let pending = keys;
    for (let attempt = 1; ; attempt++) {
      const quotas = (await Promise.all(pending.map((k) => readQuota(ctx, k)))).filter((q): q is QuotaState => !!q);
      const changed = charge(quotas, evaluator, desc, op, obj, old, ctx.now(), attrs?.subresource);
      if (!changed.length || attrs?.dryRun) return;
      const failed: string[] = [];
      for (const q of changed) {
        try {
          await ctx.store.update(q.key, encodeForStorage(q.obj), q.rev);
        } catch (err) {
          if (isStorageError(err, 'Conflict')) failed.push(q.key);
          else if (!isStorageError(err, 'NotFound')) throw err;
        }
      }
      if (!failed.length) return;
      // Someone else charged (or the controller recounted) meanwhile: check again against what is there now.
      if (attempt >= MAX_ATTEMPTS) throw errors.conflict('', 'resourcequotas', failed.map((k) => k.slice(k.lastIndexOf('/') + 1)).join(','), 'the object has been modified; please apply your changes to the latest version and try again');
      pending = failed;
    }
  },
};

