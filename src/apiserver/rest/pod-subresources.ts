// Pod subresources that change the pod through the API machinery: binding (the scheduler's
// write: pods/binding, or the bindings resource) and eviction (drain's write, honouring
// PodDisruptionBudgets as upstream's eviction REST does).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import { errors, StatusError } from '../../api/status.ts';
import type { ApiContext, RequestContext } from './context.ts';
import type { ResourceStore } from './resource-store.ts';
import { readBody, parseObject } from '../http/body.ts';
import { sendJSON } from '../http/respond.ts';
import { dryRun } from './write.ts';
import { timestamp } from './object-meta.ts';
import { storagePrefix } from './storage-view.ts';
import { labelSelectorFromObject } from '../../api/selectors/index.ts';

const success = (code: number) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code });

/** Binds a pod to a node: sets spec.nodeName once, and the PodScheduled condition. */
export async function bindPod(ctx: ApiContext, rs: ResourceStore, pods: ResourceDescription, ns: string, podName: string, binding: KubeObject, dry: boolean): Promise<void> {
  const nodeName = binding.target?.name;
  if (!nodeName) {
    throw errors.invalid('', 'Binding', podName, [{ type: 'FieldValueRequired', field: 'target.name', badValue: '', detail: '' }]);
  }
  if (binding.target?.kind && binding.target.kind !== 'Node') {
    throw errors.invalid('', 'Binding', podName, [{ type: 'FieldValueNotSupported', field: 'target.kind', badValue: binding.target.kind, detail: 'supported values: "Node"' }]);
  }
  await rs.systemUpdate(pods, ns, podName, (pod) => {
    const p = pod;
    if (binding.metadata?.uid && binding.metadata.uid !== p.metadata.uid) {
      throw errors.conflict('', 'pods/binding', podName, `Precondition failed: UID in precondition: ${binding.metadata.uid}, UID in object meta: ${p.metadata.uid}`);
    }
    if (p.metadata.deletionTimestamp) throw errors.conflict('', 'pods/binding', podName, 'pod is being deleted, cannot be assigned to a host');
    if (p.spec?.nodeName) throw errors.conflict('', 'pods/binding', podName, `pod ${podName} is already assigned to node "${p.spec.nodeName}"`);
    p.spec.nodeName = nodeName;
    for (const [k, v] of Object.entries(binding.metadata?.annotations ?? {})) (p.metadata.annotations ??= {})[k] = v;
    const conditions: KubeObject[] = (p.status ??= {}).conditions ?? [];
    const now = timestamp(ctx.now());
    const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now };
    const i = conditions.findIndex((c) => c.type === 'PodScheduled');
    if (i >= 0) { if (conditions[i].status !== 'True') conditions[i] = scheduled; } else conditions.push(scheduled);
    p.status.conditions = conditions;
    return p;
  }, { dryRun: dry });
}

export async function handleBinding(ctx: ApiContext, rs: ResourceStore, pods: ResourceDescription, ns: string, podName: string, req: IncomingMessage, res: ServerResponse, rc: RequestContext): Promise<void> {
  const binding = parseObject(await readBody(req), 'json');
  const name = podName || binding.metadata?.name;
  if (!name) throw errors.badRequest('name is required for a binding');
  if (podName && binding.metadata?.name && binding.metadata.name !== podName) {
    throw errors.badRequest(`the name of the object (${binding.metadata.name}) does not match the name on the URL (${podName})`);
  }
  await bindPod(ctx, rs, pods, ns, name, binding, dryRun(rc.query));
  sendJSON(res, 201, success(201));
}

export async function handleEviction(ctx: ApiContext, rs: ResourceStore, pods: ResourceDescription, ns: string, podName: string, req: IncomingMessage, res: ServerResponse, rc: RequestContext): Promise<void> {
  const eviction = parseObject(await readBody(req), 'json');
  if (eviction.metadata?.name && eviction.metadata.name !== podName) {
    throw errors.badRequest(`name in URL does not match name in Eviction object`);
  }
  const pod = await rs.get(pods, ns, podName);
  const deleteOptions = { dryRun: dryRun(rc.query) || (eviction.deleteOptions?.dryRun ?? []).includes('All'), gracePeriodSeconds: eviction.deleteOptions?.gracePeriodSeconds, preconditions: eviction.deleteOptions?.preconditions };
  const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  const pdbDesc = ctx.registry.lookup('policy', 'v1', 'poddisruptionbudgets');
  if (!terminal && !pod.metadata.deletionTimestamp && pdbDesc) {
    await ctx.cache.waitFresh();
    const pdbs = ctx.cache.list(storagePrefix(pdbDesc), ns).map((c) => c.obj)
      .filter((pdb) => pdb.spec?.selector && labelSelectorFromObject(pdb.spec.selector).matches(pod.metadata.labels ?? {}));
    if (pdbs.length > 1) throw new StatusError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    if (pdbs.length === 1) {
      const pdb = pdbs[0];
      const ready = (pod.status?.conditions ?? []).some((c: KubeObject) => c.type === 'Ready' && c.status === 'True');
      // Unready pods may go when the policy allows it (AlwaysAllow), as upstream.
      const bypass = !ready && pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow';
      if (!bypass) {
        if ((pdb.status?.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1) || (pdb.status?.disruptionsAllowed ?? 0) <= 0) {
          const msg = (pdb.status?.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1)
            ? 'The disruption budget is still being processed by the server.'
            : `The disruption budget ${pdb.metadata.name} needs ${pdb.status?.desiredHealthy ?? 0} healthy pods and has ${pdb.status?.currentHealthy ?? 0} currently`;
          throw new StatusError(429, 'TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.', { causes: [{ reason: 'DisruptionBudget', message: msg, field: '' }] });
        }
        if (!deleteOptions.dryRun) {
          await rs.guaranteedUpdate(pdbDesc, ns, pdb.metadata.name, (cur) => {
            const c = cur!;
            // Not pinned to what we read: a concurrent status write (the disruption controller) is retried, as upstream's RetryOnConflict.
            delete c.metadata.resourceVersion;
            c.status ??= {};
            if ((c.status.disruptionsAllowed ?? 0) <= 0) throw new StatusError(429, 'TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.');
            c.status.disruptionsAllowed -= 1;
            (c.status.disruptedPods ??= {})[podName] = timestamp(ctx.now());
            return c;
          }, { dryRun: false, subresource: 'status' });
        }
      }
    }
  }
  await rs.delete(pods, ns, podName, deleteOptions);
  sendJSON(res, 201, success(201));
}
