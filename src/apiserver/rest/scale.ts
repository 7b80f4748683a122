// The /scale subresource: the parent's replicas seen and changed as an autoscaling/v1 Scale.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import { errors } from '../../api/status.ts';
import type { ApiContext, RequestContext } from './context.ts';
import type { ResourceStore } from './resource-store.ts';
import { readBody, bodyFormat, parseObject } from '../http/body.ts';
import { parseMediaType } from '../http/negotiate.ts';
import { sendJSON } from '../http/respond.ts';
import { dryRun, fieldManagerOf } from './write.ts';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';
import { applyStrategicMergePatch } from '../patch/strategic-merge.ts';
import { typeDefSchema } from '../patch/schema.ts';
import { selectorString } from '../../api/registry/columns.ts';

const SCALE_TYPE = 'io.k8s.api.autoscaling.v1.Scale';

function getPath(obj: KubeObject, path: string): unknown {
  let cur: any = obj;
  for (const part of path.replace(/^\./, '').split('.')) { if (cur == null) return undefined; cur = cur[part]; }
  return cur;
}

function setPath(obj: KubeObject, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur: any = obj;
  for (const p of parts.slice(0, -1)) cur = cur[p] ??= {};
  cur[parts[parts.length - 1]] = value;
}

export function toScale(desc: ResourceDescription, obj: KubeObject): KubeObject {
  const sc = desc.subresources!.scale!;
  const m = obj.metadata;
  let selector: unknown = sc.labelSelectorPath ? getPath(obj, sc.labelSelectorPath) : undefined;
  if (selector === undefined && obj.spec?.selector) {
    selector = obj.spec.selector.matchLabels || obj.spec.selector.matchExpressions ? selectorString(obj.spec.selector)
      : Object.entries(obj.spec.selector).map(([k, v]) => `${k}=${v}`).join(',');
  }
  const status: KubeObject = { replicas: Number(getPath(obj, sc.statusReplicasPath) ?? 0) };
  if (typeof selector === 'string' && selector) status.selector = selector;
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: Number(getPath(obj, sc.specReplicasPath) ?? 0) },
    status,
  };
}

export async function handleScale(ctx: ApiContext, rs: ResourceStore, desc: ResourceDescription, ns: string, name: string, verb: string, req: IncomingMessage, res: ServerResponse, rc: RequestContext): Promise<void> {
  const sc = desc.subresources!.scale!;
  if (verb === 'get') { sendJSON(res, 200, toScale(desc, await rs.get(desc, ns, name))); return; }
  if (verb !== 'update' && verb !== 'patch') throw errors.methodNotSupported(desc.group, `${desc.plural}/scale`, verb);
  const raw = await readBody(req);
  let body: KubeObject | undefined;
  const patchType = verb === 'patch' ? parseMediaType(req.headers['content-type'] ?? '').type : '';
  if (verb === 'update') {
    body = parseObject(raw, bodyFormat(req.headers['content-type']) === 'yaml' ? 'yaml' : 'json');
    if (body.kind !== undefined && body.kind !== 'Scale') throw errors.badRequest(`the kind in the data (${body.kind}) does not match the expected kind (Scale)`);
  } else if (!['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'].includes(patchType)) {
    throw errors.unsupportedMediaType(patchType, ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']);
  }
  const { obj } = await rs.guaranteedUpdate(desc, ns, name, (current) => {
    const scale = toScale(desc, current!);
    let wanted: KubeObject;
    if (body) {
      wanted = body;
      if (wanted.metadata?.resourceVersion && wanted.metadata.resourceVersion !== scale.metadata.resourceVersion) throw errors.modified(desc.group, desc.plural, name);
    } else {
      const text = raw.toString('utf8');
      wanted = patchType === 'application/json-patch+json' ? applyJsonPatch(scale, text)
        : patchType === 'application/merge-patch+json' ? applyMergePatch(scale, text)
          : applyStrategicMergePatch(scale, text, typeDefSchema(ctx.defs, SCALE_TYPE));
    }
    const replicas = wanted.spec?.replicas;
    if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
      throw errors.invalid('autoscaling', 'Scale', name, [{ type: 'FieldValueInvalid', field: 'spec.replicas', badValue: replicas, detail: 'must be greater than or equal to 0' }]);
    }
    const next = structuredClone(current!);
    setPath(next, sc.specReplicasPath, replicas ?? 0);
    delete next.metadata.resourceVersion;
    return next;
  }, { dryRun: dryRun(rc.query), fieldManager: fieldManagerOf(rc.query, req) });
  sendJSON(res, 200, toScale(desc, obj));
}
