// Quota evaluators (upstream's pkg/quota/v1/evaluator): for one kind of object, which quota
// resource names it consumes, how much one object uses, which scopes it matches, and which
// operations can change its usage. Shared by quota admission and the quota controller.
import { addLists, type ResourceList } from './resource-list.ts';
import { isBestEffort, podLimits, podRequests } from './pod-resources.ts';
import { quantityOf } from './resource-list.ts';

type Obj = Record<string, any>;

export interface ScopeRequirement { scopeName: string; operator: string; values?: string[] }

export interface QuotaEvaluator {
  group: string;
  plural: string;
  /** The names among `names` this evaluator accounts for. */
  matchingResources(names: readonly string[]): string[];
  /** What one object uses. */
  usage(obj: Obj, now: Date): ResourceList;
  /** Whether a write of this kind can change usage. */
  handles(op: 'CREATE' | 'UPDATE' | 'DELETE'): boolean;
  /** Whether the object falls in one scope of a quota. */
  matchesScope(scope: ScopeRequirement, obj: Obj): boolean;
  /** A reason the object cannot be admitted under a quota that tracks `required` (pods only). */
  constraints?(required: readonly string[], obj: Obj): string | undefined;
}

const one = '1';

// ---- pods ----

const POD_RESOURCES = new Set([
  'count/pods', 'pods', 'cpu', 'memory', 'ephemeral-storage',
  'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);
const NATIVE = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods']);
const isPodResource = (n: string) => POD_RESOURCES.has(n) || n.startsWith('requests.hugepages-') || (n.startsWith('requests.') && n.includes('/'));

/** Requests and limits as quota resource names (upstream's podComputeUsageHelper). */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = { pods: one };
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    if (r in requests) { out[r] = requests[r]; out[`requests.${r}`] = requests[r]; }
    if (r in limits) out[`limits.${r}`] = limits[r];
  }
  for (const [k, v] of Object.entries(requests)) {
    if (k.startsWith('hugepages-')) out[`requests.${k}`] = v;
    else if (!NATIVE.has(k) && k.includes('/')) out[`requests.${k}`] = v;
  }
  return out;
}

/** Pods count against compute quota until they finish or their deletion grace has run out. */
export function podCountsForCompute(pod: Obj, now: Date): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const ts = pod.metadata?.deletionTimestamp;
  if (ts && pod.metadata?.deletionGracePeriodSeconds != null) {
    // Stuck terminating (a lost node) past twice the grace: no longer charged, as upstream.
    if (Date.parse(ts) + pod.metadata.deletionGracePeriodSeconds * 1000 < now.getTime()) return false;
  }
  return true;
}

const isTerminating = (pod: Obj) => typeof pod.spec?.activeDeadlineSeconds === 'number' && pod.spec.activeDeadlineSeconds >= 0;

function usesCrossNamespaceAffinity(pod: Obj): boolean {
  const a = pod.spec?.affinity;
  const terms = [
    ...(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w: Obj) => w.podAffinityTerm),
    ...(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w: Obj) => w.podAffinityTerm),
  ];
  return terms.some((t: Obj) => t && ((t.namespaces ?? []).length > 0 || t.namespaceSelector != null));
}

/** A label-style match of the pod's priority class name, as upstream matches PriorityClass scopes. */
function priorityClassMatches(scope: ScopeRequirement, pod: Obj): boolean {
  const value: string = pod.spec?.priorityClassName ?? '';
  const values = scope.values ?? [];
  switch (scope.operator) {
    case 'In': return values.includes(value);
    case 'NotIn': return !values.includes(value);
    case 'Exists': return true;
    case 'DoesNotExist': return false;
    default: return false;
  }
}

const VALIDATED = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

export const podEvaluator: QuotaEvaluator = {
  group: '', plural: 'pods',
  matchingResources: (names) => names.filter(isPodResource),
  usage(pod, now) {
    const result: ResourceList = { 'count/pods': one };
    if (!podCountsForCompute(pod, now)) return result;
    return addLists(result, computeUsage(podRequests(pod), podLimits(pod)));
  },
  handles: (op) => op === 'CREATE',
  matchesScope(scope, pod) {
    switch (scope.scopeName) {
      case 'Terminating': return isTerminating(pod);
      case 'NotTerminating': return !isTerminating(pod);
      case 'BestEffort': return isBestEffort(pod);
      case 'NotBestEffort': return !isBestEffort(pod);
      case 'PriorityClass': return priorityClassMatches(scope, pod);
      case 'CrossNamespacePodAffinity': return usesCrossNamespaceAffinity(pod);
      default: return false;
    }
  },
  constraints(required, pod) {
    // Every container must state what a cpu/memory quota counts (a historical rule upstream keeps).
    const wanted = required.filter((r) => VALIDATED.has(r));
    if (!wanted.length) return undefined;
    const missing = new Map<string, Set<string>>();
    for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
      const has = computeUsage(c?.resources?.requests ?? {}, c?.resources?.limits ?? {});
      for (const r of wanted) if (!(r in has)) { if (!missing.has(r)) missing.set(r, new Set()); missing.get(r)!.add(c.name); }
    }
    if (!missing.size) return undefined;
    const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
    return `must specify ${parts.join('; ')}`;
  },
};

// ---- services ----

const SERVICE_RESOURCES = new Set(['services', 'count/services', 'services.nodeports', 'services.loadbalancers']);

export const serviceEvaluator: QuotaEvaluator = {
  group: '', plural: 'services',
  matchingResources: (names) => names.filter((n) => SERVICE_RESOURCES.has(n)),
  usage(svc) {
    const ports: Obj[] = svc.spec?.ports ?? [];
    const out: ResourceList = { 'count/services': one, services: one, 'services.loadbalancers': '0', 'services.nodeports': '0' };
    if (svc.spec?.type === 'NodePort') out['services.nodeports'] = String(ports.length);
    if (svc.spec?.type === 'LoadBalancer') {
      out['services.loadbalancers'] = one;
      out['services.nodeports'] = String(svc.spec?.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p.nodePort).length : ports.length);
    }
    return out;
  },
  handles: (op) => op === 'CREATE' || op === 'UPDATE',
  matchesScope: () => false,
};

// ---- persistent volume claims ----

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

export const pvcEvaluator: QuotaEvaluator = {
  group: '', plural: 'persistentvolumeclaims',
  matchingResources: (names) => names.filter((n) =>
    n === 'persistentvolumeclaims' || n === 'count/persistentvolumeclaims' || n === 'requests.storage' ||
    (n.includes(STORAGE_CLASS_SUFFIX) && (n.endsWith('/requests.storage') || n.endsWith('/persistentvolumeclaims')))),
  usage(pvc) {
    const out: ResourceList = { 'count/persistentvolumeclaims': one, persistentvolumeclaims: one };
    const cls: string | undefined = pvc.spec?.storageClassName ?? pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
    if (cls) out[`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`] = one;
    let storage = pvc.spec?.resources?.requests?.storage;
    const allocated = pvc.status?.allocatedResources?.storage;
    if (allocated && (!storage || quantityOf(allocated).cmp(quantityOf(storage)) > 0)) storage = allocated;
    if (storage) {
      out['requests.storage'] = quantityOf(storage).canonical();
      if (cls) out[`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`] = out['requests.storage'];
    }
    return out;
  },
  handles: (op) => op === 'CREATE' || op === 'UPDATE',
  matchesScope: () => false,
};

// ---- any other object: a count ----

const LEGACY_COUNTS = new Set(['configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas']);

export function objectCountName(group: string, plural: string): string {
  return group ? `count/${plural}.${group}` : `count/${plural}`;
}

export function objectCountEvaluator(group: string, plural: string): QuotaEvaluator {
  const names = new Set([objectCountName(group, plural)]);
  if (!group && LEGACY_COUNTS.has(plural)) names.add(plural);
  return {
    group, plural,
    matchingResources: (ns) => ns.filter((n) => names.has(n)),
    usage: () => Object.fromEntries([...names].map((n) => [n, one])),
    handles: (op) => op === 'CREATE',
    matchesScope: () => false,
  };
}

const SPECIAL: Record<string, QuotaEvaluator> = { pods: podEvaluator, services: serviceEvaluator, persistentvolumeclaims: pvcEvaluator };

export function evaluatorFor(group: string, plural: string): QuotaEvaluator {
  return (!group && SPECIAL[plural]) || objectCountEvaluator(group, plural);
}

/** The evaluators a quota with these hard resource names needs (what the quota controller must count). */
export function evaluatorsForNames(names: readonly string[]): QuotaEvaluator[] {
  const out = new Map<string, QuotaEvaluator>();
  const add = (e: QuotaEvaluator) => { if (e.matchingResources(names).length) out.set(`${e.group}/${e.plural}`, e); };
  for (const e of Object.values(SPECIAL)) add(e);
  for (const p of LEGACY_COUNTS) add(objectCountEvaluator('', p));
  for (const n of names) {
    if (!n.startsWith('count/')) continue;
    const rest = n.slice('count/'.length);
    const dot = rest.indexOf('.');
    const plural = dot < 0 ? rest : rest.slice(0, dot);
    const group = dot < 0 ? '' : rest.slice(dot + 1);
    add(evaluatorFor(group, plural));
  }
  return [...out.values()];
}

/** A quota's scopes and scope selector as one list of requirements. */
export function scopeRequirementsOf(quota: Obj): ScopeRequirement[] {
  const out: ScopeRequirement[] = (quota.spec?.scopes ?? []).map((s: string) => ({ scopeName: s, operator: 'Exists' }));
  for (const e of quota.spec?.scopeSelector?.matchExpressions ?? []) out.push({ scopeName: e.scopeName, operator: e.operator, values: e.values });
  return out;
}

/** Whether the quota (by its enforced hard limits and scopes) covers the object. */
export function quotaCovers(quota: Obj, evaluator: QuotaEvaluator, obj: Obj, hard: ResourceList = quota.status?.hard ?? {}): boolean {
  if (!evaluator.matchingResources(Object.keys(hard)).length) return false;
  return scopeRequirementsOf(quota).every((s) => evaluator.matchesScope(s, obj));
}
