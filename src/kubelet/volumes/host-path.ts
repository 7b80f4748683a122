// hostPath volumes: the path itself, after upstream's type check (creating it for the *OrCreate
// types) and its error messages.
import { lstat, mkdir, open, stat } from 'node:fs/promises';

type Kind = 'Directory' | 'File' | 'Socket' | 'CharDevice' | 'BlockDevice' | 'Other';

async function kindOf(path: string): Promise<Kind | undefined> {
  let st;
  try { st = await stat(path); } catch { return undefined; }
  if (st.isDirectory()) return 'Directory';
  if (st.isFile()) return 'File';
  if (st.isSocket()) return 'Socket';
  if (st.isCharacterDevice()) return 'CharDevice';
  if (st.isBlockDevice()) return 'BlockDevice';
  return 'Other';
}

/** Upstream's ValidatePathNoBacksteps. */
export function checkNoBacksteps(path: string): string | undefined {
  return path.split('/').includes('..') ? "must not contain '..'" : undefined;
}

export async function checkHostPathType(path: string, type: string | undefined): Promise<void> {
  const backsteps = checkNoBacksteps(path);
  if (backsteps) throw new Error(`invalid HostPath \`${path}\`: ${backsteps}`);
  if (!type) return;
  const kind = await kindOf(path);
  // A dangling symlink exists for lstat but not for stat: upstream counts it as existing.
  const exists = kind !== undefined || (await lstat(path).then(() => true, () => false));
  switch (type) {
    case 'DirectoryOrCreate':
    case 'Directory':
      if (type === 'DirectoryOrCreate' && !exists) { await mkdir(path, { recursive: true, mode: 0o755 }); return; }
      if (kind !== 'Directory') throw new Error(`hostPath type check failed: ${path} is not a directory`);
      return;
    case 'FileOrCreate':
    case 'File':
      if (type === 'FileOrCreate' && !exists) { await (await open(path, 'a', 0o644)).close(); return; }
      if (kind === undefined || kind === 'Directory') throw new Error(`hostPath type check failed: ${path} is not a file`);
      return;
    case 'Socket':
      if (kind !== 'Socket') throw new Error(`hostPath type check failed: ${path} is not a socket file`);
      return;
    case 'CharDevice':
      if (kind !== 'CharDevice') throw new Error(`hostPath type check failed: ${path} is not a character device`);
      return;
    case 'BlockDevice':
      if (kind !== 'BlockDevice') throw new Error(`hostPath type check failed: ${path} is not a block device`);
      return;
    default:
      throw new Error(`${type} is an invalid volume type`);
  }
}
