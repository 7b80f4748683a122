import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandReferences, expandSubPathExpr, prepareSubPath } from './sub-path.ts';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'navarch-sp-')));
  try { await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

test('$(VAR) expands, $$ escapes and unterminated references stay literal', () => {
  const env = (n: string) => ({ A: 'x', B: 'y' } as Record<string, string>)[n] ?? `<${n}>`;
  assert.equal(expandReferences('$(A)/$(B)', env), 'x/y');
  assert.equal(expandReferences('$$(A)', env), '$(A)');
  assert.equal(expandReferences('$(A', env), '$(A');
  assert.equal(expandReferences('cost$', env), 'cost$');
  assert.equal(expandSubPathExpr('logs/$(POD)', new Map([['POD', 'web-0']])), 'logs/web-0');
  assert.throws(() => expandSubPathExpr('$(B)/$(A)', new Map()), { message: 'missing value for A, B' });
});

test('a missing subPath is created with the volume directory mode', () => withDir(async (dir) => {
  const vol = join(dir, 'vol');
  await mkdir(vol);
  await chmod(vol, 0o777);
  const r = await prepareSubPath(vol, 'a/b', 'data', 'app');
  assert.equal(r.hostPath, join(vol, 'a/b'));
  assert.equal(r.isDirectory, true);
  assert.equal((await stat(join(vol, 'a'))).mode & 0o777, 0o777);
  await writeFile(join(vol, 'conf'), 'x');
  assert.deepEqual(await prepareSubPath(vol, 'conf', 'data', 'app'), { hostPath: join(vol, 'conf'), isDirectory: false });
}));

test('subPaths that are absolute, climb or escape through a symlink are refused', () => withDir(async (dir) => {
  const vol = join(dir, 'vol');
  await mkdir(vol);
  await symlink('/etc', join(vol, 'out'));
  await symlink('inner', join(vol, 'ok'));
  await mkdir(join(vol, 'inner'));
  await assert.rejects(prepareSubPath(vol, '/etc', 'data', 'app'), { message: 'error SubPath `/etc` must not be an absolute path' });
  await assert.rejects(prepareSubPath(vol, 'a/../..', 'data', 'app'), { message: "unable to provision SubPath `a/../..`: must not contain '..'" });
  await assert.rejects(prepareSubPath(vol, 'out/passwd', 'data', 'app'), { message: 'failed to prepare subPath for volumeMount "data" of container "app"' });
  assert.equal((await prepareSubPath(vol, 'ok', 'data', 'app')).hostPath, join(vol, 'inner'));
}));
