// The only place volumes touch the host's mount table: tmpfs mounts and unmounts (host calls of the
// launcher), and reading /proc/self/mountinfo to know what is mounted where.
import { mount, unmountIfMounted } from '../../base/launcher/host-calls.ts';

export { readMountInfo as readMounts, parseMountInfo, mountsUnder, isMountPoint, isSeparateMount, type MountInfo } from '../../base/mountinfo.ts';

/** Mounts a fresh tmpfs on dir; sizeBytes bounds it (else the kernel's default, half of RAM). */
export async function mountTmpfs(dir: string, sizeBytes?: number): Promise<void> {
  await mount({ source: 'tmpfs', target: dir, fstype: 'tmpfs', data: sizeBytes !== undefined && sizeBytes > 0 ? `size=${sizeBytes}` : undefined });
}

/** Unmounts dir (not mounted: fine); falls back to a lazy unmount when a process still holds it busy. */
export async function unmount(dir: string): Promise<void> {
  try {
    await unmountIfMounted(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EBUSY') throw e;
    await unmountIfMounted(dir, { lazy: true });
  }
}
