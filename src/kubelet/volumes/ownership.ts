// fsGroup ownership (upstream's SetVolumeOwnership): every file and directory of a volume gets
// the pod's fsGroup as group, group read (and write unless the volume is read-only) permission,
// and directories the setgid bit so that new files inherit the group.
import { chmod, lchown, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const RW_MASK = 0o660;
const RO_MASK = 0o440;
const EXEC_MASK = 0o110;
const SETGID = 0o2000;

export async function applyOwnership(dir: string, fsGroup: number, readOnly: boolean): Promise<void> {
  const st = await lstat(dir);
  if (st.isSymbolicLink()) {
    await lchown(dir, st.uid, fsGroup);
    return;
  }
  await lchown(dir, st.uid, fsGroup);
  let mask = readOnly ? RO_MASK : RW_MASK;
  if (st.isDirectory()) mask |= SETGID | EXEC_MASK;
  await chmod(dir, (st.mode & 0o7777) | mask);
  if (st.isDirectory()) for (const name of await readdir(dir)) await applyOwnership(join(dir, name), fsGroup, readOnly);
}

/**
 * fsGroupChangePolicy OnRootMismatch: the walk is skipped when the volume's root already has the
 * group, the setgid bit and group rw(x) (a volume prepared before stays as it is).
 */
export async function ownershipMatches(dir: string, fsGroup: number, readOnly: boolean): Promise<boolean> {
  const st = await lstat(dir);
  const mask = (readOnly ? RO_MASK : RW_MASK) | SETGID | EXEC_MASK;
  return st.gid === fsGroup && (st.mode & mask) === mask;
}
