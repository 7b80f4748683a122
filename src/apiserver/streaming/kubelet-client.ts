// How the API server reaches a node's kubelet: HTTPS with its own client certificate (the
// kube-apiserver-kubelet-client identity), a GET for logs, a WebSocket (v5.channel.k8s.io) for
// exec, attach and each port-forwarded connection.
import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';

export interface KubeletClientConfig {
  certPem: string;
  keyPem: string;
  /** Verifies kubelet serving certificates against this CA; without it they are not verified (as upstream's default). */
  caPem?: string;
}

export interface KubeletEndpoint { host: string; port: number }

/** The kubelet answered an upgrade with something else than 101: relayed to the client as is. */
export class KubeletRejected extends Error {
  readonly statusCode: number;
  readonly body: string;
  readonly contentType: string;
  constructor(statusCode: number, body: string, contentType: string) {
    super(body.trim() || `kubelet answered ${statusCode}`);
    this.name = 'KubeletRejected';
    this.statusCode = statusCode;
    this.body = body;
    this.contentType = contentType;
  }
}

/** The kubelet could not be reached; message in upstream's words: `error dialing backend: …`. */
export class KubeletUnreachable extends Error {
  constructor(endpoint: KubeletEndpoint, cause: unknown) {
    super(`error dialing backend: ${dialMessage(endpoint, cause)}`);
    this.name = 'KubeletUnreachable';
  }
}

/** Go's wording of the common dial failures, which users know from upstream. */
function dialMessage(ep: KubeletEndpoint, cause: unknown): string {
  const e = cause as NodeJS.ErrnoException;
  const addr = `${ep.host.includes(':') ? `[${ep.host}]` : ep.host}:${ep.port}`;
  switch (e?.code) {
    case 'ECONNREFUSED': return `dial tcp ${addr}: connect: connection refused`;
    case 'EHOSTUNREACH': return `dial tcp ${addr}: connect: no route to host`;
    case 'ETIMEDOUT': return `dial tcp ${addr}: i/o timeout`;
    case 'ENOTFOUND': return `dial tcp: lookup ${ep.host}: no such host`;
    default: return e?.message ?? String(cause);
  }
}

function hostPort(ep: KubeletEndpoint): string {
  return `${ep.host.includes(':') ? `[${ep.host}]` : ep.host}:${ep.port}`;
}

async function readBody(res: IncomingMessage, limit = 50_000): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of res) {
    if (size < limit) parts.push(c as Buffer);
    size += (c as Buffer).length;
  }
  return Buffer.concat(parts).toString('utf8').slice(0, limit);
}

export class KubeletClient {
  readonly #cfg: KubeletClientConfig;
  constructor(cfg: KubeletClientConfig) { this.#cfg = cfg; }

  #tls() {
    return { cert: this.#cfg.certPem, key: this.#cfg.keyPem, ca: this.#cfg.caPem, rejectUnauthorized: this.#cfg.caPem !== undefined };
  }

  /** GET path; resolves with the response whatever its status (the caller maps errors). */
  get(ep: KubeletEndpoint, path: string, signal: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = request({ host: ep.host, port: ep.port, path, method: 'GET', ...this.#tls(), signal, agent: false }, resolve);
      req.on('error', (e) => reject((e as Error).name === 'AbortError' ? e : new KubeletUnreachable(ep, e)));
      req.end();
    });
  }

  /** Resolves when the kubelet answers at all (any status); rejects with KubeletUnreachable. */
  async probe(ep: KubeletEndpoint): Promise<void> {
    const res = await this.get(ep, '/healthz', AbortSignal.timeout(30_000));
    res.resume();
  }

  /** Opens a WebSocket speaking `protocol`; rejects with KubeletRejected or KubeletUnreachable. */
  openWebSocket(ep: KubeletEndpoint, path: string, protocol: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`wss://${hostPort(ep)}${path}`, [protocol], { ...this.#tls(), perMessageDeflate: false, handshakeTimeout: 30_000 });
      let settled = false;
      ws.once('open', () => { settled = true; resolve(ws); });
      ws.once('unexpected-response', (_req, res) => {
        settled = true;
        const done = (body: string) => {
          ws.terminate();
          reject(new KubeletRejected(res.statusCode ?? 500, body, String(res.headers['content-type'] ?? 'text/plain; charset=utf-8')));
        };
        void readBody(res).then(done, () => done(''));
      });
      ws.on('error', (e) => { if (!settled) { settled = true; reject(new KubeletUnreachable(ep, e)); } });
    });
  }
}
