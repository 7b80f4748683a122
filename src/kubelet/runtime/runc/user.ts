// Which uid/gid a container process runs as: runAsUser/runAsGroup win; else the image's USER, a
// number or a name looked up in the image's own /etc/passwd and /etc/group (as containerd does).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ProcessUser {
  uid: number;
  gid: number;
  additionalGids: number[];
}

async function readTable(rootfs: string, file: string): Promise<string[][]> {
  try {
    return (await readFile(join(rootfs, 'etc', file), 'utf8')).split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));
  } catch {
    return [];
  }
}

const isNumber = (s: string) => /^\d+$/.test(s);

export async function resolveUser(rootfs: string, imageUser: string | undefined, runAsUser?: number, runAsGroup?: number, supplementalGroups: number[] = []): Promise<ProcessUser> {
  const passwd = await readTable(rootfs, 'passwd');
  const group = await readTable(rootfs, 'group');
  let uid = 0;
  let gid: number | undefined;
  let userName: string | undefined;
  const [u, g] = (imageUser ?? '').split(':');
  if (runAsUser !== undefined) {
    uid = runAsUser;
  } else if (u) {
    if (isNumber(u)) uid = Number(u);
    else {
      const row = passwd.find((r) => r[0] === u);
      if (!row) throw new Error(`unable to find user ${u}: no matching entries in passwd file`);
      uid = Number(row[2]);
      gid = Number(row[3]);
    }
  }
  userName = passwd.find((r) => Number(r[2]) === uid)?.[0];
  if (gid === undefined) gid = Number(passwd.find((r) => Number(r[2]) === uid)?.[3] ?? 0);
  if (runAsUser === undefined && g) {
    if (isNumber(g)) gid = Number(g);
    else {
      const row = group.find((r) => r[0] === g);
      if (!row) throw new Error(`unable to find group ${g}: no matching entries in group file`);
      gid = Number(row[2]);
    }
  }
  if (runAsGroup !== undefined) gid = runAsGroup;
  // The user's groups from /etc/group, then the pod's supplemental groups.
  const extra = new Set<number>();
  if (userName) for (const r of group) if ((r[3] ?? '').split(',').includes(userName)) extra.add(Number(r[2]));
  for (const s of supplementalGroups) extra.add(s);
  extra.delete(gid);
  return { uid, gid, additionalGids: [...extra] };
}
