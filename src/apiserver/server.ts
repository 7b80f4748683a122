// The API server: HTTPS with client-certificate and service account token authentication,
// routing every request either to a non-resource endpoint (health, version, discovery,
// OpenAPI) or to the generic REST handlers driven by the resource registry.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../base/log.ts';
import { errors, StatusError } from '../api/status.ts';
import type { ApiContext, RequestContext, UserInfo } from './rest/context.ts';
import { parseRequestInfo, type ResourceRequestInfo } from './http/request-info.ts';
import { parseAccept } from './http/negotiate.ts';
import { sendJSON, sendStatusError, sendText, setWarnings } from './http/respond.ts';
import { ResourceStore, partialSubresource } from './rest/resource-store.ts';
import { handleGet, handleList, handleWatch } from './rest/read.ts';
import { handleCreate, handleUpdate, handleDelete, handleDeleteCollection, type Decoder } from './rest/write.ts';
import { handlePatch } from './rest/patch.ts';
import { handleScale } from './rest/scale.ts';
import { isReview, handleReview } from './rest/reviews.ts';
import { handleBinding, handleEviction } from './rest/pod-subresources.ts';
import { handleTokenRequest } from './rest/token-request.ts';
import { authenticateServiceAccountToken, type TokenSettings } from './serviceaccount/index.ts';
import { apiVersions, apiGroupList, apiGroupDoc, apiResourceList, aggregatedVersion, aggregatedDiscovery, aggregatedContentType } from './discovery.ts';
import { versionInfo } from './version.ts';

export interface Extension {
  /** Handles a request it owns (returns true), e.g. OpenAPI or a subresource. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, info: ReturnType<typeof parseRequestInfo>, rc: RequestContext): Promise<boolean>;
  /** Takes a connection upgrade it owns (returns true), e.g. pods/exec; user is undefined when unauthenticated. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo | undefined): boolean;
}

export interface ApiServerOptions {
  host: string;
  port: number;
  tls: { cert: string; key: string; ca: string };
  ctx: ApiContext;
  log: Logger;
  decoder: Decoder;
  extensions?: Extension[];
  /** Extra readiness checks for /readyz. */
  readyChecks?: Record<string, () => boolean>;
  /** Issue (serviceaccounts/token) and accept service account tokens; absent: neither. */
  serviceAccountTokens?: TokenSettings;
}

const HEALTH_PATHS = /^\/(healthz|livez|readyz)(\/.*)?$/;

export class ApiServer {
  readonly name = 'apiserver';
  readonly #opts: ApiServerOptions;
  readonly #rs: ResourceStore;
  #server: Server | undefined;
  #sockets = new Set<Duplex>();

  constructor(opts: ApiServerOptions) {
    this.#opts = opts;
    this.#rs = new ResourceStore(opts.ctx);
  }

  get resourceStore(): ResourceStore { return this.#rs; }

  get address(): AddressInfo | undefined {
    return this.#server?.address() as AddressInfo | undefined;
  }

  async start(signal: AbortSignal): Promise<void> {
    const { tls } = this.#opts;
    const server = createServer({ cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' }, (req, res) => {
      void this.#handle(req, res);
    });
    server.keepAliveTimeout = 90_000;
    server.headersTimeout = 60_000;
    server.requestTimeout = 0;
    server.on('connection', (s) => { this.#sockets.add(s); s.on('close', () => this.#sockets.delete(s)); });
    server.on('upgrade', (req, socket, head) => { void this.#upgrade(req, socket, head); });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#opts.port, this.#opts.host, () => { server.off('error', reject); resolve(); });
    });
    signal.addEventListener('abort', () => {
      server.close();
      for (const s of this.#sockets) s.destroy();
    }, { once: true });
  }

  async #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const user = await this.#authenticate(req).catch(() => undefined);
    for (const ext of this.#opts.extensions ?? []) if (ext.upgrade?.(req, socket, head, user)) return;
    socket.destroy();
  }

  /**
   * The user of a request, as upstream's authenticator chain finds it: a client certificate
   * first, then a bearer token. No credentials: undefined. A bearer token that does not
   * authenticate: 401, whatever the path.
   */
  async #authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const certUser = this.#certificateUser(req);
    if (certUser) return certUser;
    const token = bearerToken(req.headers.authorization);
    if (token === undefined) return undefined;
    const settings = this.#opts.serviceAccountTokens;
    const result = settings ? await authenticateServiceAccountToken(this.#opts.ctx, settings, token) : { ok: false as const, reason: 'invalid bearer token' };
    if (!result.ok) {
      this.#opts.log.debug('bearer token rejected', { reason: result.reason });
      throw errors.unauthorized();
    }
    // As upstream: once used, the token goes no further (nothing proxies it on).
    delete req.headers.authorization;
    return result.user;
  }

  /** The user of a connection, read once from its client certificate (reading it is costly). */
  readonly #users = new WeakMap<object, UserInfo | null>();

  #certificateUser(req: IncomingMessage): UserInfo | undefined {
    const socket = req.socket as TLSSocket;
    const known = this.#users.get(socket);
    if (known !== undefined) return known ?? undefined;
    const user = this.#userOf(socket);
    this.#users.set(socket, user ?? null);
    return user;
  }

  #userOf(socket: TLSSocket): UserInfo | undefined {
    if (!socket.authorized) return undefined;
    const cert = socket.getPeerCertificate();
    if (!cert?.subject) return undefined;
    const cn = cert.subject.CN;
    const o = cert.subject.O;
    const groups = Array.isArray(o) ? o : o ? [o] : [];
    return { username: (Array.isArray(cn) ? cn[0] : cn) ?? '', groups: [...groups, 'system:authenticated'] };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'https://apiserver');
    const rc: RequestContext = { user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, query: url.searchParams, warnings: [] };
    try {
      const user = await this.#authenticate(req);
      if (!user) {
        if (!HEALTH_PATHS.test(url.pathname)) throw errors.unauthorized();
      } else rc.user = user;
      const info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      for (const ext of this.#opts.extensions ?? []) {
        if (await ext.handle(req, res, url, info, rc)) return;
      }
      if (info.kind === 'nonresource') await this.#nonResource(req, res, url, info);
      else await this.#resource(req, res, info, rc);
    } catch (err) {
      if (!(err instanceof StatusError)) this.#opts.log.error('request failed', { method: req.method, path: url.pathname, err: (err as Error)?.stack ?? err });
      setWarnings(res, rc.warnings);
      sendStatusError(res, err);
    } finally {
      const ms = performance.now() - started;
      if (ms > 1000 && !url.searchParams.has('watch')) this.#opts.log.debug('slow request', { method: req.method, path: url.pathname, ms: Math.round(ms) });
    }
  }

  async #nonResource(req: IncomingMessage, res: ServerResponse, url: URL, info: { path: string; group?: string; version?: string }): Promise<void> {
    const { ctx } = this.#opts;
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const health = HEALTH_PATHS.exec(path);
    if (health) {
      const checks: Record<string, () => boolean> = { ping: () => true, 'watch-cache': () => ctx.cache.ready, ...(health[1] === 'readyz' ? this.#opts.readyChecks ?? {} : {}) };
      const failed = Object.entries(checks).filter(([, f]) => !f()).map(([n]) => n);
      if (url.searchParams.has('verbose')) {
        const lines = Object.keys(checks).map((n) => `[${failed.includes(n) ? '-' : '+'}]${n} ${failed.includes(n) ? 'failed' : 'ok'}`);
        sendText(res, failed.length ? 500 : 200, `${lines.join('\n')}\n${health[1]} check ${failed.length ? 'failed' : 'passed'}\n`);
      } else sendText(res, failed.length ? 500 : 200, failed.length ? `${failed.map((n) => `[-]${n} failed`).join('\n')}\n${health[1]} check failed\n` : 'ok');
      return;
    }
    if (path === '/version') { sendJSON(res, 200, versionInfo()); return; }
    const accept = parseAccept(req.headers.accept);
    if (path === '/api' || path === '/apis') {
      const agg = aggregatedVersion(accept);
      if (agg) { sendJSON(res, 200, aggregatedDiscovery(ctx.registry, path === '/api', agg), aggregatedContentType(agg)); return; }
      if (path === '/api') sendJSON(res, 200, apiVersions(`${req.socket.localAddress}:${req.socket.localPort}`));
      else sendJSON(res, 200, apiGroupList(ctx.registry));
      return;
    }
    if (info.group !== undefined && info.version !== undefined && ctx.registry.hasGroupVersion(info.group, info.version) && path === (info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`)) {
      sendJSON(res, 200, apiResourceList(ctx.registry, info.group, info.version));
      return;
    }
    if (info.group && info.version === undefined && path === `/apis/${info.group}`) {
      const doc = apiGroupDoc(ctx.registry, info.group);
      if (doc) { sendJSON(res, 200, doc); return; }
    }
    if (path === '/') {
      sendJSON(res, 200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version'] });
      return;
    }
    throw errors.pathNotFound();
  }

  async #resource(req: IncomingMessage, res: ServerResponse, info: ResourceRequestInfo, rc: RequestContext): Promise<void> {
    const { ctx } = this.#opts;
    const desc = ctx.registry.lookup(info.group, info.version, info.resource);
    if (!desc) throw errors.pathNotFound();
    if (desc.scope === 'Cluster' && info.namespace && info.resource !== 'namespaces') throw errors.pathNotFound();
    const ns = info.namespace;
    const sub = info.subresource;
    const verb = info.verb;
    const allowed = (v: string) => (desc.verbs as string[]).includes(v);
    if (sub) {
      const known = (sub === 'status' && desc.subresources?.status) || (sub === 'scale' && desc.subresources?.scale) ||
        (desc.subresources?.others ?? []).some((o) => o.name === sub);
      if (!known) throw errors.pathNotFound();
      if (sub === 'scale') return handleScale(ctx, this.#rs, desc, ns, info.name, verb, req, res, rc);
      if (sub === 'token' && desc.group === '' && desc.plural === 'serviceaccounts' && verb === 'create' && this.#opts.serviceAccountTokens) {
        return handleTokenRequest(ctx, this.#rs, this.#opts.serviceAccountTokens, ns, info.name, req, wrapWarnings(res, rc), rc, this.#opts.decoder);
      }
      if (desc.group === '' && desc.plural === 'pods' && verb === 'create') {
        if (sub === 'binding') return handleBinding(ctx, this.#rs, desc, ns, info.name, req, res, rc);
        if (sub === 'eviction') return handleEviction(ctx, this.#rs, desc, ns, info.name, req, res, rc);
      }
      if (partialSubresource(desc, sub)) {
        if (verb === 'get') return handleGet(ctx, this.#rs, desc, ns, info.name, req, res, rc);
        if (verb === 'update') return handleUpdate(ctx, this.#rs, desc, ns, info.name, sub, req, res, rc, this.#opts.decoder);
        if (verb === 'patch') return handlePatch(ctx, this.#rs, desc, info, req, wrapWarnings(res, rc), rc);
      }
      if (sub === 'status' || sub === 'finalize') {
        if (verb === 'get') return handleGet(ctx, this.#rs, desc, ns, info.name, req, res, rc);
        if (verb === 'update') return handleUpdate(ctx, this.#rs, desc, ns, info.name, sub, req, res, rc, this.#opts.decoder);
        if (verb === 'patch' && sub === 'status') return handlePatch(ctx, this.#rs, desc, info, req, wrapWarnings(res, rc), rc);
      }
      throw errors.methodNotAllowed();
    }
    if (!allowed(verb)) throw errors.methodNotAllowed();
    setWarnings(res, rc.warnings);
    switch (verb) {
      case 'get': return handleGet(ctx, this.#rs, desc, ns, info.name, req, res, rc);
      case 'list': return handleList(ctx, desc, ns, req, res, rc);
      case 'watch': return handleWatch(ctx, desc, ns, info.name, req, res, rc);
      case 'create':
        if (info.name) throw errors.methodNotAllowed();
        if (isReview(desc)) return handleReview(ctx, desc, req, wrapWarnings(res, rc), rc, this.#opts.decoder);
        if (desc.group === '' && desc.plural === 'bindings') return handleBinding(ctx, this.#rs, ctx.registry.lookup('', 'v1', 'pods')!, ns, '', req, res, rc);
        await handleCreate(ctx, this.#rs, desc, ns, req, wrapWarnings(res, rc), rc, this.#opts.decoder);
        return;
      case 'update': return handleUpdate(ctx, this.#rs, desc, ns, info.name, '', req, wrapWarnings(res, rc), rc, this.#opts.decoder);
      case 'patch': return handlePatch(ctx, this.#rs, desc, info, req, wrapWarnings(res, rc), rc);
      case 'delete': return handleDelete(ctx, this.#rs, desc, ns, info.name, req, res, rc);
      case 'deletecollection': return handleDeleteCollection(ctx, this.#rs, desc, ns, req, res, rc);
    }
    throw errors.methodNotAllowed();
  }
}

/** The token of an `Authorization: Bearer <token>` header, read as upstream does; undefined when there is none. */
export function bearerToken(header: string | undefined): string | undefined {
  const auth = (header ?? '').trim();
  if (!auth) return undefined;
  const parts = auth.split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer' || !parts[1]) return undefined;
  return parts[1];
}

/** Warnings collected while decoding are sent as headers just before the response head. */
function wrapWarnings(res: ServerResponse, rc: RequestContext): ServerResponse {
  const writeHead = res.writeHead.bind(res);
  (res as any).writeHead = (...args: any[]) => { setWarnings(res, rc.warnings); return (writeHead as any)(...args); };
  return res;
}
