// Projects a set of files into a directory so that readers see either the old set or the new one,
// never a mix: the files live in a hidden timestamped directory, `..data` is a symlink to it
// that is replaced by rename(2), and each top-level user-visible name is a symlink through
// `..data` (`key -> ..data/key`). The layout is upstream's, so tools watching `..data` with
// inotify work unchanged. Not safe for concurrent writers to one directory: callers serialize.
import { chmod, chown, lstat, mkdir, readFile, readdir, readlink, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, normalize, posix } from 'node:path';

export interface FileProjection {
  data: Buffer;
  /** Permission bits of the file. */
  mode: number;
  /** Owner to give the file (projected service account tokens with fsGroup/fsUser). */
  uid?: number;
}

export type Payload = Map<string, FileProjection>;

export const DATA_DIR = '..data';
const NEW_DATA_DIR = '..data_tmp';
const MAX_FILE_NAME = 255;
const MAX_PATH = 4096;

/** Upstream's path rules: relative, no `..` element, not starting with `..`, bounded lengths. */
export function validatePayloadPath(p: string): void {
  if (p === '') throw new Error(`invalid path: must not be empty: ${JSON.stringify(p)}`);
  if (posix.isAbsolute(p)) throw new Error(`invalid path: must be relative path: ${p}`);
  if (p.length > MAX_PATH) throw new Error(`invalid path: must be less than or equal to ${MAX_PATH} characters`);
  const items = p.split('/');
  for (const item of items) {
    if (item === '..') throw new Error(`invalid path: must not contain '..': ${p}`);
    if (item.length > MAX_FILE_NAME) throw new Error(`invalid path: filenames must be less than or equal to ${MAX_FILE_NAME} characters`);
  }
  if (items[0].startsWith('..') && items[0].length > 2) throw new Error(`invalid path: must not start with '..': ${p}`);
}

const exists = (p: string) => lstat(p).then(() => true, () => false);

/** `..2006_01_02_15_04_05.` as Go formats it, UTC. */
function timestampPrefix(d = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `..${d.getUTCFullYear()}_${two(d.getUTCMonth() + 1)}_${two(d.getUTCDate())}_${two(d.getUTCHours())}_${two(d.getUTCMinutes())}_${two(d.getUTCSeconds())}.`;
}

/** Go's MkdirTemp names: the prefix and a random decimal number. */
async function makeTimestampDir(targetDir: string): Promise<string> {
  for (;;) {
    const dir = join(targetDir, `${timestampPrefix()}${randomBytes(4).readUInt32BE()}`);
    try {
      await mkdir(dir, { mode: 0o700 });
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

async function walk(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try { entries = await readdir(join(root, rel), { withFileTypes: true }); } catch { return out; }
  for (const e of entries) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    out.push(p);
    if (e.isDirectory()) out.push(...await walk(root, p));
  }
  return out;
}

/** Writes payload into targetDir (which must exist). Returns whether anything changed. */
export async function writeAtomically(targetDir: string, payload: Payload, setPerms?: (tsDir: string) => Promise<void>): Promise<boolean> {
  const clean: Payload = new Map();
  for (const [p, f] of payload) {
    validatePayloadPath(p);
    clean.set(normalize(p).replace(/\/+$/, ''), f);
  }

  const dataDirPath = join(targetDir, DATA_DIR);
  let oldTsDir = '';
  try { oldTsDir = await readlink(dataDirPath); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }
  const oldTsPath = oldTsDir ? join(targetDir, oldTsDir) : '';

  // Visible names of the old version that the new one no longer has.
  let toRemove: string[] = [];
  let write = true;
  if (oldTsDir) {
    const newPaths = new Set<string>();
    for (const p of clean.keys()) for (let s = p; s && s !== '.'; s = posix.dirname(s)) newPaths.add(s);
    toRemove = (await walk(oldTsPath)).filter((p) => !newPaths.has(p));
    let changed = false;
    for (const [p, f] of clean) {
      const current = await readFile(join(oldTsPath, p)).catch(() => undefined);
      if (!current || !current.equals(f.data)) { changed = true; break; }
    }
    if (!changed && toRemove.length === 0) { write = false; oldTsDir = ''; }
  }

  if (write) {
    const tsDir = await makeTimestampDir(targetDir);
    const tsName = tsDir.slice(targetDir.length + 1);
    try {
      // Group and others must be able to traverse it whatever the umask.
      await chmod(tsDir, 0o755);
      for (const [p, f] of clean) {
        const full = join(tsDir, p);
        await mkdir(dirname(full), { recursive: true, mode: 0o777 });
        await writeFile(full, f.data, { mode: f.mode });
        await chmod(full, f.mode);
        if (f.uid !== undefined) await chown(full, f.uid, (await lstat(full)).gid);
      }
      if (setPerms) await setPerms(tsDir);
      const tmpLink = join(targetDir, NEW_DATA_DIR);
      await unlink(tmpLink).catch(() => undefined);
      await symlink(tsName, tmpLink);
      await rename(tmpLink, dataDirPath);
    } catch (e) {
      await rm(tsDir, { recursive: true, force: true });
      throw e;
    }
  }

  // User-visible names: one symlink per top-level element.
  for (const p of clean.keys()) {
    const top = p.split('/')[0];
    const link = join(targetDir, top);
    if (!(await exists(link))) await symlink(join(DATA_DIR, top), link);
  }
  for (const p of toRemove) {
    if (p.includes('/')) continue;
    await rm(join(targetDir, p), { force: true });
  }
  if (oldTsDir) await rm(oldTsPath, { recursive: true, force: true });
  return write;
}
