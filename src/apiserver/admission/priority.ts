// Upstream's Priority admission: a new pod's spec.priority (and preemptionPolicy) come from its
// PriorityClass, or from the cluster's global default class, or are 0; only one PriorityClass
// may be the global default. The two system classes resolve even before they are stored.
import type { Admission, ApiContext } from '../rest/context.ts';
import type { KubeObject } from '../../api/registry/resource.ts';
import { errors } from '../../api/status.ts';
import { resourcePrefix } from '../watchcache/keys.ts';

/** Upstream's built-in classes (created by the API server at startup there). */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

const PREFIX = resourcePrefix('scheduling.k8s.io', 'priorityclasses');

async function classes(ctx: ApiContext): Promise<KubeObject[]> {
  await ctx.cache.waitFresh();
  return ctx.cache.list(PREFIX).map((c) => c.obj);
}

/** The global default class: the lowest-valued one marked default, as upstream. */
function globalDefault(all: KubeObject[]): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const pc of all) if (pc.globalDefault && (!best || pc.value < best.value)) best = pc;
  return best;
}

async function admitPod(op: 'CREATE' | 'UPDATE', pod: KubeObject, old: KubeObject | undefined, ctx: ApiContext): Promise<void> {
  const spec = (pod.spec ??= {});
  if (op === 'UPDATE') {
    // Priority is set once at creation; an update that leaves it out keeps it.
    if (spec.priority === undefined && old?.spec?.priority !== undefined) spec.priority = old.spec.priority;
    if (spec.preemptionPolicy === undefined && old?.spec?.preemptionPolicy !== undefined) spec.preemptionPolicy = old.spec.preemptionPolicy;
    return;
  }
  const name = pod.metadata?.name ?? '';
  let priority = 0;
  let policy = 'PreemptLowerPriority';
  const all = await classes(ctx);
  if (spec.priorityClassName) {
    const pc = all.find((c) => c.metadata?.name === spec.priorityClassName);
    if (pc) {
      priority = pc.value ?? 0;
      policy = pc.preemptionPolicy ?? policy;
    } else if (Object.hasOwn(SYSTEM_PRIORITY_CLASSES, spec.priorityClassName)) {
      priority = SYSTEM_PRIORITY_CLASSES[spec.priorityClassName]!;
    } else {
      throw errors.forbidden('', 'pods', name, `no PriorityClass with name ${spec.priorityClassName} was found`);
    }
  } else {
    const def = globalDefault(all);
    if (def) {
      spec.priorityClassName = def.metadata.name;
      priority = def.value ?? 0;
      policy = def.preemptionPolicy ?? policy;
    }
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw errors.forbidden('', 'pods', name, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  spec.priority = priority;
  if (spec.preemptionPolicy && spec.preemptionPolicy !== policy) {
    throw errors.forbidden('', 'pods', name, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
  }
  spec.preemptionPolicy = policy;
}

async function admitPriorityClass(pc: KubeObject, ctx: ApiContext): Promise<void> {
  if (!pc.globalDefault) return;
  const other = (await classes(ctx)).find((c) => c.globalDefault && c.metadata?.name !== pc.metadata?.name);
  if (other) throw errors.forbidden('scheduling.k8s.io', 'priorityclasses', pc.metadata?.name ?? '', `PriorityClass ${other.metadata.name} is already marked as default. Only one default can exist`);
}

export const priorityAdmission: Admission = {
  name: 'Priority',
  async admit(op, desc, obj, old, ctx) {
    if (op === 'DELETE') return;
    if (desc.group === '' && desc.plural === 'pods') await admitPod(op, obj, old, ctx);
    else if (desc.group === 'scheduling.k8s.io' && desc.plural === 'priorityclasses') await admitPriorityClass(obj, ctx);
  },
};
