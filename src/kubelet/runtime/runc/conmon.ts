// Starting a container under conmon, as CRI-O does: conmon runs `runc create` and then stays as the
// container's monitor — it holds the container's stdio, writes its output to a CRI-format log file,
// records the exit code (and an OOM kill) in files, and survives restarts of the node agent.
import { launchWithHandshake } from '../../../base/launcher/launcher.ts';
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
export async function launchConmon(l: ConmonLaunch): Promise<number> {
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
  const { answer, stderr } = await launchWithHandshake(
    // conmon drops files (an `oom` marker among them) into its working directory.
    { file: CONMON, args, cwd: l.bundle, detached: true, timeoutMs: l.timeoutMs ?? 30_000, env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' } },
    { env: '_OCI_SYNCPIPE', startEnv: '_OCI_STARTPIPE', start: '0' },
  );
  if (!answer) throw new Error(cleanMessage(stderr) || `conmon: no answer from runc create within ${l.timeoutMs ?? 30_000} ms`);
  const parsed = JSON.parse(answer) as { data?: number; message?: string };
  if (typeof parsed.data === 'number' && parsed.data > 0) return parsed.data;
  throw new Error(cleanMessage(parsed.message ?? stderr) || 'runc create failed');
}

/** runc's error as conmon relays it, without the logrus decoration. */
function cleanMessage(s: string): string {
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(s);
  return (m ? m[1]!.replace(/\\"/g, '"') : s).trim().split('\n').at(-1) ?? '';
}
