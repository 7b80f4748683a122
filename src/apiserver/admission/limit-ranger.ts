// LimitRanger admission (upstream plugin/pkg/admission/limitranger): new pods get the default
// requests and limits of their namespace's LimitRanges (Container defaults), recorded in the
// kubernetes.io/limit-ranger annotation; pods and claims outside a range's min, max or
// maxLimitRequestRatio are forbidden with upstream's messages.
import type { Admission } from '../rest/context.ts';
import type { KubeObject } from '../../api/registry/resource.ts';
import { errors } from '../../api/status.ts';
import { podLimits, podRequests, quantityOf, type ResourceList } from '../../api/quota/index.ts';
import { resourcePrefix } from '../watchcache/keys.ts';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';
const LIMIT_RANGES = resourcePrefix('', 'limitranges');

/** Container defaults of one LimitRange: limits from `default`, requests from `defaultRequest`. */
function containerDefaults(lr: KubeObject): { requests: ResourceList; limits: ResourceList } {
  const requests: ResourceList = {}, limits: ResourceList = {};
  for (const item of lr.spec?.limits ?? []) {
    if (item?.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  return { requests, limits };
}

function mergeContainer(c: KubeObject, defaults: { requests: ResourceList; limits: ResourceList }, kind: string, notes: string[]): void {
  const res = (c.resources ??= {});
  const setRequests: string[] = [], setLimits: string[] = [];
  for (const [k, v] of Object.entries(defaults.limits)) {
    res.limits ??= {};
    if (!(k in res.limits)) { res.limits[k] = v; setLimits.push(k); }
  }
  for (const [k, v] of Object.entries(defaults.requests)) {
    res.requests ??= {};
    if (!(k in res.requests)) { res.requests[k] = v; setRequests.push(k); }
  }
  if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${kind} ${c.name}`);
  if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${kind} ${c.name}`);
}

/** Fills in container defaults; returns whether anything changed. */
export function applyLimitRangeDefaults(lr: KubeObject, pod: KubeObject): void {
  const defaults = containerDefaults(lr);
  if (!Object.keys(defaults.requests).length && !Object.keys(defaults.limits).length) return;
  const notes: string[] = [];
  for (const c of pod.spec?.containers ?? []) mergeContainer(c, defaults, 'container', notes);
  for (const c of pod.spec?.initContainers ?? []) mergeContainer(c, defaults, 'init container', notes);
  if (notes.length) {
    pod.metadata.annotations ??= {};
    pod.metadata.annotations[LIMIT_RANGER_ANNOTATION] = `LimitRanger plugin set: ${notes.join('; ')}`;
  }
}

// Amounts compared in thousandths, as upstream compares when nothing overflows.
const milli = (v: unknown) => quantityOf(v).scaledValue(-3);
const show = (v: unknown) => quantityOf(v).toString();

function minConstraint(type: string, name: string, enforced: unknown, req: ResourceList, lim: ResourceList): string | undefined {
  if (!(name in req)) return `minimum ${name} usage per ${type} is ${show(enforced)}.  No request is specified`;
  if (milli(req[name]) < milli(enforced)) return `minimum ${name} usage per ${type} is ${show(enforced)}, but request is ${show(req[name])}`;
  if (name in lim && milli(lim[name]) < milli(enforced)) return `minimum ${name} usage per ${type} is ${show(enforced)}, but limit is ${show(lim[name])}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: unknown, req: ResourceList, lim: ResourceList): string | undefined {
  if (!(name in lim)) return `maximum ${name} usage per ${type} is ${show(enforced)}.  No limit is specified`;
  if (milli(lim[name]) > milli(enforced)) return `maximum ${name} usage per ${type} is ${show(enforced)}, but limit is ${show(lim[name])}`;
  if (name in req && milli(req[name]) > milli(enforced)) return `maximum ${name} usage per ${type} is ${show(enforced)}, but request is ${show(req[name])}`;
  return undefined;
}

function maxRequestConstraint(type: string, name: string, enforced: unknown, req: ResourceList): string | undefined {
  if (!(name in req)) return `maximum ${name} usage per ${type} is ${show(enforced)}.  No request is specified`;
  if (milli(req[name]) > milli(enforced)) return `maximum ${name} usage per ${type} is ${show(enforced)}, but request is ${show(req[name])}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: unknown, req: ResourceList, lim: ResourceList): string | undefined {
  const r = name in req ? milli(req[name]) : 0n;
  const l = name in lim ? milli(lim[name]) : 0n;
  if (r === 0n) return `${name} max limit to request ratio per ${type} is ${show(enforced)}, but no request is specified or request is 0`;
  if (l === 0n) return `${name} max limit to request ratio per ${type} is ${show(enforced)}, but no limit is specified or limit is 0`;
  const ratio = Number(l) / Number(r);
  if (ratio * 1000 > Number(milli(enforced))) return `${name} max limit to request ratio per ${type} is ${show(enforced)}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function checkAll(item: KubeObject, type: string, req: ResourceList, lim: ResourceList, out: string[]): void {
  for (const [k, v] of Object.entries(item.min ?? {})) { const e = minConstraint(type, k, v, req, lim); if (e) out.push(e); }
  for (const [k, v] of Object.entries(item.max ?? {})) { const e = maxConstraint(type, k, v, req, lim); if (e) out.push(e); }
  for (const [k, v] of Object.entries(item.maxLimitRequestRatio ?? {})) { const e = ratioConstraint(type, k, v, req, lim); if (e) out.push(e); }
}

/** The violations of one LimitRange by a pod. */
export function podViolations(lr: KubeObject, pod: KubeObject): string[] {
  const out: string[] = [];
  for (const item of lr.spec?.limits ?? []) {
    if (item?.type === 'Container') {
      for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
        checkAll(item, 'Container', c.resources?.requests ?? {}, c.resources?.limits ?? {}, out);
      }
    } else if (item?.type === 'Pod') {
      const bare = { ...pod, spec: { ...pod.spec, overhead: undefined } };
      checkAll(item, 'Pod', podRequests(bare), podLimits(bare), out);
    }
  }
  return out;
}

/** The violations of one LimitRange by a claim: min and max apply to its requests only. */
export function claimViolations(lr: KubeObject, pvc: KubeObject): string[] {
  const out: string[] = [];
  const req: ResourceList = pvc.spec?.resources?.requests ?? {};
  for (const item of lr.spec?.limits ?? []) {
    if (item?.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of Object.entries(item.min ?? {})) { const e = minConstraint('PersistentVolumeClaim', k, v, req, {}); if (e) out.push(e); }
    for (const [k, v] of Object.entries(item.max ?? {})) { const e = maxRequestConstraint('PersistentVolumeClaim', k, v, req); if (e) out.push(e); }
  }
  return out;
}

/** Several distinct messages read "[a, b]", one reads as itself (upstream's error aggregate). */
export function aggregateMessage(msgs: string[]): string {
  const distinct = [...new Set(msgs)];
  return distinct.length === 1 ? distinct[0] : `[${distinct.join(', ')}]`;
}

export const limitRanger: Admission = {
  name: 'LimitRanger',
  async admit(op, desc, obj, old, ctx, attrs) {
    if (desc.group !== '' || attrs?.subresource) return;
    const isPod = desc.plural === 'pods', isClaim = desc.plural === 'persistentvolumeclaims';
    if (!(isPod && op === 'CREATE') && !(isClaim && (op === 'CREATE' || op === 'UPDATE'))) return;
    if (old?.metadata?.deletionTimestamp) return;
    await ctx.cache.waitFresh();
    const ranges = ctx.cache.list(LIMIT_RANGES, obj.metadata?.namespace).map((c) => c.obj);
    if (!ranges.length) return;
    const name = obj.metadata?.name ?? obj.metadata?.generateName ?? 'Unknown';
    if (isPod) {
      for (const lr of ranges) applyLimitRangeDefaults(lr, obj);
      // Defaults can make a pod invalid (a default request above the pod's own limit): say so as validation would.
      const errs = desc.validate?.(obj) ?? [];
      if (errs.length) throw errors.invalid(desc.group, desc.kind, name, errs);
    }
    for (const lr of ranges) {
      const msgs = isPod ? podViolations(lr, obj) : claimViolations(lr, obj);
      if (msgs.length) throw errors.forbidden(desc.group, desc.plural, name, aggregateMessage(msgs));
    }
  },
};
