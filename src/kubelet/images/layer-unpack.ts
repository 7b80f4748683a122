// Unpacks one layer tar (plain, gzip or zstd) into a directory overlayfs can use as a lower
// layer: GNU tar running as root keeps owners, modes and xattrs; OCI/docker whiteouts become
// overlayfs ones (`.wh.name` → a 0:0 character device `name`; `.wh..wh..opq` → the directory's
// xattr trusted.overlay.opaque=y). Extraction goes to a temp dir renamed into place, so a
// layer directory either is complete or does not exist.
import { mkdtemp, readdir, rename, rm, chmod, stat, lstat } from 'node:fs/promises';
import { join, dirname, basename } from 'node:path';
import { runCommand } from './host-command.ts';

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';

/** Every whiteout marker below root, without following symlinks. */
async function findWhiteouts(root: string): Promise<{ files: string[]; opaqueDirs: string[] }> {
  const files: string[] = [];
  const opaqueDirs: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.name === OPAQUE_MARKER) opaqueDirs.push(dir);
      else if (e.name.startsWith(WHITEOUT_PREFIX)) files.push(p);
      if (e.isDirectory()) await walk(p);
    }
  };
  await walk(root);
  return { files, opaqueDirs };
}

async function convertWhiteouts(root: string): Promise<void> {
  const { files, opaqueDirs } = await findWhiteouts(root);
  for (const dir of opaqueDirs) {
    await runCommand('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', dir]);
    await rm(join(dir, OPAQUE_MARKER), { force: true });
  }
  for (const marker of files) {
    const target = join(dirname(marker), basename(marker).slice(WHITEOUT_PREFIX.length));
    await rm(marker, { force: true });
    // The same layer also holding the name already hides the lower one.
    if (await exists(target, true)) continue;
    await runCommand('mknod', ['-m', '000', target, 'c', '0', '0']);
  }
}

/**
 * Extracts the layer file into `dest` unless it already exists. The caller serializes calls
 * for the same dest; a concurrent process finishing first is tolerated (its copy is kept).
 */
export async function unpackLayer(layerFile: string, dest: string): Promise<void> {
  if (await exists(dest)) return;
  const tmp = await mkdtemp(join(dirname(dest), `.tmp-${basename(dest).slice(0, 12)}-`));
  try {
    // A layer without a "./" entry must still give a traversable root.
    await chmod(tmp, 0o755);
    // GNU tar detects gzip/zstd itself when reading a file.
    await runCommand('tar', ['-x', '-f', layerFile, '-C', tmp, '--numeric-owner', '--same-owner', '--same-permissions',
      '--xattrs', '--xattrs-include=*']);
    await convertWhiteouts(tmp);
    try {
      await rename(tmp, dest);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function exists(p: string, noFollow = false): Promise<boolean> {
  try {
    await (noFollow ? lstat(p) : stat(p));
    return true;
  } catch {
    return false;
  }
}
