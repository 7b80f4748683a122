// The OpenAPI 3.0 documents served under /openapi/v3: an index naming one document per
// group/version (with a content hash in its URL), and the documents themselves, each holding
// that group/version's paths and only the schemas those paths reach.
import { createHash } from 'node:crypto';
import type { TypeDefs } from '../../api/schema/model.ts';
import type { ResourceDescription } from '../../api/registry/resource.ts';
import { ContentCache } from './content-cache.ts';
import { DEFAULT_INFO, mergePaths, type OpenApiInfo } from './openapi-v2.ts';
import { PRETTY_PARAMETER, resourcePaths, type Operation, type PathSpec, type QueryParameter } from './operations.ts';
import { SchemaCatalog, type JsonSchema } from './schema-catalog.ts';
import { groupVersionPath } from './type-names.ts';

export interface SerializedDocument {
  /** The exact bytes to serve. */
  json: string;
  /** Upper-case hex SHA-512 of `json`: the ETag and the `hash` query parameter. */
  hash: string;
}

export interface OpenApiV3 {
  /** The /openapi/v3 index: {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=…"}}}. */
  index(): Record<string, unknown>;
  /** The index as served, with its hash. */
  serializedIndex(): SerializedDocument;
  /** The document of one group/version path ('api/v1', 'apis/apps/v1'), or undefined if not served. */
  document(groupVersionPath: string): Record<string, unknown> | undefined;
  /** That document as served, with its hash. */
  serialized(groupVersionPath: string): SerializedDocument | undefined;
  /** The group/version paths served, sorted. */
  groupVersionPaths(): string[];
}

const cache = new ContentCache<OpenApiV3>();

/** Builds (or returns the cached) set of OpenAPI 3.0 documents; each is built on first use. */
export function buildOpenApiV3(defs: TypeDefs, resources: ResourceDescription[], info: OpenApiInfo = DEFAULT_INFO): OpenApiV3 {
  return cache.get([defs, resources, info], () => new OpenApiV3Documents(defs, resources, info));
}

/** Upper-case hex SHA-512, as kube-openapi computes ETags. */
export function openApiHash(json: string): string {
  return createHash('sha512').update(json).digest('hex').toUpperCase();
}

class OpenApiV3Documents implements OpenApiV3 {
  private readonly catalog: SchemaCatalog;
  private readonly pathsByGroupVersion = new Map<string, PathSpec[]>();
  private readonly info: OpenApiInfo;
  private readonly documents = new Map<string, { doc: Record<string, unknown>; serialized: SerializedDocument }>();
  private indexCache?: { doc: Record<string, unknown>; serialized: SerializedDocument };

  constructor(defs: TypeDefs, resources: ResourceDescription[], info: OpenApiInfo) {
    this.catalog = new SchemaCatalog(defs, resources);
    this.info = info;
    for (const r of resources) {
      const key = groupVersionPath(r.group, r.version);
      const list = this.pathsByGroupVersion.get(key) ?? [];
      list.push(...resourcePaths(r, (n) => this.catalog.has(n)));
      this.pathsByGroupVersion.set(key, list);
    }
  }

  groupVersionPaths(): string[] {
    return [...this.pathsByGroupVersion.keys()].sort();
  }

  private built(gv: string) {
    let entry = this.documents.get(gv);
    if (!entry) {
      const specs = this.pathsByGroupVersion.get(gv);
      if (!specs) return undefined;
      const doc = this.build(mergePaths(specs));
      const json = JSON.stringify(doc);
      entry = { doc, serialized: { json, hash: openApiHash(json) } };
      this.documents.set(gv, entry);
    }
    return entry;
  }

  document(gv: string) {
    return this.built(gv)?.doc;
  }

  serialized(gv: string) {
    return this.built(gv)?.serialized;
  }

  index() {
    return this.indexEntry().doc;
  }

  serializedIndex() {
    return this.indexEntry().serialized;
  }

  private indexEntry() {
    if (!this.indexCache) {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const gv of this.groupVersionPaths()) {
        const hash = this.built(gv)!.serialized.hash;
        paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${hash}` };
      }
      const doc = { paths };
      const json = JSON.stringify(doc);
      this.indexCache = { doc, serialized: { json, hash: openApiHash(json) } };
    }
    return this.indexCache;
  }

  private build(specs: PathSpec[]): Record<string, unknown> {
    const roots = new Set<string>();
    const paths: Record<string, unknown> = {};
    for (const spec of specs) paths[spec.path] = this.pathItem(spec, roots);
    const schemas: Record<string, JsonSchema> = {};
    for (const name of this.catalog.reachable(roots)) schemas[name] = this.catalog.render(name, 'v3');
    return {
      openapi: '3.0.0',
      info: { title: this.info.title, version: this.info.version },
      paths,
      components: { schemas },
    };
  }

  private schemaFor(typeName: string, roots: Set<string>): JsonSchema {
    if (this.catalog.has(typeName)) roots.add(typeName);
    return this.catalog.renderRef({ ref: typeName }, 'v3');
  }

  private pathItem(spec: PathSpec, roots: Set<string>): Record<string, unknown> {
    const item: Record<string, unknown> = {};
    for (const op of spec.operations) item[op.method] = this.operation(op, roots);
    item.parameters = [
      ...spec.pathParameters.map((p) => ({ name: p.name, in: 'path', description: p.description, required: true, schema: { type: 'string', uniqueItems: true } })),
      queryParameter(PRETTY_PARAMETER),
    ];
    return item;
  }

  private operation(op: Operation, roots: Set<string>): Record<string, unknown> {
    const out: Record<string, unknown> = {
      tags: [op.tag],
      description: op.description,
      operationId: op.operationId,
      parameters: op.query.map(queryParameter),
    };
    if (op.body) {
      const schema = this.schemaFor(op.body.typeName, roots);
      const content: Record<string, { schema: JsonSchema }> = {};
      for (const type of op.patchTypes ?? ['*/*']) content[type] = { schema };
      out.requestBody = op.body.required ? { content, required: true } : { content };
    }
    const responses: Record<string, unknown> = {};
    for (const r of op.responses) {
      if (!r.typeName) {
        responses[r.code] = { description: r.description };
        continue;
      }
      const schema = this.schemaFor(r.typeName, roots);
      const content: Record<string, { schema: JsonSchema }> = {};
      for (const type of op.produces) content[type] = { schema };
      responses[r.code] = { description: r.description, content };
    }
    out.responses = responses;
    out['x-kubernetes-action'] = op.action;
    out['x-kubernetes-group-version-kind'] = { group: op.gvk.group, version: op.gvk.version, kind: op.gvk.kind };
    return out;
  }
}

function queryParameter(p: QueryParameter): JsonSchema {
  return { name: p.name, in: 'query', description: p.description, schema: { type: p.type, uniqueItems: true } };
}
