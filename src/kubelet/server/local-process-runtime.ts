// A StreamingRuntime over this host, for tests of the streaming path: "containers" are
// entries in a table, exec spawns the command as a local process (argv as given, no shell),
// logs come from files, port-forward dials a loopback port. Not for production use.
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { readFileSync, existsSync } from 'node:fs';
import type { Duplex, Writable } from 'node:stream';
import type { ExecIO, ExecResult, LogOptions, PodRef, StreamOperation, StreamingRuntime, TerminalSize } from './streaming-runtime.ts';
import { StreamingError } from './streaming-runtime.ts';

export interface LocalContainer {
  /** Log file: one line per entry, each "<RFC3339 timestamp> <text>". */
  logFile?: string;
  /** The log of the previous instance, for --previous. */
  previousLogFile?: string;
  /** Not running: exec/attach fail with container not found, logs with "waiting to start". */
  waiting?: string;
  /** What attach connects to (spawned per session); default: cat. */
  attachCommand?: string[];
}

export interface LocalPod { uid?: string; containers: Record<string, LocalContainer> }

export interface LocalProcessRuntimeOptions {
  /** Pods by "namespace/name". */
  pods: Record<string, LocalPod>;
  /** Loopback port each pod port forwards to (default: the same number). */
  ports?: Record<number, number>;
  /** How often a followed log file is polled (ms). */
  followPollMs?: number;
}

function splitLine(line: string): { time: Date; text: string } {
  const space = line.indexOf(' ');
  return { time: new Date(line.slice(0, space)), text: line.slice(space + 1) };
}

/** Quotes argv for `script -c`, which takes a shell command line. */
function shellQuote(argv: string[]): string {
  return argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
}

export class LocalProcessRuntime implements StreamingRuntime {
  readonly #opts: LocalProcessRuntimeOptions;
  /** Every terminal size a session reported, in order (tests read it). */
  readonly resizes: TerminalSize[] = [];
  /** Every exec command run, in order. */
  readonly commands: string[][] = [];

  constructor(opts: LocalProcessRuntimeOptions) { this.#opts = opts; }

  #pod(pod: PodRef): LocalPod {
    const p = this.#opts.pods[`${pod.namespace}/${pod.name}`];
    if (!p) throw StreamingError.notFound(`pod "${pod.name}" does not exist`);
    if (pod.uid && p.uid && pod.uid !== p.uid) throw StreamingError.notFound(`pod "${pod.name}" does not exist`);
    return p;
  }

  async check(op: StreamOperation, pod: PodRef, container?: string, opts: { previous?: boolean } = {}): Promise<void> {
    const p = this.#pod(pod);
    if (op === 'portForward') return;
    const c = p.containers[container ?? ''];
    if (op === 'logs') {
      if (!c) throw StreamingError.notFound(`container "${container}" not found in pod "${pod.name}"`);
      if (opts.previous && !c.previousLogFile) throw StreamingError.badRequest(`previous terminated container "${container}" in pod "${pod.name}" not found`);
      if (!opts.previous && c.waiting) throw StreamingError.badRequest(`container "${container}" in pod "${pod.name}" is waiting to start: ${c.waiting}`);
      return;
    }
    if (!c || c.waiting) throw StreamingError.containerNotFound(container ?? '');
  }

  async logs(pod: PodRef, container: string, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void> {
    const c = this.#pod(pod).containers[container];
    const file = opts.previous ? c.previousLogFile : c.logFile;
    const read = () => (file && existsSync(file) ? readFileSync(file, 'utf8') : '').split('\n').filter((l) => l !== '');
    let lines = read();
    let seen = lines.length;
    let budget = opts.limitBytes ?? Infinity;
    const emit = (batch: string[]) => {
      for (const raw of batch) {
        const { time, text } = splitLine(raw);
        if (opts.sinceTime && time < opts.sinceTime) continue;
        let line = Buffer.from(`${opts.timestamps ? `${time.toISOString()} ` : ''}${text}\n`);
        if (line.length > budget) line = line.subarray(0, budget);
        budget -= line.length;
        out.write(line);
        if (budget <= 0) return false;
      }
      return true;
    };
    if (opts.tailLines !== undefined) lines = opts.tailLines === 0 ? [] : lines.slice(-opts.tailLines);
    if (!emit(lines) || !opts.follow || opts.previous) return;
    while (!signal.aborted) {
      await new Promise((r) => setTimeout(r, this.#opts.followPollMs ?? 50));
      const now = read();
      if (now.length > seen && !emit(now.slice(seen))) return;
      seen = now.length;
    }
  }

  exec(pod: PodRef, container: string, cmd: string[], io: ExecIO, signal: AbortSignal): Promise<ExecResult> {
    this.#pod(pod);
    this.commands.push(cmd);
    return this.#run(io.tty ? ['script', '-qfec', shellQuote(cmd), '/dev/null'] : cmd, io, signal);
  }

  attach(pod: PodRef, container: string, io: ExecIO, signal: AbortSignal): Promise<ExecResult> {
    const c = this.#pod(pod).containers[container];
    const cmd = c?.attachCommand ?? ['cat'];
    return this.#run(io.tty ? ['script', '-qfec', shellQuote(cmd), '/dev/null'] : cmd, io, signal);
  }

  #run(argv: string[], io: ExecIO, signal: AbortSignal): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], signal, env: { ...process.env, TERM: 'xterm' } });
      child.on('error', (e) => { if ((e as NodeJS.ErrnoException).code !== 'ABORT_ERR') reject(e); });
      if (io.stdin) {
        io.stdin.pipe(child.stdin);
        child.stdin.on('error', () => undefined);
      } else child.stdin.end();
      if (io.resize) void (async () => { for await (const size of io.resize!) this.resizes.push(size); })();
      const outputs = [new Promise((r) => child.stdout.on('end', r)), new Promise((r) => child.stderr.on('end', r))];
      child.stdout.on('data', (d) => io.stdout?.write(d));
      child.stderr.on('data', (d) => (io.stderr ?? (io.tty ? io.stdout : undefined))?.write(d));
      child.on('close', async (code, sig) => {
        await Promise.all(outputs);
        io.stdin?.unpipe(child.stdin);
        resolve({ exitCode: code ?? (sig ? 128 + 9 : 1) });
      });
    });
  }

  portForward(_pod: PodRef, port: number, conn: Duplex, signal: AbortSignal): Promise<void> {
    const target = this.#opts.ports?.[port] ?? port;
    return new Promise((resolve, reject) => {
      const sock = createConnection({ host: '127.0.0.1', port: target, allowHalfOpen: true });
      signal.addEventListener('abort', () => sock.destroy(), { once: true });
      sock.once('error', (e) => { conn.destroy(); reject(e); });
      sock.once('connect', () => {
        conn.pipe(sock);
        sock.pipe(conn);
        sock.once('close', () => resolve());
      });
    });
  }
}
