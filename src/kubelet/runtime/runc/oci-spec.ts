// The OCI runtime spec (config.json) runc runs: the defaults containerd gives a Kubernetes container
// (capabilities, masked paths, /dev, /proc, /sys mounts), the pod's shared namespaces joined by
// path, and the container's own argv, env, user, mounts, resources and security settings.
import { readFileSync } from 'node:fs';
import type { ContainerConfig, ContainerResources } from '../runtime.ts';

/** Docker's (and containerd's CRI) default capability set. */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

/** Every capability runc 1.1 knows, by number (CAP_CHOWN is 0). */
const KNOWN_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW',
  'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD',
  'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

const MASKED_PATHS = [
  '/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
];
const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A capability as the pod spec names it (NET_ADMIN) in the OCI spelling (CAP_NET_ADMIN). */
export function ociCapability(name: string): string {
  const upper = name.toUpperCase();
  return upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

/**
 * All of them, for privileged containers: those in our own bounding set, as containerd grants
 * (a host that withholds one from root, e.g. CAP_SYS_RESOURCE in some VMs, would fail them all).
 */
function allCapabilities(): string[] {
  const bounding = ownCapabilities().bounding;
  return KNOWN_CAPABILITIES.filter((_, i) => ((bounding >> BigInt(i)) & 1n) === 1n);
}

export function capabilitySet(privileged: boolean, add: string[] = [], drop: string[] = []): string[] {
  if (privileged) return allCapabilities();
  const dropped = new Set(drop.map(ociCapability));
  const all = dropped.has('CAP_ALL');
  const set = new Set(all ? [] : DEFAULT_CAPABILITIES.filter((c) => !dropped.has(c)));
  for (const c of add.map(ociCapability)) {
    if (c === 'CAP_ALL') for (const x of allCapabilities()) set.add(x);
    else set.add(c);
  }
  return [...set];
}

export interface Namespaces {
  /** Paths of the sandbox's namespaces to join; a missing entry means a new namespace. */
  network?: string;
  ipc?: string;
  uts?: string;
  pid?: string;
  /** Share the host's namespace instead of any (hostNetwork, hostPID, hostIPC). */
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
}

export interface SpecInput {
  rootfs: string;
  readonlyRootfs: boolean;
  args: string[];
  env: string[];
  cwd: string;
  user: { uid: number; gid: number; additionalGids: number[] };
  terminal: boolean;
  hostname?: string;
  namespaces: Namespaces;
  mounts: ContainerConfig['mounts'];
  resources: ContainerResources;
  capabilities: string[];
  noNewPrivileges: boolean;
  privileged: boolean;
  cgroupsPath: string;
  annotations?: Record<string, string>;
}

function namespaceList(ns: Namespaces): { type: string; path?: string }[] {
  const out: { type: string; path?: string }[] = [{ type: 'mount' }];
  const entry = (type: string, host: boolean | undefined, path: string | undefined) => {
    if (host) return;
    out.push(path ? { type, path } : { type });
  };
  entry('network', ns.hostNetwork, ns.network);
  entry('ipc', ns.hostIPC, ns.ipc);
  entry('uts', ns.hostNetwork, ns.uts);
  entry('pid', ns.hostPID, ns.pid);
  return out;
}

function resources(r: ContainerResources): Record<string, unknown> {
  const out: Record<string, unknown> = { devices: [{ allow: false, access: 'rwm' }] };
  if (r.memoryLimitBytes) out.memory = { limit: r.memoryLimitBytes, swap: r.memoryLimitBytes };
  const cpu: Record<string, number> = {};
  if (r.cpuShares) cpu.shares = r.cpuShares;
  if (r.cpuQuota) { cpu.quota = r.cpuQuota; cpu.period = r.cpuPeriod ?? 100_000; }
  if (Object.keys(cpu).length) out.cpu = cpu;
  if (r.pidsLimit) out.pids = { limit: r.pidsLimit };
  return out;
}

export function buildSpec(input: SpecInput): Record<string, unknown> {
  const caps = input.capabilities;
  const mounts: Record<string, unknown>[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
  ];
  const hasShm = input.mounts.some((m) => m.containerPath === '/dev/shm');
  if (!hasShm) mounts.push({ destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] });
  for (const m of input.mounts) {
    mounts.push({ destination: m.containerPath, type: 'bind', source: m.hostPath, options: ['rbind', m.propagation ?? 'rprivate', m.readOnly ? 'ro' : 'rw'] });
  }
  const linux: Record<string, unknown> = {
    namespaces: namespaceList(input.namespaces),
    cgroupsPath: input.cgroupsPath,
    resources: resources(input.resources),
  };
  // Propagation into (or out of) the container needs its root to receive it too (as containerd sets).
  if (input.mounts.some((m) => m.propagation === 'rshared')) linux.rootfsPropagation = 'rshared';
  else if (input.mounts.some((m) => m.propagation === 'rslave')) linux.rootfsPropagation = 'rslave';
  if (!input.privileged) {
    linux.maskedPaths = MASKED_PATHS;
    linux.readonlyPaths = READONLY_PATHS;
  }
  const process: Record<string, unknown> = {
    terminal: input.terminal,
    user: { uid: input.user.uid, gid: input.user.gid, additionalGids: input.user.additionalGids },
    args: input.args,
    env: input.env,
    cwd: input.cwd || '/',
    capabilities: { bounding: caps, effective: caps, permitted: caps },
    noNewPrivileges: input.noNewPrivileges,
  };
  if (input.resources.oomScoreAdj !== undefined) process.oomScoreAdj = allowedOomScoreAdj(input.resources.oomScoreAdj);
  // runc refuses a hostname without a UTS namespace of the container's own.
  const spec: Record<string, unknown> = {
    ociVersion: '1.0.2-dev',
    process,
    root: { path: input.rootfs, readonly: input.readonlyRootfs },
    mounts,
    linux,
  };
  if (input.hostname !== undefined && !input.namespaces.uts && !input.namespaces.hostNetwork) spec.hostname = input.hostname;
  if (input.annotations) spec.annotations = input.annotations;
  return spec;
}

/**
 * Lowering oom_score_adj takes CAP_SYS_RESOURCE, which some hosts (containers, restricted VMs)
 * withhold from root: runc would fail every Guaranteed pod there. Without it a container's value
 * is raised to our own, as containerd's restrict_oom_score_adj does.
 */
export function allowedOomScoreAdj(wanted: number): number {
  const floor = ownOomFloor();
  return floor === undefined ? wanted : Math.max(wanted, floor);
}

const CAP_SYS_RESOURCE = 24n;
let cachedFloor: { value: number | undefined } | undefined;

function ownOomFloor(): number | undefined {
  if (cachedFloor) return cachedFloor.value;
  let value: number | undefined;
  if (((ownCapabilities().effective >> CAP_SYS_RESOURCE) & 1n) === 0n) {
    try { value = Number(readFileSync('/proc/self/oom_score_adj', 'utf8').trim()); } catch { /* not Linux: leave values alone */ }
  }
  cachedFloor = { value };
  return value;
}

let cachedCaps: { effective: bigint; bounding: bigint } | undefined;

/** Our own effective and bounding capability sets (every bit set where /proc cannot tell). */
function ownCapabilities(): { effective: bigint; bounding: bigint } {
  if (cachedCaps) return cachedCaps;
  const all = (1n << 64n) - 1n;
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const field = (name: string) => { const m = new RegExp(`^${name}:\\s*([0-9a-f]+)`, 'm').exec(status); return m ? BigInt(`0x${m[1]}`) : all; };
    cachedCaps = { effective: field('CapEff'), bounding: field('CapBnd') };
  } catch {
    cachedCaps = { effective: all, bounding: all };
  }
  return cachedCaps;
}
