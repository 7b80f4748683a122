// The node's own usage from /proc, what upstream reports for the root cgroup:
//   cpu:    time not idle — user, nice, system, irq and softirq of the "cpu" line of /proc/stat
//           (guest time is already inside user; iowait is idle; steal is the hypervisor's).
//   memory: the root's working set. cadvisor takes usage − inactive_file of the root cgroup, and
//           where the root has no usage file (v2) runc stands in MemTotal − MemFree; the same from
//           /proc/meminfo is MemTotal − MemFree − Inactive(file).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostUsage } from './usage-sample.ts';

/** /proc/stat counts in USER_HZ, which Linux fixes at 100 for user space on every architecture. */
export const USER_HZ = 100;

/** Busy cpu time since boot, in nanoseconds, from /proc/stat; undefined without a "cpu" line. */
export function parseProcStatBusyNs(text: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const [user, nice, system, _idle, _iowait, irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  const ticks = [user, nice, system, irq, softirq].reduce<number>((a, v) => a + (Number.isFinite(v) ? v! : 0), 0);
  return Math.round((ticks * 1e9) / USER_HZ);
}

/** The node's working set in bytes from /proc/meminfo; undefined when the fields are missing. */
export function parseMeminfoWorkingSet(text: string): number | undefined {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([^:]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m) kb.set(m[1]!, Number(m[2]));
  }
  const total = kb.get('MemTotal');
  const free = kb.get('MemFree');
  if (total === undefined || free === undefined) return undefined;
  return Math.max(0, total - free - (kb.get('Inactive(file)') ?? 0)) * 1024;
}

/** The machine's usage now; undefined when /proc cannot be read. */
export async function readHostUsage(procDir = '/proc'): Promise<HostUsage | undefined> {
  try {
    const [stat, meminfo] = await Promise.all([readFile(join(procDir, 'stat'), 'utf8'), readFile(join(procDir, 'meminfo'), 'utf8')]);
    const cpuNs = parseProcStatBusyNs(stat);
    const workingSetBytes = parseMeminfoWorkingSet(meminfo);
    if (cpuNs === undefined || workingSetBytes === undefined) return undefined;
    return { cpuNs, workingSetBytes };
  } catch {
    return undefined;
  }
}
