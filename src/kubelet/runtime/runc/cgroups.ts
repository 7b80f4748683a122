// The node's cgroup trees: runc creates a container's cgroup (and the missing parents) in every
// hierarchy; the parents it leaves behind (pod and node-agent levels) are ours to remove. Works on
// cgroup v1 (one mount per controller, as on these hosts), the hybrid unified mount and pure v2.
import { readdir, rmdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export const CGROUP_ROOT = '/sys/fs/cgroup';

let cgroupMounts: Promise<string[][]> | undefined;

/**
 * The cgroup lines of /proc/self/mounts (fields split), read once: the hierarchies do not move
 * while we run, and the whole table grows with every pod's mounts.
 */
function cgroupMountFields(): Promise<string[][]> {
  cgroupMounts ??= readFile('/proc/self/mounts', 'utf8').then(
    (text) => text.split('\n').map((l) => l.split(' ')).filter((f) => f[2] === 'cgroup' || f[2] === 'cgroup2'),
    (e: unknown) => { cgroupMounts = undefined; throw e; },
  );
  return cgroupMounts;
}

/** Mount points of the cgroup hierarchies (v1 controllers, named, unified/v2). */
export async function cgroupHierarchies(): Promise<string[]> {
  return (await cgroupMountFields()).map((f) => f[1]!);
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

/** Limits of a cgroup that is a parent of containers (a pod's); unset fields stay unlimited. */
export interface ParentCgroupLimits {
  cpuShares: number;
  cpuPeriod?: number;
  cpuQuota?: number;
  memoryLimitBytes?: number;
}

/** cgroup v2 cpu.weight for cpu.shares, as runc converts it. */
export function cpuSharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  return 1 + Math.trunc(((shares - 2) * 9999) / 262142);
}

/**
 * Creates relPath (e.g. navarch-ab12/pod<uid>) and sets its cpu and memory limits, before runc
 * nests the pod's containers under it: cpu shares/weight, the CFS quota, the memory limit. On a
 * pure v2 host (/sys/fs/cgroup is cgroup2) the unified files, after enabling the controllers on
 * the way down; otherwise the v1 cpu and memory hierarchies (as runc uses on hybrid hosts).
 */
export async function applyParentCgroup(relPath: string, limits: ParentCgroupLimits): Promise<void> {
  const rel = relPath.replace(/^\/+/, '');
  if (!rel) throw new Error('refusing to configure a cgroup root');
  const mounts = await cgroupMountFields();
  const unifiedRoot = mounts.find((f) => f[1] === CGROUP_ROOT && f[2] === 'cgroup2');
  if (unifiedRoot) {
    const parts = rel.split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = join(CGROUP_ROOT, ...parts.slice(0, i));
      // Children can limit only what their parent hands down.
      await writeFile(join(dir, 'cgroup.subtree_control'), '+cpu +memory +pids').catch(() => undefined);
      await mkdir(join(dir, parts[i]!), { recursive: true });
    }
    const dir = join(CGROUP_ROOT, rel);
    await writeFile(join(dir, 'cpu.weight'), String(cpuSharesToWeight(limits.cpuShares)));
    await writeFile(join(dir, 'cpu.max'), `${limits.cpuQuota ?? 'max'} ${limits.cpuPeriod ?? 100000}`);
    await writeFile(join(dir, 'memory.max'), limits.memoryLimitBytes !== undefined ? String(limits.memoryLimitBytes) : 'max');
    return;
  }
  const v1 = (controller: string) => mounts.find((f) => f[2] === 'cgroup' && (f[3] ?? '').split(',').includes(controller))?.[1];
  const cpu = v1('cpu');
  if (cpu) {
    const dir = join(cpu, rel);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'cpu.shares'), String(limits.cpuShares));
    if (limits.cpuQuota !== undefined) {
      await writeFile(join(dir, 'cpu.cfs_period_us'), String(limits.cpuPeriod ?? 100000));
      await writeFile(join(dir, 'cpu.cfs_quota_us'), String(limits.cpuQuota));
    }
  }
  const memory = v1('memory');
  if (memory && limits.memoryLimitBytes !== undefined) {
    const dir = join(memory, rel);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'memory.limit_in_bytes'), String(limits.memoryLimitBytes));
  }
}
