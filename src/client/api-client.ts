// A small Kubernetes API client: JSON over HTTPS with a client certificate, keep-alive, and
// streaming watches. Every in-process component gets its own, with its own identity.
import { Agent, request } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { StatusError, type Status } from '../api/status.ts';
import { JsonStreamSplitter, parseDocuments } from './json-stream.ts';

export type KubeObject = Record<string, any>;

export interface ClientConfig {
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  userAgent?: string;
}

/** Where a resource lives: enough to build its URLs. */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export interface WatchEvent { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: KubeObject }

export function loadKubeconfig(path: string, userAgent?: string): ClientConfig {
  const kc = parseYaml(readFileSync(path, 'utf8'));
  const ctx = kc.contexts.find((c: KubeObject) => c.name === kc['current-context'])?.context ?? kc.contexts[0].context;
  const cluster = kc.clusters.find((c: KubeObject) => c.name === ctx.cluster).cluster;
  const user = kc.users.find((u: KubeObject) => u.name === ctx.user).user;
  const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  return { server: cluster.server, caPem: b64(cluster['certificate-authority-data']), certPem: b64(user['client-certificate-data']), keyPem: b64(user['client-key-data']), userAgent };
}

export function resourcePath(r: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.plural}`;
  if (name) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

export class ApiClient {
  readonly #config: ClientConfig;
  readonly #agent: Agent;
  readonly #base: URL;

  constructor(config: ClientConfig) {
    this.#config = config;
    this.#base = new URL(config.server);
    // One TLS context for every connection (the agent would parse the PEMs again for each).
    const secureContext = createSecureContext({ ca: config.caPem, cert: config.certPem, key: config.keyPem });
    this.#agent = new Agent({ keepAlive: true, maxSockets: 64, secureContext });
  }

  close(): void { this.#agent.destroy(); }

  #open(method: string, path: string, headers: Record<string, string>, body?: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = request({
        agent: this.#agent, method, host: this.#base.hostname, port: this.#base.port, path,
        headers: { 'User-Agent': this.#config.userAgent ?? 'navarch', Accept: 'application/json', ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) },
      }, resolve);
      req.on('error', reject);
      req.end(body);
    });
  }

  /** One request; non-2xx answers throw the server's Status as a StatusError. */
  async request<T = KubeObject>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const res = await this.#open(method, path, body !== undefined ? { 'Content-Type': contentType } : {}, body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const code = res.statusCode ?? 0;
    if (code < 200 || code >= 300) {
      let status: Partial<Status> | undefined;
      try { status = JSON.parse(text); } catch { /* not JSON */ }
      throw new StatusError(code, status?.reason ?? 'Unknown', status?.message ?? text.trim(), status?.details);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  get(r: ResourceRef, namespace: string | undefined, name: string): Promise<KubeObject> {
    return this.request('GET', resourcePath(r, namespace, name));
  }
  list(r: ResourceRef, namespace?: string, query: Record<string, string> = {}): Promise<KubeObject> {
    const q = new URLSearchParams(query).toString();
    return this.request('GET', resourcePath(r, namespace) + (q ? `?${q}` : ''));
  }
  create(r: ResourceRef, namespace: string | undefined, obj: KubeObject): Promise<KubeObject> {
    return this.request('POST', resourcePath(r, namespace), obj);
  }
  update(r: ResourceRef, namespace: string | undefined, obj: KubeObject, subresource?: string): Promise<KubeObject> {
    return this.request('PUT', resourcePath(r, namespace, obj.metadata.name, subresource), obj);
  }
  patch(r: ResourceRef, namespace: string | undefined, name: string, patch: unknown, type: 'merge' | 'json' | 'strategic' = 'merge', subresource?: string): Promise<KubeObject> {
    const ct = { merge: 'application/merge-patch+json', json: 'application/json-patch+json', strategic: 'application/strategic-merge-patch+json' }[type];
    return this.request('PATCH', resourcePath(r, namespace, name, subresource), patch, ct);
  }
  delete(r: ResourceRef, namespace: string | undefined, name: string, options: KubeObject = {}): Promise<KubeObject> {
    return this.request('DELETE', resourcePath(r, namespace, name), { kind: 'DeleteOptions', apiVersion: 'v1', ...options });
  }
  deleteCollection(r: ResourceRef, namespace: string | undefined, options: KubeObject = {}): Promise<KubeObject> {
    return this.request('DELETE', resourcePath(r, namespace), { kind: 'DeleteOptions', apiVersion: 'v1', ...options });
  }

  /**
   * Streams watch events until the server ends the stream or signal aborts. Resolves on end;
   * throws a StatusError when the server refuses the watch.
   */
  async watch(r: ResourceRef, namespace: string | undefined, query: Record<string, string>, onEvent: (e: WatchEvent) => void, signal: AbortSignal, headers: Record<string, string> = {}): Promise<void> {
    const q = new URLSearchParams({ ...query, watch: 'true' }).toString();
    const res = await this.#open('GET', `${resourcePath(r, namespace)}?${q}`, headers);
    if ((res.statusCode ?? 0) >= 300) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      const text = Buffer.concat(chunks).toString();
      let status: Partial<Status> = {};
      try { status = JSON.parse(text); } catch { /* not JSON */ }
      throw new StatusError(res.statusCode ?? 500, status.reason ?? 'Unknown', status.message ?? text);
    }
    const onAbort = () => res.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    const splitter = new JsonStreamSplitter();
    try {
      for await (const chunk of res) for (const doc of splitter.push(chunk as Buffer)) for (const e of parseDocuments(doc)) onEvent(e as WatchEvent);
    } catch (err) {
      if (!signal.aborted) throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
