// The streaming pod subresources: pods/log (a plain GET), and pods/exec, pods/attach and
// pods/portforward (connection upgrades). The API server terminates whatever kubectl speaks —
// SPDY/3.1, WebSocket v5.channel.k8s.io, or SPDY tunnelled in a WebSocket — and talks one
// protocol to the kubelet: WebSocket with v5.channel.k8s.io framing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { errors, StatusError } from '../../api/status.ts';
import type { ApiContext, RequestContext, UserInfo } from '../rest/context.ts';
import type { RequestInfo } from '../http/request-info.ts';
import { parseRequestInfo } from '../http/request-info.ts';
import { KubeletClient, KubeletRejected, type KubeletClientConfig } from './kubelet-client.ts';
import { PodTargets } from './pod-target.ts';
import { servePodLogs } from './pod-logs.ts';
import { parseRemoteCommandOptions, kubeletRemoteCommandPath } from './remote-command-options.ts';
import { writeResponse, writeStatusError, writeSpdySwitch, negotiateStreamProtocol } from './upgrade-response.ts';
import { SpdyConnection } from './spdy/index.ts';
import { bridgeSpdyRemoteCommand, REMOTE_COMMAND_PROTOCOLS } from './spdy-remote-command.ts';
import { bridgeWebSocketRemoteCommand, WEBSOCKET_REMOTE_COMMAND_PROTOCOLS } from './websocket-remote-command.ts';
import { servePortForward, PORT_FORWARD_PROTOCOL, PORT_FORWARD_TUNNEL_PROTOCOL } from './spdy-port-forward.ts';
import { webSocketDuplex } from './websocket-duplex.ts';
import { CHANNEL_V5 } from './channel-frames.ts';

export interface PodStreamingOptions {
  /** The API server's identity towards kubelets (kube-apiserver-kubelet-client, in system:masters). */
  kubeletClient: KubeletClientConfig;
  /** Reports failures that could only be logged (default: the API server's logger). */
  onError?: (err: unknown, context: Record<string, unknown>) => void;
}

const UPGRADE_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);
/** Stands in for SPDY/3.1+portforward.k8s.io inside the ws library. */
const TUNNEL_TOKEN = 'navarch-spdy-tunnel';

type Transport = { kind: 'spdy' } | { kind: 'websocket'; protocols: Set<string> };

function transportOf(req: IncomingMessage): Transport | undefined {
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'websocket') {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    return { kind: 'websocket', protocols: new Set(offered) };
  }
  if (upgrade.startsWith('spdy/3.1')) return { kind: 'spdy' };
  return undefined;
}

export class PodStreaming {
  readonly #targets: PodTargets;
  readonly #kubelet: KubeletClient;
  readonly #onError: (err: unknown, context: Record<string, unknown>) => void;
  readonly #wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => {
    for (const p of [...WEBSOCKET_REMOTE_COMMAND_PROTOCOLS, TUNNEL_TOKEN]) if (offered.has(p)) return p;
    return false;
  } });

  constructor(ctx: ApiContext, opts: PodStreamingOptions) {
    // The tunnel's subprotocol name is not an RFC 6455 token ('/'), which ws refuses: it is
    // swapped for a token on the way in and restored in the 101 answer.
    this.#wss.on('headers', (headers) => {
      const i = headers.findIndex((h) => h.toLowerCase() === `sec-websocket-protocol: ${TUNNEL_TOKEN}`);
      if (i >= 0) headers[i] = `Sec-WebSocket-Protocol: ${PORT_FORWARD_TUNNEL_PROTOCOL}`;
    });
    this.#targets = new PodTargets(ctx);
    this.#kubelet = new KubeletClient(opts.kubeletClient);
    this.#onError = opts.onError ?? ((err, context) => ctx.log.error('pod streaming failed', { ...context, err: (err as Error)?.stack ?? err }));
  }

  /** pods/log, and a plain (non-upgrade) request to the upgrade-only subresources. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, info: RequestInfo, rc: RequestContext): Promise<boolean> {
    if (!isPodSubresource(info)) return false;
    if (info.subresource === 'log') {
      if (info.verb !== 'get') throw errors.methodNotAllowed();
      await servePodLogs(this.#targets, this.#kubelet, info.namespace, info.name, req, res, rc.query);
      return true;
    }
    if (UPGRADE_SUBRESOURCES.has(info.subresource)) throw errors.badRequest('Upgrade request required');
    return false;
  }

  /** Takes the connection upgrades of pods/exec, pods/attach and pods/portforward; false for anything else. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo | undefined): boolean {
    const url = new URL(req.url ?? '/', 'https://apiserver');
    const info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
    if (!isPodSubresource(info) || !UPGRADE_SUBRESOURCES.has(info.subresource)) return false;
    socket.on('error', () => socket.destroy());
    void this.#upgrade(req, socket, head, user, info.subresource as 'exec' | 'attach' | 'portforward', info.namespace, info.name, url.searchParams)
      .catch((e) => { this.#onError(e, { path: url.pathname }); socket.destroy(); });
    return true;
  }

  async #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo | undefined, sub: 'exec' | 'attach' | 'portforward', ns: string, name: string, q: URLSearchParams): Promise<void> {
    try {
      if (!user) throw errors.unauthorized();
      const transport = transportOf(req);
      if (!transport) throw errors.badRequest('Upgrade request required');
      if (sub === 'portforward') return await this.#portForward(req, socket, head, transport, ns, name);
      const opts = parseRemoteCommandOptions(sub, q);
      const target = await this.#targets.resolveScheduled(ns, name, opts.container);
      let spdyProtocol: string | undefined;
      if (transport.kind === 'spdy') spdyProtocol = negotiateStreamProtocol(req.headersDistinct['x-stream-protocol-version'] ?? [], REMOTE_COMMAND_PROTOCOLS);
      else if (!WEBSOCKET_REMOTE_COMMAND_PROTOCOLS.some((p) => transport.protocols.has(p))) {
        throw errors.badRequest(`unable to upgrade: no supported WebSocket subprotocol among [${[...transport.protocols].join(' ')}]`);
      }
      // Reach the kubelet first: its refusal (e.g. container not found) is the client's answer.
      const path = kubeletRemoteCommandPath(opts, ns, name, target.pod.metadata.uid ?? '', target.container);
      const backend = await this.#kubelet.openWebSocket(target.kubelet, path, CHANNEL_V5);
      backend.pause();
      backend.on('error', () => backend.terminate());
      if (transport.kind === 'spdy') {
        writeSpdySwitch(socket, spdyProtocol);
        if (head.length) socket.unshift(head);
        const conn = new SpdyConnection(socket, { role: 'server' });
        await bridgeSpdyRemoteCommand(conn, spdyProtocol ?? 'channel.k8s.io', opts, backend);
      } else {
        const client = await this.#acceptWebSocket(req, socket, head);
        await bridgeWebSocketRemoteCommand(client, backend);
      }
    } catch (e) {
      if (e instanceof KubeletRejected) writeResponse(socket, e.statusCode, e.contentType, e.body);
      // Upstream shapes a dial failure as a reason-less 500: `Error from server: error dialing backend: …`.
      else if (isDialError(e)) writeStatusError(socket, new StatusError(500, '', (e as Error).message));
      else writeStatusError(socket, e);
    }
  }

  async #portForward(req: IncomingMessage, socket: Duplex, head: Buffer, transport: Transport, ns: string, name: string): Promise<void> {
    const target = await this.#targets.resolveScheduled(ns, name, undefined);
    // Each forwarded connection dials the kubelet later; an unreachable one fails the upgrade now, as upstream.
    await this.#kubelet.probe(target.kubelet);
    const pf = { kubelet: this.#kubelet, endpoint: target.kubelet, namespace: ns, pod: name, uid: target.pod.metadata.uid ?? '' };
    let conn: SpdyConnection;
    if (transport.kind === 'spdy') {
      const protocol = negotiateStreamProtocol(req.headersDistinct['x-stream-protocol-version'] ?? [], [PORT_FORWARD_PROTOCOL]);
      writeSpdySwitch(socket, protocol);
      if (head.length) socket.unshift(head);
      conn = new SpdyConnection(socket, { role: 'server' });
    } else {
      if (!transport.protocols.has(PORT_FORWARD_TUNNEL_PROTOCOL)) throw errors.badRequest(`unable to upgrade: port-forward over WebSocket needs the ${PORT_FORWARD_TUNNEL_PROTOCOL} subprotocol`);
      req.headers['sec-websocket-protocol'] = TUNNEL_TOKEN;
      const ws = await this.#acceptWebSocket(req, socket, head);
      conn = new SpdyConnection(webSocketDuplex(ws), { role: 'server' });
    }
    await servePortForward(conn, pf);
  }

  #acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<WebSocket> {
    return new Promise((resolve) => this.#wss.handleUpgrade(req, socket, head, resolve));
  }
}

function isPodSubresource(info: RequestInfo): info is RequestInfo & { kind: 'resource'; group: ''; resource: 'pods'; namespace: string; name: string; subresource: string } {
  return info.kind === 'resource' && info.group === '' && info.version === 'v1' && info.resource === 'pods' && !!info.namespace && !!info.name && !!info.subresource;
}

function isDialError(e: unknown): boolean {
  return (e as Error)?.name === 'KubeletUnreachable';
}
