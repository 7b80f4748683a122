// Starting a container under conmon, as CRI-O does: conmon runs `runc create` and then stays as the
// container's monitor — it holds the container's stdio, writes its output to a CRI-format log file,
// records the exit code (and an OOM kill) in files, and survives restarts of the node agent.
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { RUNC } from './runc-cli.ts';

export const CONMON = '/usr/bin/conmon';

export interface ConmonLaunch {
  id: string;
  bundle: string;
  runcRoot: string;
  logPath: string;
  exitDir: string;
  socketDir: string;
  /** conmon writes `oom` here when the kernel OOM-killed the container. */
  persistDir: string;
  /** Maximum log file size before conmon rotates it (bytes). */
  logSizeMax?: number;
  stdin?: boolean;
  /** Keep the container's stdin open when an attached client disconnects (stdin without stdinOnce). */
  leaveStdinOpen?: boolean;
  terminal?: boolean;
  timeoutMs?: number;
}

/** Runs conmon (which creates the container, not yet started); resolves with the container's pid. */
export function launchConmon(l: ConmonLaunch): Promise<number> {
  const args = [
    '--api-version', '1', '-c', l.id, '-u', l.id, '-n', l.id, '-r', RUNC, '-b', l.bundle,
    '-p', `${l.bundle}/pidfile`, '-P', `${l.bundle}/conmon.pid`,
    '-l', `k8s-file:${l.logPath}`, '--exit-dir', l.exitDir, '--socket-dir-path', l.socketDir, '-0', l.persistDir,
    '--runtime-arg', `--root=${l.runcRoot}`, '--log-level', 'error', '--syslog',
  ];
  if (l.logSizeMax) args.push('--log-size-max', String(l.logSizeMax));
  if (l.stdin) args.push('-i');
  if (l.stdin && l.leaveStdinOpen) args.push('--leave-stdin-open');
  if (l.terminal) args.push('-t');
  return new Promise((resolve, reject) => {
    const child = spawn(CONMON, args, {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4' },
      detached: true,
      // conmon drops files (an `oom` marker among them) into its working directory.
      cwd: l.bundle,
    });
    const sync = child.stdio[3] as Readable;
    const start = child.stdio[4] as Writable;
    let stderr = '';
    let answer = '';
    let settled = false;
    const done = (err: Error | undefined, pid?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // conmon's daemonized child keeps its ends of the pipes; ours must go or they hold us open.
      sync.destroy();
      start.destroy();
      child.stderr?.destroy();
      child.unref();
      if (err) reject(err);
      else resolve(pid!);
    };
    const timer = setTimeout(() => done(new Error(`conmon: no answer from runc create within ${l.timeoutMs ?? 30_000} ms`)), l.timeoutMs ?? 30_000);
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', (e) => done(e));
    start.on('error', () => undefined);
    start.end('0');
    sync.on('data', (d: Buffer) => {
      answer += d.toString();
      let parsed: { data?: number; message?: string };
      try { parsed = JSON.parse(answer); } catch { return; }
      if (typeof parsed.data === 'number' && parsed.data > 0) done(undefined, parsed.data);
      else done(new Error(cleanMessage(parsed.message ?? stderr) || 'runc create failed'));
    });
    sync.on('end', () => done(new Error(cleanMessage(stderr) || 'conmon exited without creating the container')));
  });
}

/** runc's error as conmon relays it, without the logrus decoration. */
function cleanMessage(s: string): string {
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(s);
  return (m ? m[1]!.replace(/\\"/g, '"') : s).trim().split('\n').at(-1) ?? '';
}
