// The node's cgroup trees: runc creates a container's cgroup (and the missing parents) in every
// hierarchy; the parents it leaves behind (pod and node-agent levels) are ours to remove. Works on
// cgroup v1 (one mount per controller, as on these hosts), the hybrid unified mount and pure v2.
import { readdir, rmdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const CGROUP_ROOT = '/sys/fs/cgroup';

/** Mount points of the cgroup hierarchies (v1 controllers, named, unified/v2). */
export async function cgroupHierarchies(): Promise<string[]> {
  const mounts = await readFile('/proc/self/mounts', 'utf8');
  return mounts.split('\n').map((l) => l.split(' ')).filter((f) => f[2] === 'cgroup' || f[2] === 'cgroup2').map((f) => f[1]!);
}

async function removeTree(dir: string): Promise<void> {
  let entries;
  try { entries = await readdir(dir, { withFileTypes: true }); } catch { return; }
  for (const e of entries) if (e.isDirectory()) await removeTree(join(dir, e.name));
  try { await rmdir(dir); } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Removes `relPath` (e.g. navarch-ab12/pod-uid) and everything below it in every hierarchy. */
export async function removeCgroupTree(relPath: string): Promise<void> {
  const rel = relPath.replace(/^\/+/, '');
  if (!rel) throw new Error('refusing to remove a cgroup root');
  for (const h of await cgroupHierarchies()) await removeTree(join(h, rel));
}
