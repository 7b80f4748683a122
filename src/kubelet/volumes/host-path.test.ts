import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHostPathType } from './host-path.ts';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'navarch-hp-'));
  try { await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

test('DirectoryOrCreate and FileOrCreate make what is missing with upstream modes', () => withDir(async (dir) => {
  await checkHostPathType(join(dir, 'a/b'), 'DirectoryOrCreate');
  const d = await stat(join(dir, 'a/b'));
  assert.ok(d.isDirectory());
  assert.equal(d.mode & 0o777, 0o755 & ~process.umask());
  await checkHostPathType(join(dir, 'f'), 'FileOrCreate');
  assert.ok((await stat(join(dir, 'f'))).isFile());
}));

test('type mismatches fail with the kubelet messages', () => withDir(async (dir) => {
  await writeFile(join(dir, 'file'), 'x');
  await assert.rejects(checkHostPathType(join(dir, 'file'), 'Directory'), { message: `hostPath type check failed: ${join(dir, 'file')} is not a directory` });
  await assert.rejects(checkHostPathType(join(dir, 'nope'), 'Directory'), { message: `hostPath type check failed: ${join(dir, 'nope')} is not a directory` });
  await assert.rejects(checkHostPathType(dir, 'File'), { message: `hostPath type check failed: ${dir} is not a file` });
  await assert.rejects(checkHostPathType(dir, 'DirectoryOrCreate').then(() => checkHostPathType(join(dir, 'file'), 'DirectoryOrCreate')), /is not a directory/);
  await assert.rejects(checkHostPathType(join(dir, 'file'), 'Socket'), { message: `hostPath type check failed: ${join(dir, 'file')} is not a socket file` });
  await assert.rejects(checkHostPathType('/dev/null', 'BlockDevice'), { message: 'hostPath type check failed: /dev/null is not a block device' });
  await assert.rejects(checkHostPathType(dir, 'CharDevice'), { message: `hostPath type check failed: ${dir} is not a character device` });
  await assert.rejects(checkHostPathType(dir, 'Weird'), { message: 'Weird is an invalid volume type' });
  await assert.rejects(checkHostPathType('/a/../b', ''), { message: "invalid HostPath `/a/../b`: must not contain '..'" });
}));

test('sockets, character devices and untyped paths pass', () => withDir(async (dir) => {
  const sock = join(dir, 's.sock');
  const server = createServer();
  await new Promise<void>((r) => server.listen(sock, r));
  try {
    await checkHostPathType(sock, 'Socket');
  } finally {
    await new Promise((r) => server.close(r));
  }
  await checkHostPathType('/dev/null', 'CharDevice');
  await checkHostPathType(join(dir, 'anything'), undefined);
}));
