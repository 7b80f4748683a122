// Usage of a process's cgroup, found through /proc/<pid>/cgroup so it does not matter where the
// runtime put it (runc nests relative cgroup paths under its own cgroup, per hierarchy). The
// layout is detected per controller: a v1 hierarchy carrying the controller wins (hosts with
// v1 controllers beside an empty unified mount), else the v2 hierarchy.
//   cpu:    v1 cpuacct.usage (ns); v2 cpu.stat usage_usec.
//   memory: the working set as upstream's cadvisor computes it, usage minus inactive file pages:
//           v1 memory.usage_in_bytes − total_inactive_file; v2 memory.current − inactive_file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  cgroupDir, parseCgroupMounts, parseFlatKeyed, parseProcessCgroups, parseSingleValue,
  type CgroupMount, type CgroupVersion, type ProcessCgroup,
} from './cgroup-files.ts';
import type { CgroupUsage } from './usage-sample.ts';

export interface CgroupReaderOptions {
  /** Where proc is mounted (tests point it at fixtures); default /proc. */
  procDir?: string;
}

/** Where one controller of a process lives. */
export interface ControllerLocation { version: CgroupVersion; dir: string }

async function readText(path: string): Promise<string | undefined> {
  try { return await readFile(path, 'utf8'); } catch { return undefined; }
}

/** The working set: usage less inactive file pages (never below zero). */
export function workingSet(usage: number, inactiveFile: number): number {
  return Math.max(0, usage - inactiveFile);
}

/** Cumulative cpu time of a cgroup directory in nanoseconds. */
export async function readCpuUsageNs(loc: ControllerLocation): Promise<number | undefined> {
  if (loc.version === 1) {
    const text = await readText(join(loc.dir, 'cpuacct.usage'));
    return text === undefined ? undefined : parseSingleValue(text);
  }
  const text = await readText(join(loc.dir, 'cpu.stat'));
  const usec = text === undefined ? undefined : parseFlatKeyed(text).get('usage_usec');
  return usec === undefined ? undefined : usec * 1000;
}

/** The memory working set of a cgroup directory in bytes. */
export async function readWorkingSetBytes(loc: ControllerLocation): Promise<number | undefined> {
  const [usageFile, inactiveKey] = loc.version === 1 ? ['memory.usage_in_bytes', 'total_inactive_file'] : ['memory.current', 'inactive_file'];
  const [usageText, statText] = await Promise.all([readText(join(loc.dir, usageFile)), readText(join(loc.dir, 'memory.stat'))]);
  const usage = usageText === undefined ? undefined : parseSingleValue(usageText);
  if (usage === undefined) return undefined;
  const inactive = statText === undefined ? 0 : parseFlatKeyed(statText).get(inactiveKey) ?? 0;
  return workingSet(usage, inactive);
}

/**
 * Where a controller of a process (described by its /proc/<pid>/cgroup lines) lives, given the
 * mounted hierarchies: the v1 hierarchy that carries it, else the unified one.
 */
export function locateController(mounts: CgroupMount[], cgroups: ProcessCgroup[], v1Controller: string): ControllerLocation | undefined {
  const v1 = cgroups.find((c) => c.hierarchyId !== 0 && c.controllers.includes(v1Controller));
  if (v1) {
    const mount = mounts.find((m) => m.version === 1 && m.controllers.includes(v1Controller));
    if (mount) return { version: 1, dir: cgroupDir(mount, v1.path) };
  }
  const v2 = cgroups.find((c) => c.hierarchyId === 0);
  const mount = mounts.find((m) => m.version === 2);
  if (v2 && mount) return { version: 2, dir: cgroupDir(mount, v2.path) };
  return undefined;
}

export class CgroupReader {
  readonly #procDir: string;
  #mounts: CgroupMount[] | undefined;

  constructor(o: CgroupReaderOptions = {}) {
    this.#procDir = o.procDir ?? '/proc';
  }

  async #cgroupMounts(): Promise<CgroupMount[]> {
    this.#mounts ??= parseCgroupMounts(await readText(join(this.#procDir, 'self', 'mountinfo')) ?? '');
    return this.#mounts;
  }

  /** The cpu and memory controllers' directories of a process; undefined when it is gone. */
  async locate(pid: number): Promise<{ cpu?: ControllerLocation; memory?: ControllerLocation } | undefined> {
    const text = await readText(join(this.#procDir, String(pid), 'cgroup'));
    if (text === undefined) return undefined;
    const cgroups = parseProcessCgroups(text);
    const mounts = await this.#cgroupMounts();
    return { cpu: locateController(mounts, cgroups, 'cpuacct'), memory: locateController(mounts, cgroups, 'memory') };
  }

  /** Cumulative cpu and working set of the cgroup a process is in; undefined when unreadable. */
  async usageOf(pid: number): Promise<CgroupUsage | undefined> {
    const loc = await this.locate(pid);
    if (!loc?.cpu || !loc.memory) return undefined;
    const [cpuNs, workingSetBytes] = await Promise.all([readCpuUsageNs(loc.cpu), readWorkingSetBytes(loc.memory)]);
    if (cpuNs === undefined || workingSetBytes === undefined) return undefined;
    return { cpuNs, workingSetBytes };
  }
}
