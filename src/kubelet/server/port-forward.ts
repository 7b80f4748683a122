// One forwarded connection per WebSocket (v5.channel.k8s.io framing): channel 0 carries the
// data both ways, with [255, 0] as either side's half-close; channel 1 carries an error text
// from the kubelet. The socket closes (1000) once the runtime is done with the connection.
import { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { ChannelSocket } from './channel-socket.ts';
import type { PodRef, StreamingRuntime } from './streaming-runtime.ts';
import { StreamingError } from './streaming-runtime.ts';

export const PortForwardChannel = { data: 0, error: 1 } as const;

export function parsePort(q: URLSearchParams): number {
  const raw = q.get('port');
  if (!raw) throw StreamingError.badRequest('query parameter "port" is required');
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw StreamingError.badRequest(`unable to parse "${raw}" as a port`);
  return port;
}

export async function runPortForward(runtime: StreamingRuntime, pod: PodRef, port: number, ws: WebSocket): Promise<void> {
  const sock = new ChannelSocket(ws);
  const abort = new AbortController();
  ws.on('close', () => abort.abort());
  const incoming = sock.readable(PortForwardChannel.data);
  const outgoing = sock.writable(PortForwardChannel.data, { closeSignal: true });
  const conn = new Duplex({
    allowHalfOpen: true,
    read() { incoming.resume(); },
    write(chunk, enc, cb) { outgoing.write(chunk, enc, cb); },
    final(cb) { outgoing.end(cb); },
  });
  incoming.on('data', (d: Buffer) => { if (!conn.push(d)) incoming.pause(); });
  incoming.on('end', () => conn.push(null));
  try {
    await runtime.portForward(pod, port, conn, abort.signal);
  } catch (e) {
    await sock.send(PortForwardChannel.error, `error forwarding port ${port} to pod ${pod.name}, uid ${pod.uid}: ${(e as Error)?.message ?? e}`);
  }
  if (!outgoing.writableEnded) outgoing.end();
  await new Promise((resolve) => { if (outgoing.writableFinished) resolve(undefined); else outgoing.once('finish', resolve).once('error', resolve); });
  sock.close();
}
