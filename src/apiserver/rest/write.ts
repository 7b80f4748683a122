// create, update (PUT), delete and deletecollection: HTTP in, ResourceStore semantics, HTTP out.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import { errors, StatusError } from '../../api/status.ts';
import type { ApiContext, RequestContext } from './context.ts';
import type { ResourceStore, DeleteOptions } from './resource-store.ts';
import { readBody, bodyFormat, parseObject } from '../http/body.ts';
import { sendJSON } from '../http/respond.ts';
import { render, parseFilter } from './read.ts';
import { checkAgainstSchema } from './schema-check.ts';
import { resourcePrefix } from '../watchcache/keys.ts';
import type { TypeDefs } from '../../api/schema/model.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidation(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${v}"`);
}

export function dryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) if (v !== 'All') throw errors.badRequest(`Invalid dry run value: ${v}`);
  return values.length > 0;
}

export function fieldManagerOf(query: URLSearchParams, req: IncomingMessage): string {
  const m = query.get('fieldManager');
  if (m !== null) {
    if (m.length > 128) throw errors.badRequest('fieldManager: Too long: may not be more than 128 bytes');
    return m;
  }
  // Upstream derives a manager from the user agent's command name.
  return (req.headers['user-agent'] ?? 'unknown').split('/')[0];
}

export interface Decoder {
  /** Decodes a protobuf body into its JSON form; undefined when protobuf is not supported. */
  protobuf?(body: Uint8Array): KubeObject;
}

/** Reads and decodes a create/update body and checks it against the URL's resource. */
export async function readObject(ctx: ApiContext, desc: ResourceDescription, req: IncomingMessage, rc: RequestContext, decoder: Decoder): Promise<KubeObject> {
  const format = bodyFormat(req.headers['content-type']);
  const buf = await readBody(req);
  let obj: KubeObject;
  if (format === 'protobuf') {
    if (!decoder.protobuf) throw errors.unsupportedMediaType('application/vnd.kubernetes.protobuf', ['application/json', 'application/yaml']);
    try { obj = decoder.protobuf(buf); } catch (e) {
      if (e instanceof StatusError) throw e;
      throw errors.badRequest(`unable to decode protobuf body: ${(e as Error).message}`);
    }
  } else {
    obj = parseObject(buf, format);
  }
  checkTypeMeta(desc, obj);
  applyFieldValidation(ctx.defs, desc, obj, rc);
  return obj;
}

export function checkTypeMeta(desc: ResourceDescription, obj: KubeObject): void {
  const gv = desc.group ? `${desc.group}/${desc.version}` : desc.version;
  if (obj.apiVersion !== undefined && obj.apiVersion !== gv) {
    throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${gv})`);
  }
  if (obj.kind !== undefined && obj.kind !== desc.kind) {
    throw errors.badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${desc.kind})`);
  }
  if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata))) {
    throw errors.badRequest(`${desc.kind} in version "${desc.version}" cannot be handled as a ${desc.kind}: json: cannot unmarshal ${Array.isArray(obj.metadata) ? 'array' : typeof obj.metadata} into Go struct field ${desc.kind}.metadata of type v1.ObjectMeta`);
  }
}

/** Unknown fields: Strict → 400, Warn → Warning headers, Ignore → dropped silently. Type errors are 400. */
export function applyFieldValidation(defs: TypeDefs, desc: ResourceDescription, obj: KubeObject, rc: RequestContext): void {
  let result;
  if (desc.checkFields) result = desc.checkFields(obj);
  else if (desc.schema && defs[desc.schema]) result = checkAgainstSchema(obj, defs, desc.schema);
  else return;
  const mode = fieldValidation(rc.query);
  if (result.typeError) throw errors.badRequest(`${desc.kind} in version "${desc.version}" cannot be handled as a ${desc.kind}: ${result.typeError}`);
  if (!result.unknown.length) return;
  const messages = result.unknown.map((p) => `unknown field "${p}"`);
  if (mode === 'Strict') throw errors.badRequest(`strict decoding error: ${messages.join(', ')}`);
  if (mode === 'Warn') rc.warnings.push(...messages);
}

export async function handleCreate(ctx: ApiContext, rs: ResourceStore, desc: ResourceDescription, ns: string, req: IncomingMessage, res: ServerResponse, rc: RequestContext, decoder: Decoder): Promise<void> {
  const obj = await readObject(ctx, desc, req, rc, decoder);
  if (desc.scope === 'Namespaced' && obj.metadata?.namespace && obj.metadata.namespace !== ns) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const created = await rs.create(desc, ns, obj, { dryRun: dryRun(rc.query), fieldManager: fieldManagerOf(rc.query, req) });
  sendJSON(res, 201, render(desc, req, rc.query, created, ctx.now()));
}

export async function handleUpdate(ctx: ApiContext, rs: ResourceStore, desc: ResourceDescription, ns: string, name: string, subresource: string, req: IncomingMessage, res: ServerResponse, rc: RequestContext, decoder: Decoder): Promise<void> {
  const obj = await readObject(ctx, desc, req, rc, decoder);
  if (obj.metadata?.name !== undefined && obj.metadata.name !== name) {
    throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
  }
  if (desc.scope === 'Namespaced' && obj.metadata?.namespace && obj.metadata.namespace !== ns) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const updated = await rs.update(desc, ns, name, obj, { dryRun: dryRun(rc.query), fieldManager: fieldManagerOf(rc.query, req), subresource: subresource || undefined });
  sendJSON(res, 200, render(desc, req, rc.query, updated, ctx.now()));
}

/** DeleteOptions from the body (JSON) and from query parameters, as upstream merges them. */
export async function readDeleteOptions(req: IncomingMessage, query: URLSearchParams): Promise<DeleteOptions> {
  const buf = await readBody(req);
  let body: KubeObject = {};
  if (buf.length) body = parseObject(buf, bodyFormat(req.headers['content-type']) === 'yaml' ? 'yaml' : 'json');
  const opts: DeleteOptions = { dryRun: dryRun(query) || (Array.isArray(body.dryRun) && body.dryRun.includes('All')) };
  const policy = query.get('propagationPolicy') ?? body.propagationPolicy;
  const orphan = query.get('orphanDependents') ?? body.orphanDependents;
  if (policy !== undefined && policy !== null) {
    if (policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
      throw errors.invalid('', 'DeleteOptions', '', [{ type: 'FieldValueNotSupported', field: 'propagationPolicy', badValue: policy, detail: 'supported values: "Foreground", "Background", "Orphan", "nil"' }]);
    }
    opts.propagationPolicy = policy;
  } else if (orphan !== undefined && orphan !== null) {
    opts.propagationPolicy = orphan === true || orphan === 'true' ? 'Orphan' : 'Background';
  }
  const grace = query.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  if (grace !== undefined && grace !== null) opts.gracePeriodSeconds = Number(grace);
  if (body.preconditions) opts.preconditions = body.preconditions;
  return opts;
}

export async function handleDelete(ctx: ApiContext, rs: ResourceStore, desc: ResourceDescription, ns: string, name: string, req: IncomingMessage, res: ServerResponse, rc: RequestContext): Promise<void> {
  const opts = await readDeleteOptions(req, rc.query);
  const { obj } = await rs.delete(desc, ns, name, opts);
  // Upstream answers 200 with the object whether it is gone or now terminating.
  sendJSON(res, 200, render(desc, req, rc.query, obj, ctx.now()));
}

export async function handleDeleteCollection(ctx: ApiContext, rs: ResourceStore, desc: ResourceDescription, ns: string, req: IncomingMessage, res: ServerResponse, rc: RequestContext): Promise<void> {
  const opts = await readDeleteOptions(req, rc.query);
  const filter = parseFilter(desc, rc.query);
  await ctx.cache.waitFresh();
  const targets = ctx.cache.list(resourcePrefix(desc.group, desc.plural), desc.scope === 'Namespaced' && ns ? ns : undefined).filter((c) => filter.matches(c.obj));
  const items: KubeObject[] = [];
  for (const t of targets) {
    try {
      const { obj } = await rs.delete(desc, t.obj.metadata.namespace ?? '', t.obj.metadata.name, opts);
      items.push(obj);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
  const apiVersion = desc.group ? `${desc.group}/${desc.version}` : desc.version;
  sendJSON(res, 200, { kind: desc.listKind, apiVersion, metadata: { resourceVersion: String(ctx.cache.revision) }, items });
}
