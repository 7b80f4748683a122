// The only place volumes touch the host's mount table: tmpfs mounts through mount(8)/umount(8),
// and reading /proc/self/mountinfo to know what is mounted where.
import { runProcess } from '../../base/launcher/launcher.ts';
import { readFile } from 'node:fs/promises';

export interface MountInfo {
  mountPoint: string;
  fsType: string;
  source: string;
  /** Per-mount options (rw, nosuid, ...). */
  options: string;
  /** Filesystem options (a tmpfs's size=, mode=, ...). */
  superOptions: string;
}

/** mountinfo escapes space, tab, newline and backslash as octal (\040 ...). */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));

export function parseMountInfo(text: string): MountInfo[] {
  const out: MountInfo[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const fields = line.split(' ');
    const sep = fields.indexOf('-', 6);
    if (sep < 0 || fields.length < sep + 3) continue;
    out.push({ mountPoint: unescape(fields[4]), options: fields[5], fsType: fields[sep + 1], source: unescape(fields[sep + 2]), superOptions: fields[sep + 3] ?? '' });
  }
  return out;
}

export async function readMounts(): Promise<MountInfo[]> {
  return parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8'));
}

/** Mount points at dir or below it, deepest first (the order they must be unmounted in). */
export function mountsUnder(mounts: MountInfo[], dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const found = new Set<string>();
  for (const m of mounts) if (m.mountPoint === dir || m.mountPoint.startsWith(prefix)) found.add(m.mountPoint);
  return [...found].sort((a, b) => b.length - a.length);
}

export function isMountPoint(mounts: MountInfo[], dir: string): boolean {
  return mounts.some((m) => m.mountPoint === dir);
}

async function run(cmd: string, args: string[]): Promise<void> {
  const r = await runProcess({ file: cmd, args });
  if (r.code === 0) return;
  const first = r.stderr.trim().split('\n')[0];
  throw new Error(first || `${cmd} exited with ${r.signal ?? r.code}`);
}

/** Mounts a fresh tmpfs on dir; sizeBytes bounds it (else the kernel's default, half of RAM). */
export async function mountTmpfs(dir: string, sizeBytes?: number): Promise<void> {
  const args = ['-t', 'tmpfs'];
  if (sizeBytes !== undefined && sizeBytes > 0) args.push('-o', `size=${sizeBytes}`);
  args.push('tmpfs', dir);
  await run('mount', args);
}

/** Unmounts dir; falls back to a lazy unmount when a process still holds it busy. */
export async function unmount(dir: string): Promise<void> {
  try {
    await run('umount', [dir]);
  } catch (e) {
    const mounts = await readMounts();
    if (!isMountPoint(mounts, dir)) return;
    if (!/busy/i.test((e as Error).message)) throw e;
    await run('umount', ['-l', dir]);
  }
}
