// One GET as the kubelet's Go HTTP client makes it for probes and lifecycle hooks: no keep-alive,
// no proxy, TLS without verification, redirects followed only while they stay on the same host
// (at most 10), a bounded body read, and Go's error texts (`Get "<url>": dial tcp ...`), which
// end up in events users read.
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import type { Socket } from 'node:net';
import { goQuote, joinHostPort } from './go-format.ts';

export interface HttpGetRequest {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** Path as the spec wrote it (may carry a query). */
  path: string;
  /** Header fields in order; a name may repeat. */
  headers: [string, string][];
  /** The whole exchange, body included; 0 = no limit. */
  timeoutMs: number;
  maxBodyBytes: number;
  signal?: AbortSignal;
}

export interface HttpGetResponse {
  status: number;
  statusText: string;
  /** At most maxBodyBytes of the body. */
  body: string;
  /** The URL that answered (after redirects). */
  url: string;
}

/** The exchange failed; `message` is Go's text. `whileReadingBody`: the status line had arrived. */
export class HttpGetError extends Error {
  readonly whileReadingBody: boolean;
  constructor(message: string, whileReadingBody: boolean) {
    super(message);
    this.whileReadingBody = whileReadingBody;
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

interface Target {
  protocol: 'http' | 'https';
  hostname: string;
  port: number;
  requestPath: string;
  display: string;
}

class Timeout extends Error {}
class Canceled extends Error {}

/** The URL upstream builds (scheme://host:port + path) in Go's printed form. */
export function displayUrl(scheme: string, host: string, port: number, path: string): string {
  let p = path.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
  if (p !== '' && !p.startsWith('/') && !p.startsWith('?')) p = '/' + p;
  return `${scheme}://${joinHostPort(host, port)}${p}`;
}

function firstTarget(req: HttpGetRequest): Target {
  const display = displayUrl(req.scheme, req.host, req.port, req.path);
  let requestPath = req.path.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
  if (!requestPath.startsWith('/')) requestPath = '/' + requestPath;
  return { protocol: req.scheme, hostname: req.host, port: req.port, requestPath, display };
}

const bare = (h: string) => h.replace(/^\[|\]$/g, '').toLowerCase();

export async function httpGet(req: HttpGetRequest): Promise<HttpGetResponse> {
  const deadline = req.timeoutMs > 0 ? Date.now() + req.timeoutMs : undefined;
  const first = firstTarget(req);
  const hostHeader = req.headers.find(([k]) => k.toLowerCase() === 'host')?.[1];
  let target = first;
  let headers = req.headers;
  const via: Target[] = [];
  for (;;) {
    const res = await exchange(target, headers, deadline, req.maxBodyBytes, req.signal);
    if (!REDIRECTS.has(res.status) || res.location === undefined || res.location === '') {
      return { status: res.status, statusText: res.statusText, body: res.body, url: target.display };
    }
    const loc = res.location;
    let next: URL;
    try {
      next = new URL(loc, target.display);
    } catch {
      throw new HttpGetError(`Get ${goQuote(target.display)}: failed to parse Location header ${goQuote(loc)}: invalid URL`, false);
    }
    via.push(target);
    // Redirects to another host end the exchange: the 3xx itself is the answer.
    if (bare(next.hostname) !== bare(first.hostname)) {
      return { status: res.status, statusText: res.statusText, body: res.body, url: target.display };
    }
    // Go's client counts the requests made so far: the tenth redirect is refused.
    if (via.length >= MAX_REDIRECTS) throw new HttpGetError(`Get ${goQuote(loc)}: stopped after 10 redirects`, false);
    const protocol = next.protocol.slice(0, -1);
    if (protocol !== 'http' && protocol !== 'https') {
      throw new HttpGetError(`Get ${goQuote(loc)}: unsupported protocol scheme ${goQuote(protocol)}`, false);
    }
    const relative = !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(loc);
    // A custom Host header survives only redirects to a relative location (as Go's client).
    headers = req.headers.filter(([k]) => k.toLowerCase() !== 'host' && k.toLowerCase() !== 'referer');
    if (hostHeader !== undefined && relative) headers.push(['Host', hostHeader]);
    if (!(target.protocol === 'https' && protocol === 'http')) headers.push(['Referer', target.display]);
    target = {
      protocol,
      hostname: bare(next.hostname),
      port: next.port ? Number(next.port) : protocol === 'https' ? 443 : 80,
      requestPath: (next.pathname || '/') + next.search,
      display: next.href,
    };
  }
}

interface RawResponse {
  status: number;
  statusText: string;
  location?: string;
  body: string;
}

function exchange(
  target: Target, headerList: [string, string][], deadline: number | undefined, maxBody: number, signal?: AbortSignal,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = {};
    const names = new Map<string, string>();
    for (const [k, v] of headerList) {
      const lower = k.toLowerCase();
      const key = names.get(lower);
      if (key === undefined) { names.set(lower, k); headers[k] = v; continue; }
      // Host takes the first value (Go's req.Host); others repeat.
      if (lower === 'host') continue;
      const cur = headers[key];
      headers[key] = Array.isArray(cur) ? [...cur, v] : [cur, v];
    }
    const mod = target.protocol === 'https' ? https : http;
    let socket: Socket | undefined;
    let connected = false;
    let gotHeaders = false;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const addr = joinHostPort(target.hostname, target.port);

    const finish = (err: Error | undefined, value?: RawResponse) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      request.destroy();
      if (err) reject(new HttpGetError(describe(err), gotHeaders));
      else resolve(value!);
    };
    const describe = (err: Error): string => {
      if (gotHeaders) {
        if (err instanceof Timeout) return 'context deadline exceeded (Client.Timeout or context cancellation while reading body)';
        if (err instanceof Canceled) return 'context canceled';
        return goNetError(err, addr, connected, socket, target.hostname);
      }
      if (err instanceof Timeout) return `Get ${goQuote(target.display)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`;
      if (err instanceof Canceled) return `Get ${goQuote(target.display)}: context canceled`;
      return `Get ${goQuote(target.display)}: ${goNetError(err, addr, connected, socket, target.hostname)}`;
    };
    const onAbort = () => finish(new Canceled());

    let request: http.ClientRequest;
    try {
      request = mod.request({
        host: target.hostname,
        port: target.port,
        path: target.requestPath,
        method: 'GET',
        headers,
        agent: false,
        rejectUnauthorized: false,
        servername: isIP(target.hostname) ? undefined : target.hostname,
      });
    } catch (e) {
      reject(new HttpGetError(`Get ${goQuote(target.display)}: ${(e as Error).message}`, false));
      return;
    }
    request.on('error', (e) => finish(e));
    request.on('socket', (s: Socket) => {
      socket = s;
      s.once(target.protocol === 'https' ? 'secureConnect' : 'connect', () => { connected = true; });
    });
    request.on('response', (res) => {
      gotHeaders = true;
      const location = res.headers.location;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => finish(undefined, {
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        location,
        body: Buffer.concat(chunks).subarray(0, maxBody).toString('utf8'),
      });
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        chunks.push(chunk);
        size += chunk.length;
        // Stop reading past the limit, as upstream does: the answer is in the status line.
        if (size >= maxBody) done();
      });
      res.on('end', done);
      res.on('error', (e) => finish(e));
      res.on('aborted', () => finish(Object.assign(new Error('unexpected EOF'), { code: 'UNEXPECTED_EOF' })));
    });
    if (deadline !== undefined) timer = setTimeout(() => finish(new Timeout()), Math.max(0, deadline - Date.now()));
    if (signal) {
      if (signal.aborted) { finish(new Canceled()); return; }
      signal.addEventListener('abort', onAbort, { once: true });
    }
    request.end();
  });
}

/** Go's wording of a network error (syscall names as the Linux kernel reports them to Go). */
export function goNetError(err: Error, addr: string, connected: boolean, socket: Socket | undefined, hostname: string): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const flow = () => {
    const local = socket?.localAddress ? joinHostPort(socket.localAddress, socket.localPort ?? 0) : '';
    return local ? `${local}->${addr}` : addr;
  };
  switch (code) {
    case 'ECONNREFUSED': return `dial tcp ${addr}: connect: connection refused`;
    case 'EHOSTUNREACH': return `dial tcp ${addr}: connect: no route to host`;
    case 'ENETUNREACH': return `dial tcp ${addr}: connect: network is unreachable`;
    case 'EADDRNOTAVAIL': return `dial tcp ${addr}: connect: cannot assign requested address`;
    case 'ETIMEDOUT': return connected ? `read tcp ${flow()}: read: connection timed out` : `dial tcp ${addr}: connect: connection timed out`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return `dial tcp: lookup ${hostname}: no such host`;
    case 'EPIPE': return `write tcp ${flow()}: write: broken pipe`;
    case 'UNEXPECTED_EOF': return 'unexpected EOF';
    case 'ECONNRESET':
      // Node says "socket hang up" for a peer that closed without answering: Go reads EOF.
      if (err.message === 'socket hang up') return 'EOF';
      return `read tcp ${flow()}: read: connection reset by peer`;
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      if (/wrong version number|packet length too long|http request/i.test(err.message)) return 'http: server gave HTTP response to HTTPS client';
      return `remote error: tls: ${err.message}`;
    default:
      if (code.startsWith('HPE_')) return `net/http: HTTP/1.x transport connection broken: malformed HTTP response`;
      return err.message;
  }
}
