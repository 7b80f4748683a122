// navarch image import/ls/rm on a real busybox image archive, through the built CLI.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NAVARCH, run } from './harness.ts';
import { buildBusyboxImage } from '../../src/kubelet/images/testing/busybox-image.ts';

const tmp = mkdtempSync(join(tmpdir(), 'navarch-e2e-image-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const dataDir = join(tmp, 'data');
const image = (...args: string[]) => run(NAVARCH, ['image', ...args]);

test('navarch image imports, lists and removes images in the data dir', async () => {
  const web = buildBusyboxImage(join(tmp, 'web.tar'), { name: 'web:v1' });
  const app = buildBusyboxImage(join(tmp, 'app.tar'), { name: 'localhost:5000/team/app:2.0', format: 'oci-archive', extraFiles: { '/app/run.sh': '#!/bin/sh\necho hi\n' } });

  const imported = await image('import', '--data-dir', dataDir, web.file, app.file);
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(imported.stdout, 'Loaded image: docker.io/library/web:v1\nLoaded image: localhost:5000/team/app:2.0\n');
  assert.ok(existsSync(join(dataDir, 'images', 'refs.json')), 'images live in DATA_DIR/images');

  const ls = await image('ls', '--data-dir', dataDir);
  assert.equal(ls.code, 0, ls.stderr);
  const lines = ls.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^IMAGE\s+TAG\s+IMAGE ID\s+SIZE$/);
  assert.match(lines[1]!, new RegExp(`^docker\\.io/library/web\\s+v1\\s+${web.id.slice(7, 19)}\\s+2\\.\\d\\dMB$`));
  assert.match(lines[2]!, new RegExp(`^localhost:5000/team/app\\s+2\\.0\\s+${app.id.slice(7, 19)}\\s+1\\.\\d\\dMB$`));
  assert.equal(lines.length, 3);
  assert.equal(lines[0]!.indexOf('TAG'), lines[1]!.indexOf('v1'), 'columns line up');

  const rm = await image('rm', '--data-dir', dataDir, 'web:v1', app.id.slice(7, 15));
  assert.equal(rm.code, 0, rm.stderr);
  assert.match(rm.stdout, new RegExp(`^Untagged: docker.io/library/web:v1\nDeleted: ${web.id}\nUntagged: localhost:5000/team/app:2.0\nUntagged: localhost:5000/team/app@sha256:[a-f0-9]{64}\nDeleted: ${app.id}\n$`));
  assert.equal((await image('ls', '--data-dir', dataDir)).stdout.trimEnd().split('\n').length, 1);
  assert.deepEqual(readdirSync(join(dataDir, 'images', 'layers')), [], 'unpacked layers are deleted with their images');
});

test('bad input gets a one-line message and a non-zero exit', async () => {
  writeFileSync(join(tmp, 'notes.txt'), 'just text\n'.repeat(200));
  const cases: [string[], RegExp][] = [
    [['import', '--data-dir', dataDir, join(tmp, 'missing.tar')], new RegExp(`^navarch image: open ${join(tmp, 'missing.tar')}: no such file or directory\n$`)],
    [['import', '--data-dir', dataDir, join(tmp, 'notes.txt')], new RegExp(`^navarch image: ${join(tmp, 'notes.txt')} is not an image archive: .+\n$`)],
    [['rm', '--data-dir', dataDir, 'nope:v1'], /^navarch image: No such image: nope:v1\n$/],
    [['rm', '--data-dir', dataDir, 'Bad:Ref'], /^navarch image: invalid reference format: repository name \(library\/Bad\) must be lowercase\n$/],
    [['import', '--data-dir', dataDir], /^navarch image: import needs at least one FILE\n$/],
    [['frob'], /^navarch image: unknown subcommand "frob"; run "navarch image --help"\n$/],
  ];
  for (const [args, message] of cases) {
    const r = await image(...args);
    assert.equal(r.code, 1, `navarch image ${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  const help = await image('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--data-dir DIR .*\(default \/var\/lib\/navarch\)/);
});
