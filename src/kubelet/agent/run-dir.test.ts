import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, statfsSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRunDir, removeRunDir, TMPFS_MAGIC } from './run-dir.ts';
import { readMountInfo } from '../../base/mountinfo.ts';

test('the run directory is on a tmpfs, mounted once however often it is ensured, and removed with it', async (t) => {
  const parent = mkdtempSync(join(tmpdir(), 'navarch-rundir-'));
  const dir = join(parent, 'run');
  t.after(() => {
    spawnSync('umount', ['--lazy', dir]);
    rmSync(parent, { recursive: true, force: true });
  });
  const parentOnTmpfs = statfsSync(parent).type === TMPFS_MAGIC;
  await ensureRunDir(dir);
  await ensureRunDir(dir);
  assert.equal(statfsSync(dir).type, TMPFS_MAGIC);
  const mounts = (await readMountInfo()).filter((m) => m.mountPoint === dir);
  assert.equal(mounts.length, parentOnTmpfs ? 0 : 1, 'a tmpfs of its own only where the parent is not one');
  writeFileSync(join(dir, 'state'), 'x');
  await removeRunDir(dir);
  assert.equal(existsSync(dir), false);
  assert.equal((await readMountInfo()).some((m) => m.mountPoint === dir), false);
  await removeRunDir(dir);
});
