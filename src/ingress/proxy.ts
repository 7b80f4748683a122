// The data plane: one HTTP request (or Upgrade) in, forwarded to a ready endpoint of the backend
// the router picked, directly to the pod's address (as ingress-nginx does), over kept-alive
// connections. Bodies stream both ways. The client's forwarding headers are replaced by ours
// (X-Forwarded-For/-Proto/-Host/-Port, X-Real-IP), as both ingress-nginx and Traefik do by
// default; Host passes through. Connection failures try the next endpoint while the request
// body is untouched; then 502 (504 on a timeout). No error of a client or backend escapes.
import { request, STATUS_CODES, type Agent, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../base/log.ts';
import { errorPage, rawErrorResponse } from './error-pages.ts';
import { endpointId, RoundRobin, type Decision } from './router.ts';

export type Scheme = 'http' | 'https';

export interface ProxyOptions {
  /** The routing decision for a request's Host header and target. */
  decide(host: string | undefined, target: string | undefined): Decision;
  /** Keep-alive agent for backend connections. */
  agent: Agent;
  log: Logger;
  /** Give up connecting to an endpoint after this long (ms); default 5000 (nginx's proxy_connect_timeout). */
  connectTimeoutMs?: number;
  /** Give up when a backend sends nothing for this long (ms); default 60000 (nginx's proxy_read_timeout). */
  readTimeoutMs?: number;
  /** Endpoints tried per request when connecting fails; default 3 (nginx's proxy_next_upstream_tries is 3 in ingress-nginx). */
  maxAttempts?: number;
}

/** Headers that describe one connection, never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** Expect: 100-continue was answered to the client already (node's server does); the backend needs no second one. */
const ANSWERED_HERE = new Set(['expect']);
/** Headers a client could forge; ours replace them. */
const FORWARDING = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'x-real-ip', 'forwarded']);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
const RETRYABLE_CONNECT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EADDRNOTAVAIL', 'NAVARCH_CONNECT_TIMEOUT']);
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

export const clientAddress = (s: { remoteAddress?: string } | undefined): string => (s?.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.)/, '');

function connectionTokens(v: string | string[] | undefined): Set<string> {
  const raw = Array.isArray(v) ? v.join(',') : (v ?? '');
  return new Set(raw.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
}

/** The headers to send to the backend. With `upgrade`, Upgrade and Connection: Upgrade stay. */
export function forwardHeaders(req: IncomingMessage, scheme: Scheme, upgrade = false): OutgoingHttpHeaders {
  const drop = connectionTokens(req.headers.connection);
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers as IncomingHttpHeaders)) {
    if (v === undefined || HOP_BY_HOP.has(k) || FORWARDING.has(k) || ANSWERED_HERE.has(k) || drop.has(k)) continue;
    out[k] = v;
  }
  const ip = clientAddress(req.socket);
  const host = req.headers.host ?? '';
  out['x-real-ip'] = ip;
  out['x-forwarded-for'] = ip;
  out['x-forwarded-host'] = host;
  out['x-forwarded-port'] = String(req.socket.localPort ?? '');
  out['x-forwarded-proto'] = scheme;
  if (upgrade && req.headers.upgrade) {
    out.upgrade = req.headers.upgrade;
    out.connection = 'Upgrade';
  }
  return out;
}

/** The backend's response headers for the client, as a flat raw list (keeps repeated Set-Cookie). */
export function responseHeaders(res: IncomingMessage, keepUpgrade = false): string[] {
  const drop = connectionTokens(res.headers.connection);
  const out: string[] = [];
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!.toLowerCase();
    if (keepUpgrade && (k === 'connection' || k === 'upgrade')) { out.push(raw[i]!, raw[i + 1]!); continue; }
    if (HOP_BY_HOP.has(k) || drop.has(k)) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** The request target to send: origin-form (an absolute-form target loses its scheme and authority). */
function originForm(url: string | undefined): string {
  if (!url) return '/';
  if (url.startsWith('/')) return url;
  try { const u = new URL(url); return u.pathname + u.search; } catch { return '/'; }
}

const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

function failure(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

export class IngressProxy {
  readonly #opts: ProxyOptions;
  readonly #rr = new RoundRobin();
  readonly #upgraded = new Set<Duplex>();

  constructor(opts: ProxyOptions) {
    this.#opts = opts;
  }

  /** Sockets taken over by upgrades (WebSockets) still open. */
  get upgradedConnections(): number { return this.#upgraded.size; }

  /** Closes every upgraded connection (at shutdown). */
  closeUpgraded(): void {
    for (const s of this.#upgraded) s.destroy();
    this.#upgraded.clear();
  }

  #send(res: ServerResponse, status: number, detail: string): void {
    if (res.headersSent) { res.destroy(); return; }
    const body = errorPage(status, detail);
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
    res.end(body);
  }

  /** The answer when the router does not proxy: 404 or 503, with what is missing. */
  #refusal(d: Exclude<Decision, { kind: 'proxy' }>): { status: number; detail: string } {
    if (d.kind === 'not-found') return { status: 404, detail: `No Ingress rule matches host "${d.host}" and path "${d.path}", and no default backend is set.` };
    return { status: 503, detail: `The backend is not available: ${d.message}.` };
  }

  /** Serves one request (the `request` event of the http/https server). */
  handle(req: IncomingMessage, res: ServerResponse, scheme: Scheme): void {
    req.on('error', () => { /* the client went away; the backend request is torn down on close */ });
    res.on('error', () => { /* the client went away */ });
    let d: Decision;
    try {
      d = this.#opts.decide(req.headers.host, req.url);
    } catch (err) {
      this.#opts.log.error('routing failed', { err });
      this.#send(res, 500, 'The ingress controller failed to route this request.');
      return;
    }
    if (d.kind !== 'proxy') {
      const r = this.#refusal(d);
      this.#send(res, r.status, r.detail);
      return;
    }
    this.#forward(req, res, scheme, d, new Set(), 1);
  }

  #forward(req: IncomingMessage, res: ServerResponse, scheme: Scheme, d: Extract<Decision, { kind: 'proxy' }>, tried: Set<string>, attempt: number): void {
    const { log, agent } = this.#opts;
    const ep = this.#rr.pick(d.key, d.endpoints, tried);
    if (!ep) { this.#send(res, 502, `Could not connect to any endpoint of ${d.key}.`); return; }
    const body = hasBody(req);
    let bodyStarted = false;
    let responded = false;
    let connectTimer: NodeJS.Timeout | undefined;
    const preq: ClientRequest = request({
      agent, host: ep.host, port: ep.port, method: req.method, path: originForm(req.url),
      headers: forwardHeaders(req, scheme), timeout: this.#opts.readTimeoutMs ?? 60_000,
    });
    const startBody = () => {
      if (connectTimer) clearTimeout(connectTimer);
      if (!body || bodyStarted) return;
      bodyStarted = true;
      req.pipe(preq);
    };
    preq.on('socket', (s: Socket) => {
      if (s.connecting) {
        connectTimer = setTimeout(() => preq.destroy(failure('connect timed out', 'NAVARCH_CONNECT_TIMEOUT')), this.#opts.connectTimeoutMs ?? 5000);
        s.once('connect', startBody);
      } else startBody();
    });
    if (!body) preq.end();
    const onClientClose = () => { if (!res.writableFinished) preq.destroy(); };
    res.once('close', onClientClose);
    req.once('error', () => preq.destroy());
    preq.on('timeout', () => preq.destroy(failure('backend timed out', 'NAVARCH_READ_TIMEOUT')));
    preq.on('response', (pres) => {
      responded = true;
      pres.on('error', () => res.destroy());
      if (res.destroyed) { pres.resume(); return; }
      try {
        res.writeHead(pres.statusCode ?? 502, pres.statusMessage || STATUS_CODES[pres.statusCode ?? 502], responseHeaders(pres));
      } catch (err) {
        log.warn('backend response refused', { backend: d.key, endpoint: `${ep.host}:${ep.port}`, err });
        pres.resume();
        this.#send(res, 502, `The backend ${d.key} sent an invalid response.`);
        return;
      }
      pres.pipe(res);
    });
    preq.on('error', (err: NodeJS.ErrnoException) => {
      if (connectTimer) clearTimeout(connectTimer);
      if (res.destroyed || (res.writableFinished && responded)) return;
      if (responded) { res.destroy(); return; }
      const code = err.code ?? '';
      tried.add(endpointId(ep));
      const untried = d.endpoints.some((e) => !tried.has(endpointId(e)));
      const retry = !bodyStarted && untried && attempt < (this.#opts.maxAttempts ?? 3) &&
        (RETRYABLE_CONNECT.has(code) || (preq.reusedSocket && STALE_SOCKET.has(code) && !body && IDEMPOTENT.has(req.method ?? '')));
      const where = `${ep.host}:${ep.port}`;
      if (retry) {
        res.off('close', onClientClose);
        log.debug('backend connection failed; trying the next endpoint', { backend: d.key, endpoint: where, err: code || err });
        this.#forward(req, res, scheme, d, tried, attempt + 1);
        return;
      }
      log.warn('backend request failed', { backend: d.key, endpoint: where, err: code || err });
      if (code === 'NAVARCH_CONNECT_TIMEOUT' || code === 'NAVARCH_READ_TIMEOUT') this.#send(res, 504, `The backend ${d.key} (${where}) did not answer in time.`);
      else this.#send(res, 502, `Could not reach the backend ${d.key} at ${where}: ${code || err.message}.`);
    });
  }

  /** Serves one Upgrade request (the `upgrade` event): the backend's 101 joins the two sockets. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, scheme: Scheme): void {
    const { log } = this.#opts;
    socket.on('error', () => socket.destroy());
    let d: Decision;
    try {
      d = this.#opts.decide(req.headers.host, req.url);
    } catch (err) {
      log.error('routing failed', { err });
      socket.end(rawErrorResponse(500, 'The ingress controller failed to route this request.'));
      return;
    }
    if (d.kind !== 'proxy') {
      const r = this.#refusal(d);
      socket.end(rawErrorResponse(r.status, r.detail));
      return;
    }
    const ep = this.#rr.pick(d.key, d.endpoints)!;
    const where = `${ep.host}:${ep.port}`;
    let answered = false;
    // Tracked from now on, so a shutdown also ends handshakes still waiting for the backend.
    this.#upgraded.add(socket);
    socket.once('close', () => { this.#upgraded.delete(socket); if (!answered) preq.destroy(); });
    const preq = request({
      agent: false, host: ep.host, port: ep.port, method: req.method, path: originForm(req.url),
      headers: forwardHeaders(req, scheme, true), timeout: this.#opts.readTimeoutMs ?? 60_000,
    });
    const connectTimer = setTimeout(() => preq.destroy(failure('connect timed out', 'NAVARCH_CONNECT_TIMEOUT')), this.#opts.connectTimeoutMs ?? 5000);
    preq.on('socket', (s: Socket) => s.once('connect', () => clearTimeout(connectTimer)));
    preq.on('timeout', () => { if (!answered) preq.destroy(failure('backend timed out', 'NAVARCH_READ_TIMEOUT')); });
    preq.on('upgrade', (pres, backend: Socket, backendHead: Buffer) => {
      answered = true;
      clearTimeout(connectTimer);
      if (socket.destroyed) { backend.destroy(); return; }
      const lines = [`HTTP/1.1 ${pres.statusCode ?? 101} ${pres.statusMessage || 'Switching Protocols'}`];
      const h = responseHeaders(pres, true);
      for (let i = 0; i + 1 < h.length; i += 2) lines.push(`${h[i]}: ${h[i + 1]}`);
      socket.write(lines.join('\r\n') + '\r\n\r\n');
      if (backendHead.length) socket.write(backendHead);
      if (head.length) backend.write(head);
      backend.setTimeout(0);
      backend.setNoDelay(true);
      const close = () => { this.#upgraded.delete(socket); socket.destroy(); backend.destroy(); };
      backend.on('error', close);
      backend.on('close', close);
      socket.on('close', close);
      socket.on('error', close);
      backend.pipe(socket);
      socket.pipe(backend);
    });
    preq.on('response', (pres) => {
      // The backend declined the upgrade: pass its answer on and close.
      answered = true;
      clearTimeout(connectTimer);
      const lines = [`HTTP/1.1 ${pres.statusCode ?? 502} ${pres.statusMessage || STATUS_CODES[pres.statusCode ?? 502] || ''}`];
      const h = responseHeaders(pres);
      for (let i = 0; i + 1 < h.length; i += 2) if (h[i]!.toLowerCase() !== 'content-length') lines.push(`${h[i]}: ${h[i + 1]}`);
      lines.push('Connection: close');
      socket.write(lines.join('\r\n') + '\r\n\r\n');
      pres.on('error', () => socket.destroy());
      pres.pipe(socket);
    });
    preq.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      if (answered || socket.destroyed) return;
      log.warn('backend upgrade failed', { backend: d.key, endpoint: where, err: err.code || err });
      const timeout = err.code === 'NAVARCH_CONNECT_TIMEOUT' || err.code === 'NAVARCH_READ_TIMEOUT';
      socket.end(rawErrorResponse(timeout ? 504 : 502, timeout ? `The backend ${d.key} (${where}) did not answer in time.` : `Could not reach the backend ${d.key} at ${where}: ${err.code || err.message}.`));
    });
    preq.end();
  }
}
