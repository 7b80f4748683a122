// A client of one OCI distribution registry (the v2 HTTP API) for one repository: requests
// with the registry's auth dance (WWW-Authenticate: Bearer → token endpoint, or Basic), HTTP
// for insecure registries, redirects (blob storage), and errors that carry the registry's text.
import { request as httpRequest, type IncomingMessage, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createWriteStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { ImagePullError } from './errors.ts';

export const DEFAULT_INSECURE_REGISTRIES = ['localhost:*', '127.0.0.1:*'];

/** Whether host[:port] matches one of `host:port`, `host:*` or `host`. */
export function isInsecureRegistry(hostPort: string, patterns: string[]): boolean {
  const host = hostPort.replace(/:\d+$/, '');
  return patterns.some((p) => p === hostPort || p === host || (p.endsWith(':*') && p.slice(0, -2) === host));
}

export interface RegistryClientOptions {
  /** host[:port] of the registry API. */
  host: string;
  /** Repository path, e.g. library/web. */
  repository: string;
  insecure: boolean;
  username?: string;
  password?: string;
  signal?: AbortSignal;
}

interface Response { status: number; headers: IncomingHttpHeaders; body: IncomingMessage; url: URL }

const MAX_REDIRECTS = 5;
const TIMEOUT_MS = 60_000;

function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^(\w+)\s*(.*)$/s.exec(header.trim());
  const params: Record<string, string> = {};
  for (const p of (m?.[2] ?? '').matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? '';
  return { scheme: (m?.[1] ?? '').toLowerCase(), params };
}

async function readBody(res: IncomingMessage, limit = 16 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of res) {
    n += (c as Buffer).length;
    if (n > limit) { res.destroy(); throw new Error(`response larger than ${limit} bytes`); }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The registry's error text: `code: message` per error of a v2 error body, else the status line. */
function registryMessage(status: number, body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: { code?: string; message?: string; detail?: unknown }[]; details?: string };
    if (parsed.errors?.length) {
      return parsed.errors.map((e) => `${(e.code ?? 'unknown').toLowerCase().replace(/_/g, ' ')}: ${e.message ?? ''}`.trim()).join(', ');
    }
    if (typeof parsed.details === 'string') return parsed.details;
  } catch { /* not JSON */ }
  const text = body.toString('utf8').trim().split('\n')[0];
  return text ? `${status}: ${text}` : `unexpected status ${status}`;
}

export class RegistryClient {
  readonly #o: RegistryClientOptions;
  #scheme: 'https' | 'http' = 'https';
  #schemeSettled = false;
  #authorization: string | undefined;

  constructor(options: RegistryClientOptions) {
    this.#o = options;
  }

  /** A request to /v2/<repository>/<path>, authenticating when challenged. */
  async request(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
    const url = () => new URL(`${this.#scheme}://${this.#o.host}/v2/${this.#o.repository}/${path}`);
    let res = await this.#send(method, url(), headers);
    if (res.status === 401) {
      const challenge = res.headers['www-authenticate'];
      const body = await readBody(res.body);
      if (!challenge || !(await this.#authenticate(String(challenge)))) {
        throw new ImagePullError(registryMessage(401, body), 401);
      }
      res = await this.#send(method, url(), headers);
    }
    return res;
  }

  /** Reads a whole (small) response, failing with the registry's message unless 2xx. */
  async fetchBytes(path: string, headers: Record<string, string> = {}): Promise<{ bytes: Buffer; headers: IncomingHttpHeaders }> {
    const res = await this.request(path, headers);
    const bytes = await readBody(res.body);
    if (res.status < 200 || res.status > 299) throw new ImagePullError(registryMessage(res.status, bytes), res.status);
    return { bytes, headers: res.headers };
  }

  /** Streams a blob to a file, checking its sha256 digest on the way. */
  async downloadBlob(digest: string, file: string): Promise<number> {
    const res = await this.request(`blobs/${digest}`);
    if (res.status < 200 || res.status > 299) {
      const body = await readBody(res.body);
      throw new ImagePullError(registryMessage(res.status, body), res.status);
    }
    const hash = createHash('sha256');
    let size = 0;
    const tap = new Transform({ transform(chunk: Buffer, _enc, cb) { hash.update(chunk); size += chunk.length; cb(null, chunk); } });
    await pipeline(res.body, tap, createWriteStream(file));
    const got = `sha256:${hash.digest('hex')}`;
    if (got !== digest) throw new ImagePullError(`blob ${digest}: downloaded content has digest ${got}`);
    return size;
  }

  async #authenticate(header: string): Promise<boolean> {
    const { scheme, params } = parseChallenge(header);
    const { username, password } = this.#o;
    const basic = username !== undefined ? `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}` : undefined;
    if (scheme === 'basic') {
      if (!basic || this.#authorization === basic) return false;
      this.#authorization = basic;
      return true;
    }
    if (scheme !== 'bearer' || !params.realm) return false;
    const tokenURL = new URL(params.realm);
    if (params.service) tokenURL.searchParams.set('service', params.service);
    tokenURL.searchParams.set('scope', params.scope ?? `repository:${this.#o.repository}:pull`);
    const res = await this.#send('GET', tokenURL, basic ? { Authorization: basic } : {}, true);
    const body = await readBody(res.body);
    if (res.status !== 200) throw new ImagePullError(`failed to fetch a token from ${tokenURL.origin}${tokenURL.pathname}: ${registryMessage(res.status, body)}`, res.status);
    let token: string | undefined;
    try {
      const parsed = JSON.parse(body.toString('utf8')) as { token?: string; access_token?: string };
      token = parsed.token ?? parsed.access_token;
    } catch { /* handled below */ }
    if (!token) throw new ImagePullError(`the token endpoint ${tokenURL.origin}${tokenURL.pathname} returned no token`);
    const bearer = `Bearer ${token}`;
    if (this.#authorization === bearer) return false;
    this.#authorization = bearer;
    return true;
  }

  /** One request, following redirects; the Authorization header goes to the registry host only. */
  async #send(method: string, url: URL, headers: Record<string, string>, external = false): Promise<Response> {
    for (let hops = 0; ; hops++) {
      const sameHost = !external && url.host === this.#o.host;
      const h: Record<string, string> = { 'User-Agent': 'navarch', ...headers };
      if (sameHost && this.#authorization && !h.Authorization) h.Authorization = this.#authorization;
      let res: IncomingMessage;
      try {
        res = await this.#once(method, url, h);
      } catch (e) {
        // Insecure registries: HTTPS (unverified) first, plain HTTP when TLS fails, as docker.
        if (sameHost && this.#o.insecure && !this.#schemeSettled && url.protocol === 'https:') {
          this.#scheme = 'http';
          this.#schemeSettled = true;
          url = new URL(url.href.replace(/^https:/, 'http:'));
          continue;
        }
        throw new ImagePullError(`${method} ${url.href}: ${(e as Error).message}`);
      }
      if (sameHost) this.#schemeSettled = true;
      const location = res.headers.location;
      if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && location) {
        res.resume();
        if (hops >= MAX_REDIRECTS) throw new ImagePullError(`${method} ${url.href}: too many redirects`);
        url = new URL(location, url);
        external = external || url.host !== this.#o.host;
        continue;
      }
      return { status: res.statusCode ?? 0, headers: res.headers, body: res, url };
    }
  }

  #once(method: string, url: URL, headers: Record<string, string>): Promise<IncomingMessage> {
    const insecureTLS = this.#o.insecure && url.host === this.#o.host;
    return new Promise((resolve, reject) => {
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
        method, headers, signal: this.#o.signal, ...(url.protocol === 'https:' ? { rejectUnauthorized: !insecureTLS } : {}),
      }, resolve);
      req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end();
    });
  }
}
