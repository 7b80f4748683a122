// The REST operations every resource serves, described once and rendered by both the
// Swagger 2.0 and the OpenAPI 3.0 builders: paths, methods, operation ids, query parameters,
// bodies, responses and the x-kubernetes-action / group-version-kind tags kubectl reads.
import type { GroupVersionKind } from '../../api/schema/model.ts';
import type { ResourceDescription, Verb } from '../../api/registry/resource.ts';
import { schemaPackage } from '../../api/registry/define.ts';
import {
  DELETE_OPTIONS,
  PATCH,
  SCALE,
  SCALE_GVK,
  STATUS,
  WATCH_EVENT,
  groupIdentifier,
  groupVersionPrefix,
  groupVersionTag,
  isBuiltIn,
  resourceListTypeName,
  resourceTypeName,
} from './type-names.ts';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';
export type Action = 'get' | 'list' | 'watch' | 'watchlist' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';

export interface QueryParameter {
  name: string;
  type: 'string' | 'boolean' | 'integer';
  description: string;
}

export interface Response {
  code: string;
  description: string;
  typeName?: string;
}

export interface Operation {
  method: HttpMethod;
  operationId: string;
  description: string;
  action: Action;
  gvk: GroupVersionKind;
  tag: string;
  query: QueryParameter[];
  /** Request body type; for patch this is the Patch type and `patchTypes` lists the content types. */
  body?: { typeName: string; required: boolean };
  patchTypes?: string[];
  responses: Response[];
  produces: string[];
}

export interface PathSpec {
  path: string;
  /** Path parameters, in order (namespace before name). */
  pathParameters: { name: string; description: string }[];
  operations: Operation[];
}

const q = (name: string, type: QueryParameter['type'], description: string): QueryParameter => ({ name, type, description });

const P = {
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'With watch, ask the server to send BOOKMARK events that carry only a resourceVersion.'),
  continue: q('continue', 'string', 'The continue token of a previous paged list call; returns the next page.'),
  fieldSelector: q('fieldSelector', 'string', 'Restrict the objects returned by their fields, e.g. metadata.name=foo.'),
  labelSelector: q('labelSelector', 'string', 'Restrict the objects returned by their labels, e.g. app=web,tier!=db.'),
  limit: q('limit', 'integer', 'The most objects to return in one page; a continue token is returned when more remain.'),
  resourceVersion: q('resourceVersion', 'string', 'The resource version the list or watch starts from.'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'How resourceVersion is applied to a list: Exact or NotOlderThan.'),
  sendInitialEvents: q('sendInitialEvents', 'boolean', 'With watch, start the stream with synthetic ADDED events for the current state.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'End the list or watch call after this many seconds.'),
  watch: q('watch', 'boolean', 'Stream changes instead of returning a list.'),
  dryRun: q('dryRun', 'string', 'When All, process the request fully but persist nothing.'),
  fieldManager: q('fieldManager', 'string', 'The name of the actor making the change, recorded in managedFields.'),
  fieldValidation: q(
    'fieldValidation',
    'string',
    'What to do with unknown or duplicate fields in the body: Ignore drops them, Warn drops them and returns a warning, Strict fails the request.',
  ),
  force: q('force', 'boolean', 'For apply requests, take ownership of fields other managers own instead of failing with a conflict.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'Seconds to wait before the object is deleted; 0 deletes immediately.'),
  ignoreStoreReadError: q(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'boolean',
    'Delete an object that cannot be read from storage. Dangerous: the object may still be referenced.',
  ),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy. Whether dependents are orphaned.'),
  propagationPolicy: q('propagationPolicy', 'string', 'How dependents are garbage collected: Orphan, Background or Foreground.'),
};

const LIST_PARAMS = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.watch];
const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation, P.force];
const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.ignoreStoreReadError, P.orphanDependents, P.propagationPolicy];
const DELETE_COLLECTION_PARAMS = [
  P.continue,
  P.dryRun,
  P.fieldSelector,
  P.gracePeriodSeconds,
  P.ignoreStoreReadError,
  P.labelSelector,
  P.limit,
  P.orphanDependents,
  P.propagationPolicy,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
];

export const PRETTY_PARAMETER = q('pretty', 'string', "When 'true', indent the output.");

export const MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
export const STREAM_MEDIA_TYPES = [...MEDIA_TYPES, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml';

/** Patch content types: strategic merge only for built-in types, whose Go structs carry patch strategies. */
export function patchContentTypes(builtIn: boolean): string[] {
  return builtIn ? [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH] : [JSON_PATCH, MERGE_PATCH, APPLY_PATCH];
}

/** Subresources served as streams or connections, which have no object body to describe. */
const CONNECT_SUBRESOURCES = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

const unauthorized: Response = { code: '401', description: 'Unauthorized' };
const ok = (typeName: string): Response => ({ code: '200', description: 'OK', typeName });
const created = (typeName: string): Response => ({ code: '201', description: 'Created', typeName });
const accepted = (typeName: string): Response => ({ code: '202', description: 'Accepted', typeName });

interface Target {
  /** Path of the object (or subresource) and whether it sits under a namespace. */
  namespaced: boolean;
  kind: string;
  gvk: GroupVersionKind;
  typeName: string;
  /** Suffix of operation ids: '' for the main resource, 'Status', 'Scale', 'Eviction', ... */
  suffix: string;
  /** Phrase for descriptions: 'the Pod', 'the status of the Pod'. */
  what: string;
  builtIn: boolean;
}

function operationId(verb: string, r: ResourceDescription, opts: { namespaced: boolean; collection?: boolean; suffix?: string }): string {
  const gv = `${groupIdentifier(r.group)}${r.version[0]!.toUpperCase()}${r.version.slice(1)}`;
  return `${verb}${gv}${opts.collection ? 'Collection' : ''}${opts.namespaced ? 'Namespaced' : ''}${r.kind}${opts.suffix ?? ''}`;
}

function itemOperation(r: ResourceDescription, t: Target, verb: Verb, tag: string): Operation | undefined {
  const base = { gvk: t.gvk, tag };
  const id = (prefix: string) => operationId(prefix, r, { namespaced: t.namespaced, suffix: t.suffix });
  switch (verb) {
    case 'get':
      return { ...base, method: 'get', action: 'get', operationId: id('read'), description: `Read ${t.what}.`, query: [], responses: [ok(t.typeName), unauthorized], produces: MEDIA_TYPES };
    case 'update':
      return {
        ...base,
        method: 'put',
        action: 'put',
        operationId: id('replace'),
        description: `Replace ${t.what}.`,
        query: WRITE_PARAMS,
        body: { typeName: t.typeName, required: true },
        responses: [ok(t.typeName), created(t.typeName), unauthorized],
        produces: MEDIA_TYPES,
      };
    case 'patch':
      return {
        ...base,
        method: 'patch',
        action: 'patch',
        operationId: id('patch'),
        description: `Partially update ${t.what}.`,
        query: PATCH_PARAMS,
        body: { typeName: PATCH, required: true },
        patchTypes: patchContentTypes(t.builtIn),
        responses: [ok(t.typeName), created(t.typeName), unauthorized],
        produces: MEDIA_TYPES,
      };
    case 'create':
      return {
        ...base,
        method: 'post',
        action: 'post',
        operationId: id('create'),
        description: `Create ${t.what}.`,
        query: WRITE_PARAMS,
        body: { typeName: t.typeName, required: true },
        responses: [ok(t.typeName), created(t.typeName), accepted(t.typeName), unauthorized],
        produces: MEDIA_TYPES,
      };
    case 'delete':
      return {
        ...base,
        method: 'delete',
        action: 'delete',
        operationId: id('delete'),
        description: `Delete ${t.what}.`,
        query: DELETE_PARAMS,
        body: { typeName: DELETE_OPTIONS, required: false },
        responses: [ok(STATUS), accepted(STATUS), unauthorized],
        produces: MEDIA_TYPES,
      };
    default:
      return undefined;
  }
}

const namespaceParameter = { name: 'namespace', description: 'The namespace of the objects.' };
const nameParameter = (kind: string) => ({ name: 'name', description: `The name of the ${kind}.` });

/** Every path a resource serves, with its operations. */
export function resourcePaths(r: ResourceDescription, typeExists: (name: string) => boolean): PathSpec[] {
  const prefix = groupVersionPrefix(r.group, r.version);
  const namespaced = r.scope === 'Namespaced';
  const tag = groupVersionTag(r.group, r.version);
  const gvk: GroupVersionKind = { group: r.group, version: r.version, kind: r.kind };
  const typeName = resourceTypeName(r);
  const listTypeName = resourceListTypeName(r);
  const builtIn = isBuiltIn(r);
  const verbs = new Set(r.verbs);
  const collectionPath = namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}` : `${prefix}/${r.plural}`;
  const itemPath = `${collectionPath}/{name}`;
  const collectionParams = namespaced ? [namespaceParameter] : [];
  const itemParams = [...collectionParams, nameParameter(r.kind)];
  const paths: PathSpec[] = [];
  const listProduces = STREAM_MEDIA_TYPES;

  // The collection: list, create, deletecollection.
  const collectionOps: Operation[] = [];
  if (verbs.has('list')) {
    collectionOps.push({
      method: 'get',
      action: 'list',
      gvk,
      tag,
      operationId: operationId('list', r, { namespaced }),
      description: `List or watch ${r.kind} objects.`,
      query: LIST_PARAMS,
      responses: [ok(listTypeName), unauthorized],
      produces: listProduces,
    });
  }
  if (verbs.has('create')) {
    const op = itemOperation(r, { namespaced, kind: r.kind, gvk, typeName, suffix: '', what: `a ${r.kind}`, builtIn }, 'create', tag);
    if (op) collectionOps.push(op);
  }
  if (verbs.has('deletecollection')) {
    collectionOps.push({
      method: 'delete',
      action: 'deletecollection',
      gvk,
      tag,
      operationId: operationId('delete', r, { namespaced, collection: true }),
      description: `Delete a collection of ${r.kind} objects.`,
      query: DELETE_COLLECTION_PARAMS,
      body: { typeName: DELETE_OPTIONS, required: false },
      responses: [ok(STATUS), unauthorized],
      produces: MEDIA_TYPES,
    });
  }
  if (collectionOps.length) paths.push({ path: collectionPath, pathParameters: collectionParams, operations: collectionOps });

  // The item: get, update, patch, delete.
  const main: Target = { namespaced, kind: r.kind, gvk, typeName, suffix: '', what: `the ${r.kind} named in the path`, builtIn };
  const itemOps = (['get', 'update', 'patch', 'delete'] as Verb[])
    .filter((v) => verbs.has(v))
    .map((v) => itemOperation(r, main, v, tag))
    .filter((o): o is Operation => o !== undefined);
  if (itemOps.length) paths.push({ path: itemPath, pathParameters: itemParams, operations: itemOps });

  // Lists across all namespaces.
  if (namespaced && verbs.has('list')) {
    paths.push({
      path: `${prefix}/${r.plural}`,
      pathParameters: [],
      operations: [
        {
          method: 'get',
          action: 'list',
          gvk,
          tag,
          operationId: `${operationId('list', r, { namespaced: false })}ForAllNamespaces`,
          description: `List or watch ${r.kind} objects across all namespaces.`,
          query: LIST_PARAMS,
          responses: [ok(listTypeName), unauthorized],
          produces: listProduces,
        },
      ],
    });
  }

  // The legacy /watch/ paths.
  if (verbs.has('watch')) {
    const watchOp = (action: 'watch' | 'watchlist', id: string, description: string): Operation => ({
      method: 'get',
      action,
      gvk,
      tag,
      operationId: id,
      description,
      query: LIST_PARAMS,
      responses: [ok(WATCH_EVENT), unauthorized],
      produces: STREAM_MEDIA_TYPES,
    });
    const watchPrefix = `${prefix}/watch`;
    const watchCollection = namespaced ? `${watchPrefix}/namespaces/{namespace}/${r.plural}` : `${watchPrefix}/${r.plural}`;
    paths.push({
      path: watchCollection,
      pathParameters: collectionParams,
      operations: [watchOp('watchlist', `${operationId('watch', r, { namespaced })}List`, `Watch changes to ${r.kind} objects. Deprecated: list with watch=true instead.`)],
    });
    paths.push({
      path: `${watchCollection}/{name}`,
      pathParameters: itemParams,
      operations: [
        watchOp('watch', operationId('watch', r, { namespaced }), `Watch changes to one ${r.kind}. Deprecated: list with watch=true and a metadata.name field selector instead.`),
      ],
    });
    if (namespaced) {
      paths.push({
        path: `${watchPrefix}/${r.plural}`,
        pathParameters: [],
        operations: [
          watchOp('watchlist', `${operationId('watch', r, { namespaced: false })}ListForAllNamespaces`, `Watch changes to ${r.kind} objects across all namespaces. Deprecated: list with watch=true instead.`),
        ],
      });
    }
  }

  // Subresources.
  const sub = r.subresources;
  const subresourcePath = (name: string, target: Target, subVerbs: Verb[]) => {
    const ops = subVerbs.map((v) => itemOperation(r, target, v, tag)).filter((o): o is Operation => o !== undefined);
    if (ops.length) paths.push({ path: `${itemPath}/${name}`, pathParameters: itemParams, operations: ops });
  };
  if (sub?.status) {
    const statusVerbs = (['get', 'update', 'patch'] as Verb[]).filter((v) => verbs.has(v));
    subresourcePath('status', { ...main, suffix: 'Status', what: `the status of the ${r.kind} named in the path` }, statusVerbs);
  }
  if (sub?.scale) {
    const scaleType = typeExists(SCALE) ? SCALE : undefined;
    if (scaleType) {
      subresourcePath('scale', { namespaced, kind: 'Scale', gvk: SCALE_GVK, typeName: scaleType, suffix: 'Scale', what: `the scale of the ${r.kind} named in the path`, builtIn }, ['get', 'update', 'patch']);
    }
  }
  for (const other of sub?.others ?? []) {
    if (CONNECT_SUBRESOURCES.has(other.name)) continue;
    const kindType = subresourceTypeName(other.kind, r);
    if (!typeExists(kindType)) continue;
    const suffix = other.name[0]!.toUpperCase() + other.name.slice(1);
    const target: Target = { namespaced, kind: other.kind.kind, gvk: other.kind, typeName: kindType, suffix, what: `the ${other.name} of the ${r.kind} named in the path`, builtIn };
    subresourcePath(other.name, target, other.verbs);
  }
  return paths;
}

/** The type of a subresource's kind: the resource's own type, or the kind in its own package. */
function subresourceTypeName(kind: GroupVersionKind, r: ResourceDescription): string {
  if (kind.group === r.group && kind.version === r.version && kind.kind === r.kind) return resourceTypeName(r);
  return `${schemaPackage(kind.group, kind.version)}.${kind.kind}`;
}
