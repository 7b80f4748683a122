// The runc command line, with its own state root (so several agents on one host never see each
// other's containers). Only this file and conmon.ts start runtime processes.
import { spawn } from 'node:child_process';
import { runProcess } from '../../../base/launcher/launcher.ts';

export const RUNC = '/usr/sbin/runc';

export interface RuncState {
  id: string;
  pid: number;
  status: 'created' | 'running' | 'paused' | 'stopped' | string;
  bundle: string;
  created: string;
}

export class RuncError extends Error {
  readonly stderr: string;
  constructor(message: string, stderr: string) { super(message); this.stderr = stderr; }
}

/** runc's own one-line error out of its logrus-formatted stderr. */
function runcMessage(stderr: string): string {
  const lines = stderr.trim().split('\n').filter(Boolean);
  const last = lines.at(-1) ?? '';
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(last);
  return m ? m[1]!.replace(/\\"/g, '"') : last;
}

export class RuncCli {
  readonly root: string;
  constructor(root: string) { this.root = root; }

  async run(args: string[], timeoutMs = 30_000): Promise<string> {
    const r = await runProcess({ file: RUNC, args: ['--root', this.root, ...args], timeoutMs });
    if (r.code !== 0) throw new RuncError(`runc ${args[0]}: ${runcMessage(r.stderr) || `exit ${r.signal ?? r.code}`}`, r.stderr);
    return r.stdout;
  }

  async state(id: string): Promise<RuncState | undefined> {
    try {
      return JSON.parse(await this.run(['state', id])) as RuncState;
    } catch (e) {
      if (e instanceof RuncError && /does not exist|not exist|no such file/i.test(e.message)) return undefined;
      throw e;
    }
  }

  async list(): Promise<RuncState[]> {
    const out = await this.run(['list', '--format', 'json']);
    return (JSON.parse(out || 'null') ?? []) as RuncState[];
  }

  start(id: string): Promise<string> { return this.run(['start', id]); }

  async kill(id: string, signal: string, all = false): Promise<void> {
    try {
      await this.run(['kill', ...(all ? ['--all'] : []), id, signal]);
    } catch (e) {
      // Already gone or already stopped: the signal has nothing left to reach.
      if (e instanceof RuncError && /not running|does not exist|process already finished|container not running/i.test(e.message)) return;
      throw e;
    }
  }

  async delete(id: string): Promise<void> {
    try {
      await this.run(['delete', '--force', id]);
    } catch (e) {
      if (e instanceof RuncError && /does not exist/i.test(e.message)) return;
      throw e;
    }
  }

  /** `runc exec` of argv in a running container, with the caller's stdio; resolves with the exit code. */
  exec(id: string, argv: string[], opts: { env?: string[]; cwd?: string; user?: string; stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream; signal?: AbortSignal }): Promise<number> {
    const args = ['--root', this.root, 'exec'];
    for (const e of opts.env ?? []) args.push('--env', e);
    if (opts.cwd) args.push('--cwd', opts.cwd);
    if (opts.user) args.push('--user', opts.user);
    args.push(id, ...argv);
    return new Promise((resolve, reject) => {
      const child = spawn(RUNC, args, { stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
      let stderrTail = '';
      if (opts.stdin) {
        opts.stdin.pipe(child.stdin!);
        child.stdin!.on('error', () => undefined);
      }
      child.stdout!.on('data', (d: Buffer) => opts.stdout?.write(d));
      const stderr = new RuncErrorFilter((d) => opts.stderr?.write(d));
      child.stderr!.on('data', (d: Buffer) => { stderrTail = (stderrTail + d.toString()).slice(-4096); stderr.write(d); });
      const onAbort = () => child.kill('SIGKILL');
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', reject);
      child.on('close', (code, sig) => {
        opts.signal?.removeEventListener('abort', onAbort);
        // runc itself failing (no such container, no such binary in it) shows in its stderr.
        const failed = code === 255 && /level=error/.test(stderrTail);
        stderr.end(failed);
        if (failed) reject(new RuncError(runcMessage(stderrTail), stderrTail));
        else resolve(code ?? (sig ? 128 + 9 : 1));
      });
    });
  }
}

/**
 * Passes an exec's stderr on, except runc's own error line when runc failed (the caller reports
 * that failure itself). A line that may be runc's (`time="…" level=error|fatal msg=…` at a line
 * start) is held back briefly: runc exits right after writing it; if the exec goes on instead,
 * the line was the process's own and is passed on.
 */
class RuncErrorFilter {
  readonly #forward: (d: Buffer) => void;
  #held: Buffer | undefined;
  #timer: NodeJS.Timeout | undefined;
  #atLineStart = true;

  constructor(forward: (d: Buffer) => void) { this.#forward = forward; }

  write(d: Buffer): void {
    if (this.#held) { this.#held = Buffer.concat([this.#held, d]); return; }
    const text = d.toString('latin1');
    let at = -1;
    for (const m of text.matchAll(/(^|\n)time="[^"\n]*" level=(error|fatal) /g)) {
      if (m[1] || this.#atLineStart) { at = m.index + m[1]!.length; break; }
    }
    if (at < 0) {
      this.#pass(d);
      return;
    }
    if (at > 0) this.#pass(d.subarray(0, at));
    this.#held = d.subarray(at);
    this.#timer = setTimeout(() => this.#release(), 300);
  }

  /** The exec ended: held output is dropped when runc failed, else passed on. */
  end(runcFailed: boolean): void {
    clearTimeout(this.#timer);
    if (runcFailed) this.#held = undefined;
    else this.#release();
  }

  #pass(d: Buffer): void {
    if (!d.length) return;
    this.#atLineStart = d[d.length - 1] === 0x0a;
    this.#forward(d);
  }

  #release(): void {
    const held = this.#held;
    this.#held = undefined;
    if (held) this.#pass(held);
  }
}
