// Serves /openapi/v2 (gnostic protobuf, or JSON when asked) and /openapi/v3 (index and one
// document per group/version, addressed by content hash), rebuilt when the registry changes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext, RequestContext } from './rest/context.ts';
import type { Extension } from './server.ts';
import { buildOpenApiV2, buildOpenApiV3, encodeOpenApiV2Protobuf, OPENAPI_V2_PROTOBUF_CONTENT_TYPE, type OpenApiV3 } from './openapi/index.ts';
import { parseAccept } from './http/negotiate.ts';
import { errors } from '../api/status.ts';

export class OpenApiHandler implements Extension {
  readonly #ctx: ApiContext;
  #generation = -1;
  #v2json: string | undefined;
  #v2proto: Uint8Array | undefined;
  #v3: OpenApiV3 | undefined;

  constructor(ctx: ApiContext) { this.#ctx = ctx; }

  #fresh(): void {
    if (this.#generation === this.#ctx.registry.generation) return;
    this.#generation = this.#ctx.registry.generation;
    this.#v2json = undefined;
    this.#v2proto = undefined;
    this.#v3 = undefined;
  }

  #v2doc() { return buildOpenApiV2(this.#ctx.defs, this.#ctx.registry.all()); }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, _info: unknown, _rc: RequestContext): Promise<boolean> {
    const path = url.pathname;
    if (path !== '/openapi/v2' && path !== '/swagger-2.0.0.pb-v1' && path !== '/openapi/v3' && !path.startsWith('/openapi/v3/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') throw errors.methodNotSupported('', 'openapi', req.method ?? '');
    this.#fresh();
    if (path === '/openapi/v2' || path === '/swagger-2.0.0.pb-v1') {
      const accept = parseAccept(req.headers.accept);
      const wantsProto = path === '/swagger-2.0.0.pb-v1' || accept.some((m) => m.type.startsWith('application/com.github.proto-openapi.spec.v2'));
      if (wantsProto) {
        this.#v2proto ??= encodeOpenApiV2Protobuf(this.#v2doc());
        res.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTOBUF_CONTENT_TYPE, 'Content-Length': this.#v2proto.byteLength });
        res.end(this.#v2proto);
      } else {
        this.#v2json ??= JSON.stringify(this.#v2doc());
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(this.#v2json) });
        res.end(this.#v2json);
      }
      return true;
    }
    this.#v3 ??= buildOpenApiV3(this.#ctx.defs, this.#ctx.registry.all());
    if (path === '/openapi/v3' || path === '/openapi/v3/') {
      const idx = this.#v3.serializedIndex();
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(idx.json), Etag: `"${idx.hash}"` });
      res.end(idx.json);
      return true;
    }
    const gv = path.slice('/openapi/v3/'.length);
    const doc = this.#v3.serialized(gv);
    if (!doc) throw errors.pathNotFound();
    const hash = url.searchParams.get('hash');
    if (hash && hash !== doc.hash) {
      // A stale hash moves to the current document, as upstream.
      res.writeHead(301, { Location: `/openapi/v3/${gv}?hash=${doc.hash}`, 'Content-Length': 0 });
      res.end();
      return true;
    }
    const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(doc.json), Etag: `"${doc.hash}"` };
    if (hash) headers['Cache-Control'] = 'public, immutable';
    res.writeHead(200, headers);
    res.end(doc.json);
    return true;
  }
}
