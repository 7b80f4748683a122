// Runs the host tools the store relies on (GNU tar, mount, umount, mknod, setfattr).
import { spawn } from 'node:child_process';

export interface CommandOptions {
  cwd?: string;
}

/** Resolves with stdout; rejects with the tool's first line of stderr. */
export function runCommand(cmd: string, args: string[], opts: CommandOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => err.push(d));
    p.on('error', reject);
    p.on('close', (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(out).toString());
      const stderr = Buffer.concat(err).toString().trim().split('\n').filter(Boolean);
      reject(new Error(stderr[0] ?? `${cmd} exited with ${code ?? signal}`));
    });
  });
}
