// Persistent, named network namespaces bind-mounted under /run/netns, the way `ip netns add` makes them
// (we let iproute2 do the unshare and bind mount: Node.js cannot unshare itself).
import { readdir, access } from 'node:fs/promises';
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

/** Creates the namespace unless it exists already (its lo stays down until the loopback plugin runs). */
export async function createNetns(name: string): Promise<string> {
  assertName(name);
  if (await netnsExists(name)) return netnsPath(name);
  const r = await runCommand('ip', ['netns', 'add', name]);
  if (r.code !== 0 && !(await netnsExists(name))) {
    throw new Error(`create network namespace ${name}: ${r.stderr.trim()}`);
  }
  return netnsPath(name);
}

/** Removes the namespace's mount and file; a namespace already gone is fine. */
export async function deleteNetns(name: string): Promise<void> {
  assertName(name);
  if (!(await netnsExists(name))) return;
  const r = await runCommand('ip', ['netns', 'delete', name]);
  if (r.code !== 0 && (await netnsExists(name))) {
    throw new Error(`delete network namespace ${name}: ${r.stderr.trim()}`);
  }
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
