import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, readlink, rm, stat, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validatePayloadPath, writeAtomically, type Payload } from './atomic-writer.ts';

const payload = (files: Record<string, [string, number]>): Payload =>
  new Map(Object.entries(files).map(([k, [data, mode]]) => [k, { data: Buffer.from(data), mode }]));

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'navarch-aw-'));
  try { await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

test('files are reached through ..data symlinks into a timestamped directory, with their modes', () => withDir(async (dir) => {
  assert.equal(await writeAtomically(dir, payload({ a: ['one', 0o644], 'sub/b': ['two', 0o400] })), true);
  const data = await readlink(join(dir, '..data'));
  assert.match(data, /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d+$/);
  assert.equal(await readlink(join(dir, 'a')), '..data/a');
  assert.equal(await readlink(join(dir, 'sub')), '..data/sub');
  assert.equal(await readFile(join(dir, 'sub/b'), 'utf8'), 'two');
  assert.equal((await stat(join(dir, 'a'))).mode & 0o777, 0o644);
  assert.equal((await stat(join(dir, 'sub/b'))).mode & 0o777, 0o400);
  assert.equal((await stat(join(dir, data))).mode & 0o777, 0o755);
}));

test('an unchanged payload keeps the same data directory; a change swaps it and drops removed names', () => withDir(async (dir) => {
  await writeAtomically(dir, payload({ a: ['one', 0o644], b: ['x', 0o644] }));
  const first = await readlink(join(dir, '..data'));
  assert.equal(await writeAtomically(dir, payload({ a: ['one', 0o644], b: ['x', 0o644] })), false);
  assert.equal(await readlink(join(dir, '..data')), first);
  assert.equal(await writeAtomically(dir, payload({ a: ['changed', 0o644] })), true);
  const second = await readlink(join(dir, '..data'));
  assert.notEqual(second, first);
  assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'changed');
  await assert.rejects(lstat(join(dir, 'b')));
  assert.deepEqual((await readdir(dir)).sort(), ['..data', second, 'a'].sort());
}));

test('a user-visible link that went missing is put back without rewriting the data', () => withDir(async (dir) => {
  await writeAtomically(dir, payload({ a: ['one', 0o644] }));
  await rm(join(dir, 'a'));
  assert.equal(await writeAtomically(dir, payload({ a: ['one', 0o644] })), false);
  assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'one');
}));

test('paths that are absolute, climb out or use the reserved .. prefix are refused with upstream wording', () => {
  assert.throws(() => validatePayloadPath('/etc/passwd'), /^Error: invalid path: must be relative path: \/etc\/passwd$/);
  assert.throws(() => validatePayloadPath('a/../../b'), /must not contain '\.\.': a\/\.\.\/\.\.\/b/);
  assert.throws(() => validatePayloadPath('..data'), /must not start with '\.\.': \.\.data/);
  assert.throws(() => validatePayloadPath(''), /must not be empty/);
  validatePayloadPath('ok/path');
});
