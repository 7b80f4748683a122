// What mountPropagation needs of the host (containerd's checks): a HostToContainer (rslave) bind
// must come from a shared or slave mount, a Bidirectional (rshared) one from a shared mount;
// otherwise nothing would propagate and the container fails to be created, with containerd's words.
import { readMountInfo, type MountInfo } from '../../../base/mountinfo.ts';
import { resolve } from 'node:path';
import type { Mount } from '../runtime.ts';

/** The mount a path lives on: the longest mount point that contains it (the last such, if stacked). */
function mountOf(entries: MountInfo[], path: string): MountInfo | undefined {
  let best: MountInfo | undefined;
  for (const e of entries) {
    const inside = e.mountPoint === '/' || path === e.mountPoint || path.startsWith(`${e.mountPoint}/`);
    if (inside && (!best || e.mountPoint.length >= best.mountPoint.length)) best = e;
  }
  return best;
}

/** Throws containerd's error for the first mount whose propagation the host cannot give. */
export async function checkMountPropagation(mounts: Mount[]): Promise<void> {
  const wanted = mounts.filter((m) => m.propagation);
  if (!wanted.length) return;
  const entries = await readMountInfo();
  for (const m of wanted) {
    const path = resolve(m.hostPath);
    const entry = mountOf(entries, path);
    if (!entry) continue;
    const shared = entry.optional.some((o) => o.startsWith('shared:'));
    const slave = entry.optional.some((o) => o.startsWith('master:'));
    if (m.propagation === 'rshared' && !shared) throw new Error(`path "${path}" is mounted on "${entry.mountPoint}" but it is not a shared mount`);
    if (m.propagation === 'rslave' && !shared && !slave) throw new Error(`path "${path}" is mounted on "${entry.mountPoint}" but it is not a shared or slave mount`);
  }
}
