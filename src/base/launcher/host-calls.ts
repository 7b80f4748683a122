// Mounts, unmounts and new pinned namespaces for the node agent. The launcher makes them itself with
// mount(2), umount2(2) and unshare(2), so no process starts (mount(8) alone reads the whole mount
// table and fstab on every call); when commands are spawned directly, mount(8), umount(8),
// unshare(1), hostname(1) and ip(8) do the same work.
import { writeFile } from 'node:fs/promises';
import { hostCall, launcherInUse, runProcess } from './launcher.ts';

export type MountFlag = 'ro' | 'nosuid' | 'nodev' | 'noexec' | 'bind' | 'rec' | 'shared' | 'private' | 'slave';

export interface MountSpec {
  source: string;
  target: string;
  fstype?: string;
  flags?: MountFlag[];
  /** Filesystem options (tmpfs size=, overlay lowerdir=...). */
  data?: string;
  /** Directory relative paths in data are resolved against (overlay lower dirs). */
  cwd?: string;
}

export async function mount(spec: MountSpec): Promise<void> {
  if (launcherInUse()) return hostCall({ op: 'mount', ...spec, flags: spec.flags ?? [] });
  const flags = spec.flags ?? [];
  const args: string[] = [];
  if (spec.fstype) args.push('-t', spec.fstype);
  const bind = flags.includes('bind') ? [flags.includes('rec') ? 'rbind' : 'bind'] : [];
  const propagation = flags.filter((f) => f === 'shared' || f === 'private' || f === 'slave').map((f) => (flags.includes('rec') ? `r${f}` : f));
  const options = [...bind, ...propagation, ...flags.filter((f) => ['ro', 'nosuid', 'nodev', 'noexec'].includes(f)), ...(spec.data ? [spec.data] : [])];
  if (options.length) args.push('-o', options.join(','));
  args.push(spec.source, spec.target);
  await command('mount', args, spec.cwd);
}

/** Unmounts target; `lazy` detaches it even while busy. Errors carry the errno name as code (EINVAL: not mounted, EBUSY). */
export async function unmount(target: string, opts: { lazy?: boolean } = {}): Promise<void> {
  if (launcherInUse()) return hostCall({ op: 'umount', target, lazy: opts.lazy });
  await command('umount', [...(opts.lazy ? ['--lazy'] : []), target]);
}

/** unmount, where nothing mounted at target (or no target) is fine: resolves false then. */
export async function unmountIfMounted(target: string, opts: { lazy?: boolean } = {}): Promise<boolean> {
  try {
    await unmount(target, opts);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EINVAL' || code === 'ENOENT') return false;
    throw e;
  }
}

export interface NewNamespaces {
  /** Files the new namespaces are bind-mounted on (made here when missing). */
  ipc?: string;
  uts?: string;
  net?: string;
  /** The new UTS namespace's host name. */
  hostname?: string;
}

/**
 * New IPC, UTS and/or network namespaces pinned on files: they outlive the process that made them,
 * and processes join them by path. A new network namespace has its lo up. On failure, what was
 * already pinned stays for the caller to unmount.
 */
export async function pinNewNamespaces(want: NewNamespaces): Promise<void> {
  const ns: Partial<Record<'ipc' | 'uts' | 'net', string>> = {};
  for (const kind of ['ipc', 'uts', 'net'] as const) if (want[kind]) ns[kind] = want[kind];
  // A bind mount needs an existing file to land on.
  for (const file of Object.values(ns)) await writeFile(file, '', { flag: 'a' });
  if (launcherInUse()) return hostCall({ op: 'pin', ns, hostname: want.hostname });
  if (ns.ipc || ns.uts) {
    const args = [...(ns.ipc ? [`--ipc=${ns.ipc}`] : []), ...(ns.uts ? [`--uts=${ns.uts}`] : [])];
    await command('unshare', [...args, ...(ns.uts && want.hostname ? ['hostname', want.hostname] : ['true'])]);
  }
  if (ns.net) await command('unshare', [`--net=${ns.net}`, 'ip', 'link', 'set', 'lo', 'up']);
}

async function command(file: string, args: string[], cwd?: string): Promise<void> {
  const r = await runProcess({ file, args, cwd, timeoutMs: 60_000 });
  if (r.code === 0) return;
  // mount(8) follows its message with a pointer to dmesg(1): not the message.
  const said = r.stderr.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('dmesg(1)')) ?? '';
  const e = new Error(said || `${file} exited with ${r.signal ?? r.code}`) as NodeJS.ErrnoException;
  if (/busy/i.test(said)) e.code = 'EBUSY';
  else if (/not mounted/i.test(said)) e.code = 'EINVAL';
  else if (/no such file/i.test(said)) e.code = 'ENOENT';
  throw e;
}
