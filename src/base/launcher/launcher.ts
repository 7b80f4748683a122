// Host commands started through a small long-lived launcher process (launcher.py) instead of by
// forking this one: a fork of the server (hundreds of MiB mapped) blocks the event loop ~5 ms per
// command, and the node agent runs about ten commands per pod start. Without python3 the commands
// are spawned directly, as before.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';

export const PYTHON3 = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./launcher.py', import.meta.url));

export interface ProcessRequest {
  file: string;
  args: readonly string[];
  cwd?: string;
  /** The whole environment of the command; absent: this process's. */
  env?: Record<string, string | undefined>;
  /** Text written to the command's stdin (then closed); absent: /dev/null. */
  stdin?: string;
  timeoutMs?: number;
  /** In a session of its own (it outlives us and our Ctrl-C). */
  detached?: boolean;
}

export interface ProcessResult {
  /** Exit code; 128 + n when killed by signal n. */
  code: number;
  /** The signal that ended it (SIGKILL after the timeout). */
  signal?: string;
  stdout: string;
  stderr: string;
}

/**
 * conmon's start-up handshake: the command writes one JSON value to a pipe whose fd number is in
 * env `env`, after reading `start` from a pipe named by `startEnv`. The answer is that JSON text,
 * returned as soon as it is complete, while the command (a daemonizing monitor) lives on.
 */
export interface SyncHandshake { env: string; startEnv: string; start: string }

interface Pending { resolve(r: ProcessResult & { sync?: string }): void; reject(e: Error): void }

interface Answer { id: number; code?: number; signal?: string; stdout?: string; stderr?: string; sync?: string; error?: string; errno?: number; errnoName?: string }

/** A host call the launcher makes itself, with no command (see launcher.py and host-calls.ts). */
export type HostCall =
  | { op: 'mount'; source: string; target: string; fstype?: string; flags: string[]; data?: string; cwd?: string }
  | { op: 'umount'; target: string; lazy?: boolean }
  | { op: 'pin'; ns: Partial<Record<'ipc' | 'uts' | 'net', string>>; hostname?: string };

class Launcher {
  #child: ChildProcess | undefined;
  #buffer = '';
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  request(req: (ProcessRequest & { sync?: SyncHandshake }) | HostCall): Promise<ProcessResult & { sync?: string }> {
    const child = this.#ensure();
    const id = this.#nextId++;
    const line = JSON.stringify('args' in req ? { id, ...req, args: [...req.args] } : { id, ...req }) + '\n';
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#ref(true);
      child.stdin!.write(line);
    });
  }

  #ensure(): ChildProcess {
    if (this.#child) return this.#child;
    const child = spawn(PYTHON3, ['-I', '-u', SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
    this.#child = child;
    this.#buffer = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => this.#onData(d));
    child.stdin!.on('error', () => undefined);
    const gone = (why: string) => {
      if (this.#child !== child) return;
      this.#child = undefined;
      const err = new Error(`process launcher ${why}`);
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    };
    child.on('error', (e) => gone(`failed: ${e.message}`));
    child.on('exit', (code, sig) => gone(`exited (${sig ?? code})`));
    return child;
  }

  #onData(d: string): void {
    this.#buffer += d;
    for (let nl = this.#buffer.indexOf('\n'); nl >= 0; nl = this.#buffer.indexOf('\n')) {
      const line = this.#buffer.slice(0, nl);
      this.#buffer = this.#buffer.slice(nl + 1);
      let a: Answer;
      try { a = JSON.parse(line) as Answer; } catch { continue; }
      const p = this.#pending.get(a.id);
      if (!p) continue;
      this.#pending.delete(a.id);
      if (a.error !== undefined) {
        const e = new Error(a.error) as NodeJS.ErrnoException;
        if (a.errnoName) e.code = a.errnoName;
        else if (a.errno === 2) e.code = 'ENOENT';
        if (typeof a.errno === 'number') e.errno = a.errno;
        p.reject(e);
      } else {
        p.resolve({ code: a.code ?? 1, signal: a.signal, stdout: a.stdout ?? '', stderr: a.stderr ?? '', sync: a.sync });
      }
    }
    if (this.#pending.size === 0) this.#ref(false);
  }

  /** The launcher keeps the event loop alive only while it owes answers (CLI commands must still exit). */
  #ref(on: boolean): void {
    const c = this.#child;
    if (!c) return;
    const handles = [c, c.stdout as unknown as { ref(): void; unref(): void }, c.stdin as unknown as { ref(): void; unref(): void }];
    for (const h of handles) if (h) { if (on) h.ref(); else h.unref(); }
  }
}

let shared: Launcher | undefined;
const useLauncher = existsSync(PYTHON3) && process.env.NAVARCH_DIRECT_SPAWN !== '1';

/** Whether host calls go through the launcher (else: commands spawned directly). */
export function launcherInUse(): boolean {
  return useLauncher;
}

/** Makes a host call in the launcher; rejects with the call's errno as the error's code (EBUSY...). */
export async function hostCall(call: HostCall): Promise<void> {
  if (!useLauncher) throw new Error('host calls need the process launcher (python3)');
  shared ??= new Launcher();
  await shared.request(call);
}

/** Runs a command to completion and collects its output (never rejects for a non-zero exit). */
export async function runProcess(req: ProcessRequest): Promise<ProcessResult> {
  if (!useLauncher) return spawnDirect(req);
  shared ??= new Launcher();
  const { sync: _sync, ...result } = await shared.request(req);
  return result;
}

/** Starts a command that answers on a handshake pipe (conmon); resolves with that answer and its stderr so far. */
export async function launchWithHandshake(req: ProcessRequest, sync: SyncHandshake): Promise<{ answer: string; stderr: string }> {
  if (!useLauncher) return handshakeDirect(req, sync);
  shared ??= new Launcher();
  const r = await shared.request({ ...req, sync });
  return { answer: r.sync && isJson(r.sync) ? r.sync : '', stderr: r.stderr };
}

function spawnDirect(req: ProcessRequest): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(req.file, [...req.args], {
      cwd: req.cwd, env: req.env ?? process.env, detached: req.detached,
      stdio: [req.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    // Our own timer, not spawn's `timeout`: that one outlives a command that failed to start.
    const timer = setTimeout(() => child.kill('SIGKILL'), req.timeoutMs ?? 60_000);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? 128 + (signal ? constants.signals[signal] : 0), signal: signal ?? undefined,
        stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    if (req.stdin !== undefined) {
      // A command that exits before reading stdin makes the write fail with EPIPE; its exit code tells the story.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(req.stdin);
    }
  });
}

function handshakeDirect(req: ProcessRequest, sync: SyncHandshake): Promise<{ answer: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(req.file, [...req.args], {
      cwd: req.cwd, detached: req.detached, stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...(req.env ?? process.env), [sync.env]: '3', [sync.startEnv]: '4' },
    });
    const answerPipe = child.stdio[3] as NodeJS.ReadableStream & { destroy(): void };
    const startPipe = child.stdio[4] as NodeJS.WritableStream & { destroy(): void; on(e: 'error', f: () => void): void };
    let stderr = '';
    let answer = '';
    let settled = false;
    const done = (eof: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // The daemonized monitor keeps its ends of the pipes; ours must go or they hold us open.
      answerPipe.destroy();
      startPipe.destroy();
      child.stderr!.destroy();
      child.unref();
      resolve({ answer: eof && !isJson(answer) ? '' : answer, stderr });
    };
    const timer = setTimeout(() => done(true), req.timeoutMs ?? 60_000);
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', (e) => { if (!settled) { settled = true; clearTimeout(timer); reject(e); } });
    startPipe.on('error', () => undefined);
    startPipe.end(sync.start);
    answerPipe.on('data', (d: Buffer) => { answer += d.toString(); if (isJson(answer)) done(false); });
    answerPipe.on('end', () => done(true));
  });
}

function isJson(s: string): boolean {
  try { JSON.parse(s); return true; } catch { return false; }
}
