// PATCH in its four kinds — JSON patch, merge patch, strategic merge patch, server-side apply —
// applied to the stored object inside a guaranteed update, with managed fields kept.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import { errors } from '../../api/status.ts';
import type { ApiContext, RequestContext } from './context.ts';
import type { ResourceStore } from './resource-store.ts';
import type { ResourceRequestInfo } from '../http/request-info.ts';
import { readBody } from '../http/body.ts';
import { parseMediaType } from '../http/negotiate.ts';
import { sendJSON } from '../http/respond.ts';
import { render } from './read.ts';
import { dryRun, applyFieldValidation, checkTypeMeta, fieldManagerOf } from './write.ts';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';
import { applyStrategicMergePatch } from '../patch/strategic-merge.ts';
import { applyPatch } from '../patch/field-manager.ts';
import { schemaFor, ignoredFields } from './managed-fields.ts';
import { parse as parseYaml } from 'yaml';

const BUILTIN_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const CUSTOM_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

export async function handlePatch(ctx: ApiContext, rs: ResourceStore, desc: ResourceDescription, info: ResourceRequestInfo, req: IncomingMessage, res: ServerResponse, rc: RequestContext): Promise<void> {
  const type = parseMediaType(req.headers['content-type'] ?? '').type;
  const strategicAllowed = !!desc.schema && !desc.crd;
  const accepted = strategicAllowed ? BUILTIN_PATCH_TYPES : CUSTOM_PATCH_TYPES;
  if (!accepted.includes(type)) throw errors.unsupportedMediaType(type, accepted);
  const body = (await readBody(req)).toString('utf8');
  const q = rc.query;
  const dry = dryRun(q);
  const subresource = info.subresource || undefined;
  const now = ctx.now();
  let created = false;
  let result: KubeObject;

  if (type === 'application/apply-patch+yaml') {
    const manager = q.get('fieldManager');
    if (!manager) throw errors.badRequest('fieldManager is required for apply requests');
    const forceParam = q.get('force');
    if (forceParam !== null && forceParam !== 'true' && forceParam !== 'false') throw errors.badRequest(`Invalid value for force: ${forceParam}`);
    let applied: KubeObject;
    try { applied = parseYaml(body); } catch (e) {
      throw errors.badRequest(`error decoding YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!applied || typeof applied !== 'object' || Array.isArray(applied)) throw errors.badRequest('error decoding YAML: the apply configuration must be an object');
    checkTypeMeta(desc, applied);
    if (applied.metadata?.name !== undefined && applied.metadata.name !== info.name) {
      throw errors.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${info.name})`);
    }
    applyFieldValidation(ctx.defs, desc, applied, rc);
    const out = await rs.guaranteedUpdate(desc, info.namespace, info.name, (current) => {
      const r = applyPatch({
        live: current, applied, manager, force: forceParam === 'true', schema: schemaFor(ctx, desc),
        gvk: { group: desc.group, version: desc.version, kind: desc.kind }, now, subresource,
        ignoredFields: ignoredFields(desc, subresource),
      });
      return r.object;
    }, { dryRun: dry, subresource, createIfMissing: !subresource, managedFieldsDone: true });
    created = out.created;
    result = out.obj;
  } else {
    const manager = fieldManagerOf(q, req);
    const out = await rs.guaranteedUpdate(desc, info.namespace, info.name, (current) => {
      let patched: KubeObject;
      if (type === 'application/json-patch+json') patched = applyJsonPatch(current!, body);
      else if (type === 'application/merge-patch+json') patched = applyMergePatch(current!, body);
      else patched = applyStrategicMergePatch(current!, body, schemaFor(ctx, desc));
      checkTypeMeta(desc, patched);
      applyFieldValidation(ctx.defs, desc, patched, rc);
      return patched;
    }, { dryRun: dry, subresource, fieldManager: manager });
    result = out.obj;
  }
  sendJSON(res, created ? 201 : 200, render(desc, req, q, result, now));
}
