// exec/attach for SPDY clients (kubectl up to 1.29, and the fallback of later ones): kubectl
// opens one SPDY stream per stream type (header streamType: error, stdin, stdout, stderr,
// resize); this side waits for all it expects, then bridges them to the kubelet's WebSocket.
// The final Status goes on the error stream: JSON for v4/v5, the bare message before that.
import type { WebSocket } from 'ws';
import type { SpdyConnection, SpdyStream } from './spdy/index.ts';
import { Channel, closeFrame, frame, toBuffer } from './channel-frames.ts';
import type { RemoteCommandOptions } from './remote-command-options.ts';

export const REMOTE_COMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'] as const;

const STREAM_CREATION_TIMEOUT_MS = 30_000;
const SUCCESS = '{"metadata":{},"status":"Success"}';

interface Streams { error?: SpdyStream; stdin?: SpdyStream; stdout?: SpdyStream; stderr?: SpdyStream; resize?: SpdyStream }

/** Waits for the streams the client must open, replying to each as it comes. */
function collectStreams(conn: SpdyConnection, expected: number): Promise<Streams> {
  return new Promise((resolve, reject) => {
    const got: Streams = {};
    let count = 0;
    const timer = setTimeout(() => { conn.off('stream', onStream); reject(new Error('timed out waiting for client to create streams')); }, STREAM_CREATION_TIMEOUT_MS);
    const onStream = (s: SpdyStream) => {
      const type = s.headers.streamtype as keyof Streams;
      if (!['error', 'stdin', 'stdout', 'stderr', 'resize'].includes(type) || got[type]) { s.reset(); return; }
      got[type] = s;
      void s.reply();
      if (++count === expected) { clearTimeout(timer); conn.off('stream', onStream); resolve(got); }
    };
    conn.on('stream', onStream);
    conn.once('close', () => { clearTimeout(timer); reject(new Error('connection closed')); });
  });
}

/** What the error stream carries for this protocol version. */
function errorStreamText(protocol: string, statusJson: string | undefined): string {
  const modern = protocol === 'v4.channel.k8s.io' || protocol === 'v5.channel.k8s.io';
  if (modern) return statusJson || SUCCESS;
  if (!statusJson) return '';
  try {
    const status = JSON.parse(statusJson);
    return status.status === 'Success' ? '' : String(status.message ?? '');
  } catch {
    return statusJson;
  }
}

export async function bridgeSpdyRemoteCommand(conn: SpdyConnection, protocol: string, opts: RemoteCommandOptions, backend: WebSocket): Promise<void> {
  const resizable = opts.tty && !['v2.channel.k8s.io', 'channel.k8s.io'].includes(protocol);
  const expected = 1 + Number(opts.stdin) + Number(opts.stdout) + Number(opts.stderr) + Number(resizable);
  conn.once('close', () => { backend.resume(); backend.close(); });
  let streams: Streams;
  try {
    streams = await collectStreams(conn, expected);
  } catch {
    backend.close();
    conn.destroy();
    return;
  }
  const { stdin, stdout, stderr, resize, error } = streams;

  // Client → kubelet, slowed down when the kubelet link is behind.
  const forward = (source: SpdyStream, channel: number, transform: (b: Buffer) => Buffer = (b) => b) => {
    source.on('data', (d: Buffer) => {
      if (backend.readyState !== backend.OPEN) return;
      backend.send(frame(channel, transform(d)), { binary: true }, () => { if (backend.bufferedAmount < 1 << 20) source.resume(); });
      if (backend.bufferedAmount >= 1 << 20) source.pause();
    });
  };
  if (stdin) {
    forward(stdin, Channel.stdin);
    stdin.on('end', () => { if (backend.readyState === backend.OPEN) backend.send(closeFrame(Channel.stdin), { binary: true }); });
  }
  if (resize) forward(resize, Channel.resize);
  // The client does not write these; reading them lets their FIN be seen.
  error?.resume();
  stdout?.resume();
  stderr?.resume();

  // Kubelet → client.
  let status: string | undefined;
  const outputs: Record<number, SpdyStream | undefined> = { [Channel.stdout]: stdout, [Channel.stderr]: stderr };
  backend.on('message', (data, isBinary) => {
    const buf = toBuffer(data as Buffer);
    if (!isBinary || buf.length === 0) return;
    const ch = buf[0];
    const payload = buf.subarray(1);
    if (ch === Channel.error) { status = (status ?? '') + payload.toString('utf8'); return; }
    const out = outputs[ch];
    if (out && payload.length && !out.write(payload)) {
      backend.pause();
      out.once('drain', () => backend.resume());
    }
  });
  await new Promise<void>((resolve) => {
    if (backend.readyState === backend.CLOSED) resolve();
    else backend.once('close', () => resolve());
    backend.resume();
  });

  const text = errorStreamText(protocol, status);
  if (error && text) error.write(text);
  for (const s of [stdout, stderr, error, stdin, resize]) s?.end();
  await conn.close();
}
