// Host calls made by the launcher, and (the same file run again with NAVARCH_DIRECT_SPAWN=1) by the
// commands that stand in for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mount, unmount, pinNewNamespaces } from './host-calls.ts';
import { launcherInUse } from './launcher.ts';
import { isSeparateMount } from '../mountinfo.ts';

const mode = launcherInUse() ? 'launcher' : 'commands';

function scratch(t: { after(f: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'navarch-host-calls-'));
  t.after(() => {
    // Whatever a failed test left mounted goes first.
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n').reverse()) {
      const point = line.split(' ')[4];
      if (point?.startsWith(dir)) spawnSync('umount', ['--lazy', point]);
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

test(`${mode}: mounts a sized tmpfs and unmounts it; unmounting again says EINVAL`, async (t) => {
  const target = join(scratch(t), 'm');
  mkdirSync(target);
  await mount({ source: 'tmpfs', target, fstype: 'tmpfs', data: 'size=1048576' });
  assert.equal(await isSeparateMount(target), true);
  assert.match(execFileSync('findmnt', ['-n', '-o', 'OPTIONS', target], { encoding: 'utf8' }), /size=1024k/);
  await unmount(target);
  assert.equal(await isSeparateMount(target), false);
  await assert.rejects(unmount(target), (e: NodeJS.ErrnoException) => e.code === 'EINVAL');
});

test(`${mode}: an overlay with lower dirs relative to cwd`, async (t) => {
  const dir = scratch(t);
  for (const d of ['layers/a', 'upper', 'work', 'merged']) mkdirSync(join(dir, d), { recursive: true });
  execFileSync('sh', ['-c', `echo lower > ${join(dir, 'layers/a/file')}`]);
  const merged = join(dir, 'merged');
  await mount({ source: 'overlay', target: merged, fstype: 'overlay', cwd: dir, data: `lowerdir=layers/a,upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}` });
  assert.equal(readFileSync(join(merged, 'file'), 'utf8'), 'lower\n');
  await unmount(merged);
});

test(`${mode}: a failed mount is an error naming the problem`, async (t) => {
  const dir = scratch(t);
  await assert.rejects(mount({ source: 'tmpfs', target: join(dir, 'missing'), fstype: 'tmpfs' }), /No such file|does not exist|mount point/i);
});

test(`${mode}: pins new ipc, uts and net namespaces: the host name set, lo up, unmounting releases them`, async (t) => {
  const dir = scratch(t);
  const files = { ipc: join(dir, 'ipc'), uts: join(dir, 'uts'), net: join(dir, 'net') };
  await pinNewNamespaces({ ...files, hostname: 'pinned-pod' });
  const run = (args: string[]) => execFileSync('nsenter', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  assert.equal(run([`--uts=${files.uts}`, 'hostname']), 'pinned-pod');
  assert.notEqual(execFileSync('hostname', { encoding: 'utf8' }).trim(), 'pinned-pod', 'the host keeps its name');
  assert.match(run([`--net=${files.net}`, 'ip', '-o', 'link', 'show', 'lo']), /<LOOPBACK,UP,LOWER_UP>/);
  const ipcOf = (args: string[]) => run([...args, 'readlink', '/proc/self/ns/ipc']);
  assert.notEqual(ipcOf([`--ipc=${files.ipc}`]), ipcOf([]), 'a new IPC namespace');
  for (const f of Object.values(files)) await unmount(f);
  assert.throws(() => run([`--uts=${files.uts}`, 'hostname']), 'nothing pinned any more');
});

test('the same calls without the launcher (NAVARCH_DIRECT_SPAWN=1)', { skip: mode === 'commands' ? 'running as that already' : false }, () => {
  const r = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--test', fileURLToPath(import.meta.url)], {
    // Without NODE_TEST_CONTEXT the child reports as a runner of its own, in text.
    env: { ...process.env, NODE_TEST_CONTEXT: undefined, NAVARCH_DIRECT_SPAWN: '1' }, encoding: 'utf8', timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /commands: pins new ipc/);
});
