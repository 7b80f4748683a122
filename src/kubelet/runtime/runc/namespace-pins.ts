// A pod's shared IPC and UTS namespaces held by bind mounts instead of by a pause process (CRI-O's
// drop_infra_ctr does the same with its pinns): one short-lived process makes both, names the pod's
// host in the new UTS namespace, and pins them as files in the sandbox's run directory; containers join
// them by path. A pause process (and its runc create, start and monitor) is only needed when the
// containers share a PID namespace.
import { mkdir, readdir, rm } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import { pinNewNamespaces, unmountIfMounted } from '../../../base/launcher/host-calls.ts';

export interface PinnedNamespaces { ipc?: string; uts?: string }

/**
 * Creates and pins the namespaces asked for in dir (ipc and/or uts, the latter named hostname).
 * Returns their paths; nothing is left behind when it fails.
 */
export async function pinNamespaces(dir: string, want: { ipc: boolean; uts: boolean; hostname: string }): Promise<PinnedNamespaces> {
  const out: PinnedNamespaces = {};
  if (!want.ipc && !want.uts) return out;
  await mkdir(dir, { recursive: true });
  for (const kind of ['ipc', 'uts'] as const) if (want[kind]) out[kind] = join(dir, kind);
  try {
    await pinNewNamespaces({ ...out, hostname: want.hostname });
  } catch (e) {
    await unpinNamespaces(dir).catch(() => undefined);
    throw new Error(`pinning the pod's namespaces: ${(e as Error).message}`);
  }
  return out;
}

/** Unmounts whatever is pinned in dir and removes it; a missing dir is fine. */
export async function unpinNamespaces(dir: string): Promise<void> {
  const abs = resolve(dir);
  let entries: Dirent[];
  try {
    entries = await readdir(abs, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const entry of entries) {
    const path = join(abs, entry.name);
    // A directory holds another sandbox's pins (cleanup unpins the whole run directory).
    if (entry.isDirectory()) { await unpinNamespaces(path); continue; }
    // Lazy: a container still being torn down may hold the namespace; it goes with its last user.
    await unmountIfMounted(path, { lazy: true }).catch((e: Error) => { throw new Error(`unpinning namespaces in ${abs}: ${e.message}`); });
  }
  await rm(abs, { recursive: true, force: true });
}
