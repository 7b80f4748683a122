// The Swagger 2.0 document served at /openapi/v2: every definition of the schema model and
// every resource's paths. kubectl 1.27/1.28 load it (as protobuf) for apply, explain and
// client-side validation, and check its PATCH operations for the fieldValidation parameter.
import type { TypeDefs } from '../../api/schema/model.ts';
import type { ResourceDescription } from '../../api/registry/resource.ts';
import { ContentCache } from './content-cache.ts';
import { PRETTY_PARAMETER, resourcePaths, type Operation, type PathSpec, type QueryParameter } from './operations.ts';
import { SchemaCatalog, type JsonSchema } from './schema-catalog.ts';

export interface OpenApiInfo {
  title: string;
  version: string;
}

export const DEFAULT_INFO: OpenApiInfo = { title: 'Kubernetes', version: 'unversioned' };

const cache = new ContentCache<Record<string, unknown>>();

/** Builds (or returns the cached) Swagger 2.0 document. Treat the result as read-only. */
export function buildOpenApiV2(defs: TypeDefs, resources: ResourceDescription[], info: OpenApiInfo = DEFAULT_INFO): Record<string, unknown> {
  return cache.get([defs, resources, info], () => build(defs, resources, info));
}

function build(defs: TypeDefs, resources: ResourceDescription[], info: OpenApiInfo): Record<string, unknown> {
  const catalog = new SchemaCatalog(defs, resources);
  const allPaths = resources.flatMap((r) => resourcePaths(r, (n) => catalog.has(n)));
  const paths: Record<string, unknown> = {};
  for (const spec of mergePaths(allPaths)) paths[spec.path] = pathItem(spec, catalog);
  const definitions: Record<string, JsonSchema> = {};
  for (const name of catalog.names()) definitions[name] = catalog.render(name, 'v2');
  return {
    swagger: '2.0',
    info: { title: info.title, version: info.version },
    paths,
    definitions,
  };
}

/** Paths sorted, with operations of the same path (from different resources) merged. */
export function mergePaths(specs: PathSpec[]): PathSpec[] {
  const byPath = new Map<string, PathSpec>();
  for (const s of specs) {
    const existing = byPath.get(s.path);
    if (!existing) byPath.set(s.path, { ...s, operations: [...s.operations] });
    else for (const op of s.operations) if (!existing.operations.some((o) => o.method === op.method)) existing.operations.push(op);
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function queryParameter(p: QueryParameter): JsonSchema {
  return { name: p.name, in: 'query', description: p.description, type: p.type, uniqueItems: true };
}

function pathItem(spec: PathSpec, catalog: SchemaCatalog): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const op of spec.operations) item[op.method] = operation(op, catalog);
  item.parameters = [
    ...spec.pathParameters.map((p) => ({ name: p.name, in: 'path', required: true, description: p.description, type: 'string', uniqueItems: true })),
    queryParameter(PRETTY_PARAMETER),
  ];
  return item;
}

function schemaFor(typeName: string, catalog: SchemaCatalog): JsonSchema {
  return catalog.renderRef({ ref: typeName }, 'v2');
}

function operation(op: Operation, catalog: SchemaCatalog): Record<string, unknown> {
  const parameters: JsonSchema[] = [];
  if (op.body) parameters.push({ name: 'body', in: 'body', required: op.body.required, schema: schemaFor(op.body.typeName, catalog) });
  parameters.push(...op.query.map(queryParameter));
  const responses: Record<string, unknown> = {};
  for (const r of op.responses) responses[r.code] = r.typeName ? { description: r.description, schema: schemaFor(r.typeName, catalog) } : { description: r.description };
  return {
    description: op.description,
    consumes: op.patchTypes ?? ['*/*'],
    produces: op.produces,
    schemes: ['https'],
    tags: [op.tag],
    operationId: op.operationId,
    parameters,
    responses,
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version },
  };
}
