// port-forward over SPDY (raw, or tunnelled in a WebSocket by kubectl 1.31+): every local
// connection of kubectl opens a pair of streams, `error` and `data`, sharing a requestID and
// naming the port. Each complete pair becomes one kubelet WebSocket; data flows both ways with
// half-close, and kubelet errors are written on the error stream for kubectl to report.
import type { WebSocket } from 'ws';
import type { SpdyConnection, SpdyStream } from './spdy/index.ts';
import { RstStatus } from './spdy/index.ts';
import { closeFrame, frame, toBuffer, CHANNEL_V5 } from './channel-frames.ts';
import { KubeletRejected, type KubeletClient, type KubeletEndpoint } from './kubelet-client.ts';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** kubectl 1.31+ asks for this WebSocket subprotocol to tunnel the SPDY session. */
export const PORT_FORWARD_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

const PAIR_TIMEOUT_MS = 30_000;
const DATA = 0;
const ERROR = 1;
const HIGH_WATER = 1 << 20;

export interface PortForwardTarget {
  kubelet: KubeletClient;
  endpoint: KubeletEndpoint;
  namespace: string;
  pod: string;
  uid: string;
}

interface Pair { data?: SpdyStream; error?: SpdyStream; timer: NodeJS.Timeout }

/** Upstream's fallback for clients without requestID: derive it from the stream ids. */
function requestIdOf(s: SpdyStream): string {
  const id = s.headers.requestid;
  if (id) return id;
  return String(s.headers.streamtype === 'data' ? s.id - 2 : s.id);
}

function validPort(raw: string | undefined): number | undefined {
  if (!raw || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= 65535 ? n : undefined;
}

export function servePortForward(conn: SpdyConnection, target: PortForwardTarget): Promise<void> {
  const pairs = new Map<string, Pair>();
  const backends = new Set<WebSocket>();
  conn.on('stream', (s) => {
    const type = s.headers.streamtype;
    if (validPort(s.headers.port) === undefined || (type !== 'data' && type !== 'error')) { s.reset(RstStatus.ProtocolError); return; }
    void s.reply();
    const id = requestIdOf(s);
    let pair = pairs.get(id);
    if (!pair) {
      const timer = setTimeout(() => {
        pairs.delete(id);
        pair?.error?.end(`timed out waiting for streams`);
        pair?.data?.end();
      }, PAIR_TIMEOUT_MS);
      pair = { timer };
      pairs.set(id, pair);
    }
    if (pair[type as 'data' | 'error']) { s.reset(RstStatus.ProtocolError); return; }
    pair[type as 'data' | 'error'] = s;
    if (pair.data && pair.error) {
      clearTimeout(pair.timer);
      pairs.delete(id);
      void forward(pair.data, pair.error, target, backends);
    }
  });
  return new Promise((resolve) => conn.once('close', () => {
    for (const p of pairs.values()) clearTimeout(p.timer);
    for (const b of backends) b.terminate();
    resolve();
  }));
}

async function forward(data: SpdyStream, error: SpdyStream, t: PortForwardTarget, backends: Set<WebSocket>): Promise<void> {
  error.resume();
  const port = Number(data.headers.port);
  const path = `/portForward/${[t.namespace, t.pod, t.uid].map(encodeURIComponent).join('/')}?port=${port}`;
  let backend: WebSocket;
  try {
    backend = await t.kubelet.openWebSocket(t.endpoint, path, CHANNEL_V5);
  } catch (e) {
    error.end(e instanceof KubeletRejected ? e.body.trim() || e.message : (e as Error).message);
    data.end();
    return;
  }
  backends.add(backend);
  backend.on('message', (msg, isBinary) => {
    const buf = toBuffer(msg as Buffer);
    if (!isBinary || buf.length === 0) return;
    if (buf[0] === 255) { if (buf[1] === DATA) data.end(); return; }
    const payload = buf.subarray(1);
    if (buf[0] === DATA && payload.length && !data.writableEnded && !data.write(payload)) {
      backend.pause();
      data.once('drain', () => backend.resume());
    } else if (buf[0] === ERROR && payload.length && !error.writableEnded) error.write(payload);
  });
  data.on('data', (d: Buffer) => {
    if (backend.readyState !== backend.OPEN) return;
    backend.send(frame(DATA, d), { binary: true }, () => { if (backend.bufferedAmount < HIGH_WATER) data.resume(); });
    if (backend.bufferedAmount >= HIGH_WATER) data.pause();
  });
  data.on('end', () => { if (backend.readyState === backend.OPEN) backend.send(closeFrame(DATA), { binary: true }); });
  // kubectl resets the streams when it gives the connection up.
  data.on('close', () => { if (data.resetStatus !== undefined) { backend.resume(); backend.close(1000); } });
  await new Promise<void>((resolve) => backend.once('close', () => resolve()));
  backends.delete(backend);
  if (!data.writableEnded) data.end();
  if (!error.writableEnded) error.end();
}
