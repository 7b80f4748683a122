// The text formats of cgroup and proc files the stats read: which hierarchies are mounted where
// (mountinfo), which cgroup a process is in (/proc/<pid>/cgroup), and the flat "key value" files
// (memory.stat, cpu.stat). Pure parsing, no file access.

export type CgroupVersion = 1 | 2;

/** A mounted cgroup hierarchy. */
export interface CgroupMount {
  version: CgroupVersion;
  /** Where it is mounted. */
  mountPoint: string;
  /** The cgroup the mount shows at its mount point ("/" for a whole hierarchy). */
  root: string;
  /** v1: the controllers (and name=...) of the hierarchy; v2: empty. */
  controllers: string[];
}

/** One line of /proc/<pid>/cgroup. */
export interface ProcessCgroup {
  hierarchyId: number;
  /** v1: the hierarchy's controllers; v2 (hierarchy 0): empty. */
  controllers: string[];
  path: string;
}

/** mountinfo escapes blanks and backslashes as octal (\040). */
function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** The cgroup hierarchies in a mountinfo text (/proc/self/mountinfo), in mount order. */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const out: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const fields = line.trim().split(' ');
    const sep = fields.indexOf('-');
    if (sep < 6 || fields.length < sep + 4) continue;
    const fsType = fields[sep + 1];
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue;
    const version: CgroupVersion = fsType === 'cgroup2' ? 2 : 1;
    out.push({
      version,
      mountPoint: unescapeMountField(fields[4]!),
      root: unescapeMountField(fields[3]!),
      controllers: version === 1 ? fields[sep + 3]!.split(',') : [],
    });
  }
  return out;
}

/** The lines of /proc/<pid>/cgroup. */
export function parseProcessCgroups(text: string): ProcessCgroup[] {
  const out: ProcessCgroup[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    out.push({ hierarchyId: Number(m[1]), controllers: m[2] ? m[2].split(',') : [], path: m[3]! });
  }
  return out;
}

/** "key value" lines (memory.stat, cpu.stat) as numbers; lines that are not that are skipped. */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [k, v, extra] = line.trim().split(/\s+/);
    if (!k || v === undefined || extra !== undefined) continue;
    const n = Number(v);
    if (Number.isFinite(n)) out.set(k, n);
  }
  return out;
}

/** A file holding a single number (cpuacct.usage, memory.current); undefined for "max" or garbage. */
export function parseSingleValue(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  return Number(t);
}

/** The directory of a process's cgroup in a mount: the mount shows `root` at its mount point. */
export function cgroupDir(mount: CgroupMount, path: string): string {
  const root = mount.root === '/' ? '' : mount.root;
  const rel = root && (path === root || path.startsWith(`${root}/`)) ? path.slice(root.length) : path;
  return `${mount.mountPoint.replace(/\/+$/, '')}${rel === '/' ? '' : rel}`;
}
