// Persistent, named network namespaces bind-mounted under /run/netns, laid out as `ip netns add` makes
// them (so `ip netns` lists and enters them). The launcher makes one with no command to start, its lo
// already up (what the CNI loopback plugin would do); without it iproute2 does.
import { readdir, access, mkdir, rm } from 'node:fs/promises';
import { launcherInUse } from '../../base/launcher/launcher.ts';
import { mount, pinNewNamespaces, unmountIfMounted } from '../../base/launcher/host-calls.ts';
import { readMountInfo } from '../../base/mountinfo.ts';
import { runCommand } from './run-command.ts';

export const NETNS_RUN_DIR = '/run/netns';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function netnsPath(name: string): string {
  return `${NETNS_RUN_DIR}/${name}`;
}

function assertName(name: string): void {
  if (!NAME.test(name) || name.length > 200) throw new Error(`invalid network namespace name ${JSON.stringify(name)}`);
}

export async function netnsExists(name: string): Promise<boolean> {
  try {
    await access(netnsPath(name));
    return true;
  } catch {
    return false;
  }
}

/** Creates the namespace, lo up, unless it exists already. */
export async function createNetns(name: string): Promise<string> {
  assertName(name);
  const path = netnsPath(name);
  if (await netnsExists(name)) return path;
  if (!launcherInUse()) {
    const r = await runCommand('ip', ['netns', 'add', name]);
    if (r.code !== 0 && !(await netnsExists(name))) throw new Error(`create network namespace ${name}: ${r.stderr.trim()}`);
    const up = await runCommand('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    if (up.code !== 0) throw new Error(`bring up lo in network namespace ${name}: ${up.stderr.trim()}`);
    return path;
  }
  await sharedRunDir();
  try {
    await pinNewNamespaces({ net: path });
  } catch (e) {
    await deleteNetns(name).catch(() => undefined);
    throw new Error(`create network namespace ${name}: ${(e as Error).message}`);
  }
  return path;
}

let runDirReady: Promise<void> | undefined;

/**
 * /run/netns as iproute2 leaves it: a mount point of its own with shared propagation, so that a
 * namespace unmounted here is unmounted in every mount namespace that copied it too.
 */
function sharedRunDir(): Promise<void> {
  runDirReady ??= (async () => {
    await mkdir(NETNS_RUN_DIR, { recursive: true, mode: 0o755 });
    const own = (await readMountInfo()).filter((m) => m.mountPoint === NETNS_RUN_DIR).at(-1);
    if (own?.optional.some((f) => f.startsWith('shared:'))) return;
    if (!own) await mount({ source: NETNS_RUN_DIR, target: NETNS_RUN_DIR, flags: ['bind', 'rec'] });
    await mount({ source: 'none', target: NETNS_RUN_DIR, flags: ['shared', 'rec'] });
  })().catch((e: unknown) => { runDirReady = undefined; throw e; });
  return runDirReady;
}

/** Removes the namespace's mount and file; a namespace already gone is fine. */
export async function deleteNetns(name: string): Promise<void> {
  assertName(name);
  if (!(await netnsExists(name))) return;
  const path = netnsPath(name);
  if (!launcherInUse()) {
    const r = await runCommand('ip', ['netns', 'delete', name]);
    if (r.code !== 0 && (await netnsExists(name))) throw new Error(`delete network namespace ${name}: ${r.stderr.trim()}`);
    return;
  }
  // As `ip netns delete`: detach (a process inside keeps it alive until it leaves), then unlink.
  await unmountIfMounted(path, { lazy: true }).catch((e: Error) => { throw new Error(`delete network namespace ${name}: ${e.message}`); });
  await rm(path, { force: true });
}

/** Names of the namespaces under /run/netns that start with prefix, sorted. */
export async function listNetns(prefix: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(NETNS_RUN_DIR);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names.filter((n) => n.startsWith(prefix)).sort();
}
