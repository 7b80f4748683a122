// The only place volumes touch the host's mount table: tmpfs mounts and unmounts (host calls of the
// launcher), and reading /proc/self/mountinfo to know what is mounted where.
import { mount, unmount as unmountCall } from '../../base/launcher/host-calls.ts';

export { readMountInfo as readMounts, parseMountInfo, mountsUnder, isMountPoint, isSeparateMount, type MountInfo } from '../../base/mountinfo.ts';

/** Mounts a fresh tmpfs on dir; sizeBytes bounds it (else the kernel's default, half of RAM). */
export async function mountTmpfs(dir: string, sizeBytes?: number): Promise<void> {
  await mount({ source: 'tmpfs', target: dir, fstype: 'tmpfs', data: sizeBytes !== undefined && sizeBytes > 0 ? `size=${sizeBytes}` : undefined });
}

/** Unmounts dir (not mounted: fine); falls back to a lazy unmount when a process still holds it busy. */
export async function unmount(dir: string): Promise<void> {
  try {
    await unmountCall(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EINVAL' || code === 'ENOENT') return;
    if (code !== 'EBUSY') throw e;
    await unmountCall(dir, { lazy: true });
  }
}
