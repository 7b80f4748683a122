import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMountInfo, mountsUnder, isMountPoint, readMountInfo, isSeparateMount } from './mountinfo.ts';

test('parses mountinfo lines: escapes, propagation fields, filesystem options', () => {
  const text = [
    '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro',
    '90 22 0:50 / /tmp/a\\040b rw,relatime master:3 - tmpfs tmpfs rw,size=1024k',
    '91 90 0:51 / /tmp/a\\040b/c rw - overlay overlay rw,lowerdir=layers/x,upperdir=/u,workdir=/w',
  ].join('\n');
  const m = parseMountInfo(text);
  assert.deepEqual(m.map((x) => [x.mountPoint, x.optional, x.fsType, x.source]), [
    ['/', ['shared:1'], 'ext4', '/dev/sda1'],
    ['/tmp/a b', ['master:3'], 'tmpfs', 'tmpfs'],
    ['/tmp/a b/c', [], 'overlay', 'overlay'],
  ]);
  assert.equal(m[1]!.superOptions, 'rw,size=1024k');
  assert.deepEqual(mountsUnder(m, '/tmp/a b'), ['/tmp/a b/c', '/tmp/a b'], 'deepest first');
  assert.ok(isMountPoint(m, '/tmp/a b/c'));
  assert.ok(!isMountPoint(m, '/tmp'));
});

test('reads this host\'s table, / included', async () => {
  assert.ok((await readMountInfo()).some((x) => x.mountPoint === '/'));
});

test('isSeparateMount: a tmpfs mounted on a directory is one; the directory before and after is not', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'navarch-mountinfo-'));
  const target = join(dir, 'tmpfs');
  mkdirSync(target);
  t.after(() => {
    try { execFileSync('umount', [target], { stdio: 'ignore' }); } catch { /* not mounted */ }
    rmSync(dir, { recursive: true, force: true });
  });
  assert.equal(await isSeparateMount(target), false);
  assert.equal(await isSeparateMount(join(dir, 'missing')), false);
  execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', target]);
  assert.equal(await isSeparateMount(target), true);
  assert.ok(isMountPoint(await readMountInfo(), target), 'the mount table agrees');
  execFileSync('umount', [target]);
  assert.equal(await isSeparateMount(target), false);
});
