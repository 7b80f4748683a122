// Per-kind behaviour on top of the generic store (upstream's strategies): initial status on
// create, which statuses a create may set, name rules. Defaults and validation of the kinds
// come from src/api; this file attaches them to the resource descriptions.
import type { KubeObject, ResourceDescription } from '../api/registry/resource.ts';
import { applyGeneratedJobSelector } from '../api/defaults/index.ts';
import { deepEqual } from './rest/object-meta.ts';
import { keepAllocatedValues, dropTypeDependentFields } from '../api/net/service-allocated-fields.ts';

type Hooks = Partial<Pick<ResourceDescription, 'prepareForCreate' | 'prepareForUpdate' | 'keepStatusOnCreate' | 'nameValidation'>>;

const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

const HOOKS: Record<string, Hooks> = {
  '/Namespace': {
    nameValidation: 'label',
    prepareForCreate(o: KubeObject) {
      o.status = { phase: 'Active' };
      o.spec = { ...(o.spec ?? {}), finalizers: ['kubernetes'] };
    },
  },
  '/Pod': { prepareForCreate(o: KubeObject) { o.status = { phase: 'Pending', ...qosOf(o) }; } },
  '/Node': { keepStatusOnCreate: true },
  // DaemonSets count template changes in an annotation (upstream's templateGeneration).
  'apps/DaemonSet': {
    prepareForCreate(o: KubeObject) { o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: '1' }; },
    prepareForUpdate(o: KubeObject, old: KubeObject) {
      const prev = Number(old.metadata?.annotations?.[TEMPLATE_GENERATION] ?? 1);
      const next = deepEqual(o.spec?.template, old.spec?.template) ? prev : prev + 1;
      o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: String(next) };
    },
  },
  // A Job gets a selector on its own uid unless the user manages it (manualSelector).
  'batch/Job': { prepareForCreate(o: KubeObject) { applyGeneratedJobSelector(o); } },
  '/PersistentVolume': { prepareForCreate(o: KubeObject) { o.status = { phase: 'Pending' }; } },
  '/PersistentVolumeClaim': { prepareForCreate(o: KubeObject) { o.status = { phase: 'Pending' }; } },
  // Allocated values (cluster IPs, node ports) survive updates that leave them out; a type
  // change drops what only the old type needed. The allocator then claims what is missing.
  '/Service': {
    nameValidation: 'label',
    prepareForCreate(o: KubeObject) { singularClusterIPToPlural(o); },
    prepareForUpdate(o: KubeObject, old: KubeObject) {
      singularClusterIPToPlural(o, old);
      keepAllocatedValues(o, old);
      dropTypeDependentFields(o, old);
    },
  },
  '/Event': { keepStatusOnCreate: true },
  'events.k8s.io/Event': { keepStatusOnCreate: true },
  'rbac.authorization.k8s.io/Role': { nameValidation: 'path-segment' },
  'rbac.authorization.k8s.io/ClusterRole': { nameValidation: 'path-segment' },
  'rbac.authorization.k8s.io/RoleBinding': { nameValidation: 'path-segment' },
  'rbac.authorization.k8s.io/ClusterRoleBinding': { nameValidation: 'path-segment' },
};

/**
 * Old clients set only spec.clusterIP: clusterIPs follows it (upstream's NormalizeClusterIPs). On
 * update, a client that left clusterIPs out keeps them while clusterIP is unchanged.
 */
function singularClusterIPToPlural(o: KubeObject, old?: KubeObject): void {
  const spec = o.spec;
  if (!spec || typeof spec !== 'object') return;
  const plural = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0;
  if (!old) {
    if (spec.clusterIP && !plural) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  const oldSpec = old.spec ?? {};
  if (!plural && Array.isArray(oldSpec.clusterIPs) && oldSpec.clusterIPs.length && spec.clusterIP === oldSpec.clusterIP) spec.clusterIPs = [...oldSpec.clusterIPs];
  else if (!plural && spec.clusterIP && spec.clusterIP !== oldSpec.clusterIP) spec.clusterIPs = [spec.clusterIP];
}

/** Pod QoS class from requests and limits (upstream's GetPodQOS, simplified to cpu and memory). */
function qosOf(pod: KubeObject): { qosClass: string } {
  const containers: KubeObject[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let anySet = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) anySet = true;
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  return { qosClass: !anySet ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable' };
}

const VERSION_DEFAULTS: Record<string, (obj: KubeObject) => void> = {
  'autoscaling/v1/HorizontalPodAutoscaler': (o) => { o.spec ??= {}; o.spec.minReplicas ??= 1; },
};

export interface KindBehaviour {
  defaults?: Record<string, (obj: KubeObject) => void>;
  validators?: Record<string, (obj: KubeObject, old?: KubeObject, subresource?: string) => import('../api/validation/field-error.ts').FieldError[]>;
}

/** Attaches strategies, defaulters and validators (keyed "group/Kind") to the descriptions. */
export function withStrategies(resources: ResourceDescription[], behaviour: KindBehaviour = {}): ResourceDescription[] {
  return resources.map((r) => {
    const key = `${r.group}/${r.kind}`;
    const out: ResourceDescription = { ...r, ...(HOOKS[key] ?? {}) };
    // Defaulting is per version where versions differ (autoscaling/v1 has no metrics list).
    const d = VERSION_DEFAULTS[`${r.group}/${r.version}/${r.kind}`] ?? behaviour.defaults?.[key];
    if (d && !out.defaults) out.defaults = d;
    const v = behaviour.validators?.[key];
    if (v && !out.validate) out.validate = v;
    return out;
  });
}
