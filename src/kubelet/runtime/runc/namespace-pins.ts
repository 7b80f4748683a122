// A pod's shared IPC and UTS namespaces held by bind mounts instead of by a pause process (CRI-O's
// drop_infra_ctr does the same with its pinns): one `unshare` makes both, names the pod's host in
// the new UTS namespace, and pins them as files in the sandbox's run directory; containers join
// them by path. A pause process (and its runc create, start and monitor) is only needed when the
// containers share a PID namespace.
import { mkdir, writeFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runProcess } from '../../../base/launcher/launcher.ts';
import { mountsUnder, readMountInfo } from '../../../base/mountinfo.ts';

export const UNSHARE = '/usr/bin/unshare';
export const HOSTNAME = '/usr/bin/hostname';

export interface PinnedNamespaces { ipc?: string; uts?: string }

/**
 * Creates and pins the namespaces asked for in dir (ipc and/or uts, the latter named hostname).
 * Returns their paths; nothing is left behind when it fails.
 */
export async function pinNamespaces(dir: string, want: { ipc: boolean; uts: boolean; hostname: string }): Promise<PinnedNamespaces> {
  const out: PinnedNamespaces = {};
  if (!want.ipc && !want.uts) return out;
  await mkdir(dir, { recursive: true });
  const args: string[] = [];
  for (const kind of ['ipc', 'uts'] as const) {
    if (!want[kind]) continue;
    const file = join(dir, kind);
    // The bind mount needs an existing file to land on.
    await writeFile(file, '');
    args.push(`--${kind}=${file}`);
    out[kind] = file;
  }
  const cmd = want.uts ? [HOSTNAME, want.hostname] : ['/bin/true'];
  const r = await runProcess({ file: UNSHARE, args: [...args, ...cmd], timeoutMs: 30_000 });
  if (r.code !== 0) {
    await unpinNamespaces(dir).catch(() => undefined);
    throw new Error(`pinning the pod's namespaces: ${r.stderr.trim().split('\n').at(-1) || `unshare exited ${r.signal ?? r.code}`}`);
  }
  return out;
}

/** Unmounts whatever is pinned in dir and removes it; a missing dir is fine. */
export async function unpinNamespaces(dir: string): Promise<void> {
  const abs = resolve(dir);
  const pinned = mountsUnder(await readMountInfo(), abs);
  if (pinned.length) {
    const r = await runProcess({ file: 'umount', args: ['--lazy', ...pinned], timeoutMs: 30_000 });
    if (r.code !== 0 && mountsUnder(await readMountInfo(), abs).length) throw new Error(`unpinning namespaces in ${abs}: ${r.stderr.trim()}`);
  }
  await rm(abs, { recursive: true, force: true });
}
