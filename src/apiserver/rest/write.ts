// create, update (PUT), delete and deletecollection: HTTP in, ResourceStore semantics, HTTP out.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import { errors, StatusError } from '../../api/status.ts';
import { fieldErrors, invalidMessage, toCauses, type FieldError } from '../../api/validation/field-error.ts';
import type { ApiRegistry } from '../registry.ts';
import type { ApiContext, RequestContext } from './context.ts';
import type { ResourceStore, DeleteOptions } from './resource-store.ts';
import { readBody, bodyFormat, parseObject } from '../http/body.ts';
import { sendJSON } from '../http/respond.ts';
import { render, parseFilter } from './read.ts';
import { checkAgainstSchema } from './schema-check.ts';
import { storagePrefix, fromStorage } from './storage-view.ts';
import type { TypeDefs } from '../../api/schema/model.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The meta.k8s.io kinds whose query parameters a write carries; invalid ones are a 422 on that kind. */
export type WriteOptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

const FIELD_MANAGER_MAX_LENGTH = 128;

/** Upstream's ValidateCreateOptions/UpdateOptions/PatchOptions: fieldManager, dryRun, fieldValidation. */
function writeOptionErrors(query: URLSearchParams): FieldError[] {
  const errs: FieldError[] = [];
  const manager = query.get('fieldManager');
  if (manager !== null) {
    if (Buffer.byteLength(manager) > FIELD_MANAGER_MAX_LENGTH) errs.push(fieldErrors.tooLong('fieldManager', FIELD_MANAGER_MAX_LENGTH));
    let at = 0;
    for (const ch of manager) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
        errs.push(fieldErrors.invalid('fieldManager', manager, `invalid character U+${cp.toString(16).toUpperCase().padStart(4, '0')} (at position ${at})`));
      }
      at += Buffer.byteLength(ch);
    }
  }
  const dry = query.getAll('dryRun');
  if (dry.some((v) => v !== 'All')) errs.push(fieldErrors.notSupported('dryRun', dry, ['All']));
  const validation = query.get('fieldValidation') ?? '';
  if (!['', 'Ignore', 'Strict', 'Warn'].includes(validation)) errs.push(fieldErrors.notSupported('fieldValidation', validation, ['', 'Ignore', 'Strict', 'Warn']));
  return errs;
}

/** A 422 on the options kind when the write's query parameters are invalid, as upstream. */
export function validateWriteOptions(query: URLSearchParams, kind: WriteOptionsKind): void {
  const errs = writeOptionErrors(query);
  if (!errs.length) return;
  throw new StatusError(422, 'Invalid', invalidMessage('meta.k8s.io', kind, '', errs), { group: 'meta.k8s.io', kind, causes: toCauses(errs) });
}

export function fieldValidation(query: URLSearchParams, kind: WriteOptionsKind = 'PatchOptions'): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  validateWriteOptions(query, kind);
  return 'Warn';
}

export function dryRun(query: URLSearchParams, kind: WriteOptionsKind = 'PatchOptions'): boolean {
  const values = query.getAll('dryRun');
  if (values.some((v) => v !== 'All')) validateWriteOptions(query, kind);
  return values.length > 0;
}

export function fieldManagerOf(query: URLSearchParams, req: IncomingMessage, kind: WriteOptionsKind = 'PatchOptions'): string {
  const m = query.get('fieldManager');
  if (m !== null) {
    validateWriteOptions(query, kind);
    return m;
  }
  // Upstream derives a manager from the user agent's command name.
  return (req.headers['user-agent'] ?? 'unknown').split('/')[0];
}

export interface Decoder {
  /** Decodes a protobuf body into its JSON form; undefined when protobuf is not supported. */
  protobuf?(body: Uint8Array): KubeObject;
}

/**
 * Reads and decodes a create/update body and checks it against the URL's resource, in upstream's
 * order: media type (415, after the body for updates), body size (413), options (422), decoding (400).
 */
export async function readObject(ctx: ApiContext, desc: ResourceDescription, req: IncomingMessage, rc: RequestContext, decoder: Decoder, optionsKind: WriteOptionsKind = 'CreateOptions'): Promise<KubeObject> {
  const contentType = req.headers['content-type'];
  if (optionsKind === 'CreateOptions') bodyFormat(contentType);
  const buf = await readBody(req);
  validateWriteOptions(rc.query, optionsKind);
  const format = bodyFormat(contentType);
  let obj: KubeObject;
  if (format === 'protobuf') {
    if (!decoder.protobuf) throw errors.unsupportedMediaType('application/vnd.kubernetes.protobuf', ['application/json', 'application/yaml']);
    try { obj = decoder.protobuf(buf); } catch (e) {
      if (e instanceof StatusError) throw e;
      throw errors.badRequest(`unable to decode protobuf body: ${(e as Error).message}`);
    }
  } else {
    obj = parseObject(buf, format, desc.kind);
  }
  checkTypeMeta(desc, obj, ctx.registry);
  applyFieldValidation(ctx.defs, desc, obj, rc);
  return obj;
}

/** Where upstream registers the built-in kinds; its name appears in "no kind is registered" errors. */
const BUILTIN_SCHEME = 'pkg/api/legacyscheme/scheme.go:30';

/** The Go package of a built-in group's internal types (core for the legacy group and events). */
function internalPackage(group: string): string {
  if (group === '' || group === 'events.k8s.io') return 'core';
  if (group === 'internal.apiserver.k8s.io') return 'apiserverinternal';
  return group.split('.')[0];
}

/**
 * Checks the body's apiVersion and kind against the URL's resource the way upstream's decoder
 * meets them: absent parts default to the URL's; a kind the version does not have, a kind that
 * does not convert to the URL's, or another version of the URL's kind are each a 400 in upstream's
 * words. Without a registry (and for custom resources) only an exact match passes.
 */
export function checkTypeMeta(desc: ResourceDescription, obj: KubeObject, registry?: ApiRegistry): void {
  const gv = desc.group ? `${desc.group}/${desc.version}` : desc.version;
  const apiVersion: string = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const kind: string = typeof obj.kind === 'string' && obj.kind ? obj.kind : desc.kind;
  let group = desc.group;
  let version = desc.version;
  if (apiVersion && apiVersion !== '/') {
    const slash = apiVersion.indexOf('/');
    if (slash < 0) { group = ''; version = apiVersion; } else { group = apiVersion.slice(0, slash); version = apiVersion.slice(slash + 1); }
  }
  const dataGV = group ? `${group}/${version}` : version;
  const cannotHandle = (why: string) => errors.badRequest(`${kind} in version ${JSON.stringify(version)} cannot be handled as a ${desc.kind}: ${why}`);
  if (dataGV !== gv || kind !== desc.kind) {
    if (!registry || desc.crd) {
      if (dataGV !== gv) throw errors.badRequest(`the API version in the data (${dataGV}) does not match the expected API version (${gv})`);
      throw errors.badRequest(`the kind in the data (${kind}) does not match the expected kind (${desc.kind})`);
    }
    const registered = registry.lookupKind(group, version, kind) ?? registry.resourcesOf(group, version).find((r) => r.listKind === kind);
    if (!registered) throw cannotHandle(`no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(dataGV)} in scheme ${JSON.stringify(BUILTIN_SCHEME)}`);
    const sameType = registered.kind === desc.kind && registered.listKind !== kind && internalPackage(group) === internalPackage(desc.group);
    if (!sameType) throw cannotHandle(`converting (${version}.${kind}) to (${internalPackage(desc.group)}.${desc.kind}): unknown conversion`);
    if (dataGV !== gv) throw errors.badRequest(`the API version in the data (${dataGV}) does not match the expected API version (${gv})`);
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
  if (mode === 'Strict') throw errors.badRequest(`${desc.kind} in version "${desc.version}" cannot be handled as a ${desc.kind}: strict decoding error: ${messages.join(', ')}`);
  if (mode === 'Warn') rc.warnings.push(...messages);
}

export async function handleCreate(ctx: ApiContext, rs: ResourceStore, desc: ResourceDescription, ns: string, req: IncomingMessage, res: ServerResponse, rc: RequestContext, decoder: Decoder): Promise<void> {
  const obj = await readObject(ctx, desc, req, rc, decoder);
  if (desc.scope === 'Namespaced' && obj.metadata?.namespace && obj.metadata.namespace !== ns) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const created = await rs.create(desc, ns, obj, { dryRun: dryRun(rc.query, 'CreateOptions'), fieldManager: fieldManagerOf(rc.query, req, 'CreateOptions') });
  sendJSON(res, 201, render(desc, req, rc.query, created, ctx.now()));
}

export async function handleUpdate(ctx: ApiContext, rs: ResourceStore, desc: ResourceDescription, ns: string, name: string, subresource: string, req: IncomingMessage, res: ServerResponse, rc: RequestContext, decoder: Decoder): Promise<void> {
  const obj = await readObject(ctx, desc, req, rc, decoder, 'UpdateOptions');
  if (desc.scope === 'Namespaced' && obj.metadata?.namespace && obj.metadata.namespace !== ns) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  // As upstream's checkName: the body must name the object the URL names.
  const bodyName = typeof obj.metadata?.name === 'string' ? obj.metadata.name : '';
  if (!bodyName) throw errors.badRequest(`the name of the object (${name} based on URL) was undeterminable: name must be provided`);
  if (bodyName !== name) throw errors.badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`);
  const updated = await rs.update(desc, ns, name, obj, { dryRun: dryRun(rc.query, 'UpdateOptions'), fieldManager: fieldManagerOf(rc.query, req, 'UpdateOptions'), subresource: subresource || undefined });
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
  const targets = ctx.cache.list(storagePrefix(desc), desc.scope === 'Namespaced' && ns ? ns : undefined).map((c) => fromStorage(desc, c.obj)).filter((o) => filter.matches(o));
  const items: KubeObject[] = [];
  for (const t of targets) {
    try {
      const { obj } = await rs.delete(desc, t.metadata.namespace ?? '', t.metadata.name, opts);
      items.push(obj);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
  const apiVersion = desc.group ? `${desc.group}/${desc.version}` : desc.version;
  sendJSON(res, 200, { kind: desc.listKind, apiVersion, metadata: { resourceVersion: String(ctx.cache.revision) }, items });
}
