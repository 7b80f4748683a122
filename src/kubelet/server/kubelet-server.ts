// The kubelet's HTTPS streaming server (port 10250 by default): container logs as chunked
// bodies; exec, attach and port-forward as WebSockets with v5.channel.k8s.io framing. Callers
// authenticate with a client certificate signed by the cluster CA (the API server's).
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StreamingRuntime } from './streaming-runtime.ts';
import { StreamingError } from './streaming-runtime.ts';
import { parseRoute } from './routes.ts';
import { serveContainerLogs } from './container-logs.ts';
import { parseRemoteCommand, runRemoteCommand } from './remote-command.ts';
import { parsePort, runPortForward } from './port-forward.ts';
import { CHANNEL_PROTOCOL_V4, CHANNEL_PROTOCOL_V5 } from './channel-socket.ts';

export interface KubeletUser { username: string; groups: string[] }

export interface KubeletServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  tls: { certPem: string; keyPem: string; caPem: string };
  runtime: StreamingRuntime;
  /** Who may use the server; default: members of system:masters (the API server's kubelet-client identity). */
  authorize?: (user: KubeletUser) => boolean;
  /** Reports failures the server could only log. */
  onError?: (err: unknown, context: { path: string }) => void;
}

export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}

const defaultAuthorize = (u: KubeletUser) => u.groups.includes('system:masters');

function userOf(socket: TLSSocket): KubeletUser | undefined {
  if (!socket.authorized) return undefined;
  const subject = socket.getPeerCertificate()?.subject;
  if (!subject) return undefined;
  const cn = Array.isArray(subject.CN) ? subject.CN[0] : subject.CN;
  const groups = subject.O === undefined ? [] : Array.isArray(subject.O) ? subject.O : [subject.O];
  return { username: cn ?? '', groups };
}

function statusText(code: number): string {
  return ({ 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 422: 'Unprocessable Entity', 500: 'Internal Server Error' } as Record<number, string>)[code] ?? 'Error';
}

/** An HTTP error answer on a socket that asked for an upgrade. */
function rejectUpgrade(socket: Duplex, code: number, message: string): void {
  const body = Buffer.from(message);
  socket.end(`HTTP/1.1 ${code} ${statusText(code)}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${message}`);
}

function errorOf(e: unknown): { code: number; message: string } {
  if (e instanceof StreamingError) return { code: e.code, message: e.message };
  return { code: 500, message: (e as Error)?.message ?? String(e) };
}

export async function startKubeletServer(opts: KubeletServerOptions): Promise<KubeletServer> {
  const authorize = opts.authorize ?? defaultAuthorize;
  const report = (err: unknown, path: string) => opts.onError?.(err, { path });
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => offered.has(CHANNEL_PROTOCOL_V5) ? CHANNEL_PROTOCOL_V5 : offered.has(CHANNEL_PROTOCOL_V4) ? CHANNEL_PROTOCOL_V4 : false,
  });

  /** 401/403 for callers that are not the API server. */
  const denied = (req: IncomingMessage): { code: number; message: string } | undefined => {
    const user = userOf(req.socket as TLSSocket);
    if (!user) return { code: 401, message: 'Unauthorized' };
    if (!authorize(user)) return { code: 403, message: `Forbidden (user=${user.username}, verb=${req.method === 'GET' ? 'get' : 'create'}, resource=nodes, subresource(s)=[proxy])` };
    return undefined;
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    try {
      const refusal = denied(req);
      if (refusal) throw new StreamingError(refusal.code, refusal.message);
      const route = parseRoute(url.pathname);
      if (route?.kind === 'healthz') { res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok'); return; }
      if (route?.kind === 'containerLogs' && req.method === 'GET') return await serveContainerLogs(opts.runtime, route.pod, route.container, url, req, res);
      if (route) throw StreamingError.badRequest('Upgrade request required');
      throw StreamingError.notFound('404 page not found');
    } catch (e) {
      const { code, message } = errorOf(e);
      if (code >= 500) report(e, url.pathname);
      if (res.headersSent) { res.destroy(); return; }
      res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end(message);
    }
  };

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    socket.on('error', () => socket.destroy());
    let start: (ws: WebSocket) => Promise<void>;
    try {
      const refusal = denied(req);
      if (refusal) throw new StreamingError(refusal.code, refusal.message);
      if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') throw StreamingError.badRequest('only WebSocket upgrades are served');
      const route = parseRoute(url.pathname);
      if (route?.kind === 'exec' || route?.kind === 'attach') {
        const rc = parseRemoteCommand(route.kind, route.pod, route.container, url.searchParams);
        await opts.runtime.check(route.kind, route.pod, route.container);
        start = (ws) => runRemoteCommand(opts.runtime, rc, ws);
      } else if (route?.kind === 'portForward') {
        const port = parsePort(url.searchParams);
        await opts.runtime.check('portForward', route.pod);
        start = (ws) => runPortForward(opts.runtime, route.pod, port, ws);
      } else throw StreamingError.notFound('404 page not found');
    } catch (e) {
      const { code, message } = errorOf(e);
      if (code >= 500 && !(e instanceof StreamingError)) report(e, url.pathname);
      rejectUpgrade(socket, code, message);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      start(ws).catch((e) => { report(e, url.pathname); ws.terminate(); });
    });
  };

  const server = createServer({
    cert: opts.tls.certPem, key: opts.tls.keyPem, ca: opts.tls.caPem,
    requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2',
  }, (req, res) => { void onRequest(req, res); });
  server.requestTimeout = 0;
  server.on('upgrade', (req, socket, head) => { void onUpgrade(req, socket, head); });
  const sockets = new Set<Duplex>();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => { server.off('error', reject); resolve(); });
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      wss.close();
    },
  };
}
