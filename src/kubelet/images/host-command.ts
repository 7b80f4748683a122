// Runs the host tools the store relies on (GNU tar, mount, umount, mknod, setfattr).
import { runProcess } from '../../base/launcher/launcher.ts';

export interface CommandOptions {
  cwd?: string;
}

/** Resolves with stdout; rejects with the tool's first line of stderr. */
export async function runCommand(cmd: string, args: string[], opts: CommandOptions = {}): Promise<string> {
  const r = await runProcess({ file: cmd, args, cwd: opts.cwd, timeoutMs: 3_600_000 });
  if (r.code === 0) return r.stdout;
  const stderr = r.stderr.trim().split('\n').filter(Boolean);
  throw new Error(stderr[0] ?? `${cmd} exited with ${r.signal ?? r.code}`);
}
