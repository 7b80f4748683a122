// Overlay mounts of container root filesystems: the image's unpacked layers as read-only lower
// dirs shared by every container of the image, the container's own upper and work dirs.
//
// The mount data (all options) must fit one page (4096 bytes). Lower dirs are given relative to
// the store's directory, the cwd of the mount call (the launcher's or mount(8)'s, never ours): 72 bytes a
// layer, about 50 layers with long upper/work paths. Past that, mounting fails with a clear error.
import { mkdir, chmod } from 'node:fs/promises';
import { isSeparateMount } from '../../base/mountinfo.ts';
import { resolve } from 'node:path';
import { mount, unmount } from '../../base/launcher/host-calls.ts';

const MOUNT_DATA_MAX = 4095;

export { readMountInfo } from '../../base/mountinfo.ts';

/** Whether the overlay (or any filesystem of its own) is mounted at path. */
export function isMountPoint(path: string): Promise<boolean> {
  return isSeparateMount(path);
}

/** A container's overlay: the mount point, and its writable layer (upper and work dirs on one filesystem). */
export interface OverlayPaths {
  rootfs: string;
  upper: string;
  work: string;
}

export interface OverlayLayout extends OverlayPaths {
  /** Directory the mount call resolves lowerDirs against. */
  baseDir: string;
  /** Lower dirs, topmost first, relative to baseDir. */
  lowerDirs: string[];
}

/** Mounts the overlay at layout.rootfs (already mounted: left as is) and returns that path. */
export async function mountOverlay(layout: OverlayLayout): Promise<string> {
  const [rootfs, upper, work] = [resolve(layout.rootfs), resolve(layout.upper), resolve(layout.work)];
  if (await isMountPoint(rootfs)) return rootfs;
  for (const d of [upper, work, rootfs]) await mkdir(d, { recursive: true });
  await chmod(upper, 0o755);
  const data = `lowerdir=${layout.lowerDirs.join(':')},upperdir=${upper},workdir=${work}`;
  if (Buffer.byteLength(data) > MOUNT_DATA_MAX) {
    throw new Error(`cannot mount the root filesystem: ${layout.lowerDirs.length} layers make the overlay options ${Buffer.byteLength(data)} bytes, over the kernel's ${MOUNT_DATA_MAX}`);
  }
  if (/[,:]/.test(upper + work)) {
    throw new Error(`cannot mount the root filesystem: the writable layer's path ${upper} contains a comma or colon`);
  }
  await mount({ source: 'overlay', target: rootfs, fstype: 'overlay', data, cwd: layout.baseDir });
  return rootfs;
}

/** Unmounts rootfs when mounted; does nothing otherwise. */
export async function unmountOverlay(path: string): Promise<void> {
  const rootfs = resolve(path);
  if (!(await isMountPoint(rootfs))) return;
  await unmount(rootfs);
}
