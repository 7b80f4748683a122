// The host's mount table as /proc/self/mountinfo tells it: one parser for every part that needs to
// know what is mounted where (volumes, overlay root filesystems, namespace pins, propagation).
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export interface MountInfo {
  mountPoint: string;
  /** Per-mount options (rw, nosuid, ...). */
  options: string;
  /** Optional fields: propagation (shared:N, master:N, unbindable). */
  optional: string[];
  fsType: string;
  source: string;
  /** Filesystem options (a tmpfs's size=, an overlay's lowerdir=, ...). */
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
    out.push({
      mountPoint: unescape(fields[4]!), options: fields[5]!, optional: fields.slice(6, sep),
      fsType: fields[sep + 1]!, source: unescape(fields[sep + 2]!), superOptions: fields[sep + 3] ?? '',
    });
  }
  return out;
}

export async function readMountInfo(): Promise<MountInfo[]> {
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

/**
 * Whether path is the root of a filesystem other than its parent directory's: two stats instead of
 * a read of the whole mount table (which grows with every pod). Right for the tmpfs and overlay
 * mounts the node makes, each with a device of its own; a bind mount within one filesystem is not
 * seen (read the mount table for those). A missing path is not a mount.
 */
export async function isSeparateMount(path: string): Promise<boolean> {
  const abs = resolve(path);
  try {
    const [own, parent] = await Promise.all([stat(abs), stat(dirname(abs))]);
    return own.dev !== parent.dev;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}
