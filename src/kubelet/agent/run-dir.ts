// The agent's run directory (/run/navarch-<tag>): runc's state, container bundles, conmon's exit
// files and attach sockets, the pods' pinned namespaces and /etc files. All of it is meant to go with a reboot, as /run does where
// it is a tmpfs. Where /run is an ordinary directory on disk (some VMs), the agent mounts a tmpfs
// of its own there, which also spares each container start the disk's inode allocation (runc
// makes a state directory and a fifo per container).
import { mkdir, rm, statfs } from 'node:fs/promises';
import { mount, unmount } from '../../base/launcher/host-calls.ts';
import { isSeparateMount } from '../../base/mountinfo.ts';

/** statfs(2)'s f_type of a tmpfs. */
export const TMPFS_MAGIC = 0x01021994;
/** Room for thousands of containers' state (a few KiB each); a tmpfs takes only what is written. */
const RUN_DIR_SIZE = '64m';

/** Makes dir, on a tmpfs: the one /run is on, or one mounted here (kept when it is already). */
export async function ensureRunDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if ((await statfs(dir)).type === TMPFS_MAGIC) return;
  await mount({ source: 'tmpfs', target: dir, fstype: 'tmpfs', flags: ['nosuid', 'nodev'], data: `mode=0700,size=${RUN_DIR_SIZE}` });
}

/** Removes dir, unmounting the tmpfs ensureRunDir mounted (what is mounted inside must be gone first). */
export async function removeRunDir(dir: string): Promise<void> {
  if (await isSeparateMount(dir)) await unmount(dir, { lazy: true });
  await rm(dir, { recursive: true, force: true });
}
