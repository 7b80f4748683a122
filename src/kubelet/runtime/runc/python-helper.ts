// Small Python programs do what Node.js cannot: hold a pseudo-terminal, speak SOCK_SEQPACKET,
// run inside another network namespace. Each runs as `python3 -I -c <source> args…` with its
// stdio piped and a status pipe on fd 3, on which it reports one JSON line
// (`{"ok":true,…}` or `{"error":"…"}`) once it knows how things went.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

export const PYTHON = '/usr/bin/python3';

export interface HelperStatus { ok?: boolean; error?: string; exitCode?: number }

export interface PythonHelper {
  child: ChildProcess;
  /** Every status line the helper writes, in order. */
  statuses: AsyncIterator<HelperStatus>;
  /** Resolves once the helper has exited. */
  exited: Promise<{ code: number | null; stderr: string }>;
}

/** Runs source under python3, prefixed by `prefix` (e.g. nsenter) when given. */
export function startPythonHelper(source: string, args: string[], opts: { prefix?: string[]; extraFds?: number } = {}): PythonHelper {
  const argv = [...(opts.prefix ?? []), PYTHON, '-I', '-c', source, ...args];
  const extra = Array.from({ length: opts.extraFds ?? 0 }, () => 'pipe' as const);
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe', 'pipe', ...extra] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-8192); });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.once('error', (e) => { stderr += e.message; resolve({ code: null, stderr }); });
    child.once('close', (code) => resolve({ code, stderr }));
  });
  return { child, statuses: statusLines(child.stdio[3] as Readable), exited };
}

async function* statusLines(pipe: Readable): AsyncGenerator<HelperStatus> {
  let buf = '';
  for await (const chunk of pipe) {
    buf += (chunk as Buffer).toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try { yield JSON.parse(line) as HelperStatus; } catch { /* not ours */ }
    }
  }
}

/** The next status line, or an error made of what the helper printed when it ends without one. */
export async function nextStatus(h: PythonHelper, what: string): Promise<HelperStatus> {
  const r = await h.statuses.next();
  if (!r.done) return r.value;
  const { code, stderr } = await h.exited;
  const detail = stderr.trim().split('\n').at(-1) || `exit code ${code}`;
  throw new Error(`${what}: ${detail}`);
}
