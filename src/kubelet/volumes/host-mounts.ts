// The only place volumes touch the host's mount table: tmpfs mounts through mount(8)/umount(8),
// and reading /proc/self/mountinfo to know what is mounted where.
import { runProcess } from '../../base/launcher/launcher.ts';
import { readMountInfo as readMounts, isMountPoint } from '../../base/mountinfo.ts';

export { readMountInfo as readMounts, parseMountInfo, mountsUnder, isMountPoint, type MountInfo } from '../../base/mountinfo.ts';

async function run(cmd: string, args: string[]): Promise<void> {
  const r = await runProcess({ file: cmd, args });
  if (r.code === 0) return;
  const first = r.stderr.trim().split('\n')[0];
  throw new Error(first || `${cmd} exited with ${r.signal ?? r.code}`);
}

/** Mounts a fresh tmpfs on dir; sizeBytes bounds it (else the kernel's default, half of RAM). */
export async function mountTmpfs(dir: string, sizeBytes?: number): Promise<void> {
  const args = ['-t', 'tmpfs'];
  if (sizeBytes !== undefined && sizeBytes > 0) args.push('-o', `size=${sizeBytes}`);
  args.push('tmpfs', dir);
  await run('mount', args);
}

/** Unmounts dir; falls back to a lazy unmount when a process still holds it busy. */
export async function unmount(dir: string): Promise<void> {
  try {
    await run('umount', [dir]);
  } catch (e) {
    const mounts = await readMounts();
    if (!isMountPoint(mounts, dir)) return;
    if (!/busy/i.test((e as Error).message)) throw e;
    await run('umount', ['-l', dir]);
  }
}
