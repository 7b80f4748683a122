// exec and attach over a WebSocket with v5.channel.k8s.io framing: stdin (0), stdout (1),
// stderr (2), the final metav1.Status (3), terminal resize (4), half-close signals (255).
import type { WebSocket } from 'ws';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { ChannelSocket, Channel } from './channel-socket.ts';
import { ResizeQueue } from './resize-queue.ts';
import type { ExecIO, PodRef, StreamingRuntime } from './streaming-runtime.ts';
import { StreamingError } from './streaming-runtime.ts';

export interface RemoteCommandRequest {
  kind: 'exec' | 'attach';
  pod: PodRef;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

const flag = (q: URLSearchParams, ...names: string[]) => names.some((n) => q.get(n) === '1' || q.get(n) === 'true');

/** Reads the stream options as upstream's kubelet does (input/output/error/tty, and the API's names). */
export function parseRemoteCommand(kind: 'exec' | 'attach', pod: PodRef, container: string, q: URLSearchParams): RemoteCommandRequest {
  const tty = flag(q, 'tty');
  const req: RemoteCommandRequest = {
    kind, pod, container, command: q.getAll('command'), tty,
    stdin: flag(q, 'input', 'stdin'), stdout: flag(q, 'output', 'stdout'),
    // A terminal has no separate stderr.
    stderr: !tty && flag(q, 'error', 'stderr'),
  };
  if (!req.stdin && !req.stdout && !req.stderr) throw StreamingError.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  if (kind === 'exec' && req.command.length === 0) throw StreamingError.badRequest('you must specify at least one command for the container');
  return req;
}

/** The Status documents upstream writes on the error channel. */
export const execStatus = {
  success: () => ({ metadata: {}, status: 'Success' }),
  exitCode: (cmd: string[], code: number) => ({
    metadata: {}, status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${cmd.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  }),
  internal: (what: string, err: unknown) => {
    const message = `${what}: ${(err as Error)?.message ?? String(err)}`;
    return { metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
  },
};

async function flushed(w: Writable | undefined): Promise<void> {
  if (!w) return;
  w.end();
  await finished(w).catch(() => undefined);
}

export async function runRemoteCommand(runtime: StreamingRuntime, req: RemoteCommandRequest, ws: WebSocket): Promise<void> {
  const sock = new ChannelSocket(ws);
  const abort = new AbortController();
  ws.on('close', () => abort.abort());
  const resize = req.tty ? new ResizeQueue() : undefined;
  if (resize) {
    sock.onMessage(Channel.resize, (data) => resize.pushJSON(data.toString()));
    ws.on('close', () => resize.end());
  }
  const io: ExecIO = {
    tty: req.tty,
    stdin: req.stdin ? sock.readable(Channel.stdin) : undefined,
    stdout: req.stdout ? sock.writable(Channel.stdout) : undefined,
    stderr: req.stderr ? sock.writable(Channel.stderr) : undefined,
    resize,
  };
  let status: object;
  try {
    if (req.kind === 'exec') {
      const { exitCode } = await runtime.exec(req.pod, req.container, req.command, io, abort.signal);
      status = exitCode === 0 ? execStatus.success() : execStatus.exitCode(req.command, exitCode);
    } else {
      await runtime.attach(req.pod, req.container, io, abort.signal);
      status = execStatus.success();
    }
  } catch (e) {
    status = execStatus.internal(req.kind === 'exec' ? 'error executing command in container' : 'error attaching to container', e);
  }
  resize?.end();
  await Promise.all([flushed(io.stdout), flushed(io.stderr)]);
  await sock.send(Channel.error, JSON.stringify(status));
  sock.close();
}
