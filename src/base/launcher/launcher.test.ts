import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess, launchWithHandshake } from './launcher.ts';

test('runs a command with stdin, env and cwd, and returns its exit code and output', async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'navarch-launcher-')));
  try {
    const r = await runProcess({
      file: '/bin/sh', args: ['-c', 'read line; echo "$line $GREETING $(pwd)"; echo oops >&2; exit 3'],
      stdin: 'hello\n', env: { GREETING: 'world', PATH: '/usr/bin:/bin' }, cwd: dir,
    });
    assert.deepEqual(r, { code: 3, signal: undefined, stdout: `hello world ${dir}\n`, stderr: 'oops\n' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runs commands concurrently', async () => {
  const t = performance.now();
  const rs = await Promise.all(Array.from({ length: 5 }, (_, i) => runProcess({ file: '/bin/sh', args: ['-c', `sleep 0.3; echo ${i}`] })));
  assert.deepEqual(rs.map((r) => r.stdout), ['0\n', '1\n', '2\n', '3\n', '4\n']);
  assert.ok(performance.now() - t < 1200, 'five 0.3 s sleeps ran side by side');
});

test('kills a command past its timeout', async () => {
  const r = await runProcess({ file: '/bin/sleep', args: ['10'], timeoutMs: 200 });
  assert.equal(r.signal, 'SIGKILL');
  assert.equal(r.code, 137);
});

test('a missing program is an ENOENT error', async () => {
  await assert.rejects(runProcess({ file: '/nonexistent/navarch-cmd', args: [] }), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
});

test('the handshake answers once the child wrote a JSON value, while the child lives on', async () => {
  // Like conmon: read the start byte, answer on the sync pipe, then keep running.
  const script = 'read -r go <&$START; printf \'{"data": %s}\' "$go$go" >&$SYNC; sleep 2';
  const t = performance.now();
  const r = await launchWithHandshake({ file: '/bin/bash', args: ['-c', script], detached: true }, { env: 'SYNC', startEnv: 'START', start: '4\n' });
  assert.equal(r.answer, '{"data": 44}');
  assert.ok(performance.now() - t < 1500, 'did not wait for the child to exit');
});

test('the handshake reports the stderr of a child that exits without answering', async () => {
  const r = await launchWithHandshake({ file: '/bin/sh', args: ['-c', 'echo "cannot create" >&2; exit 1'] }, { env: 'SYNC', startEnv: 'START', start: '0' });
  assert.equal(r.answer, '');
  assert.match(r.stderr, /cannot create/);
});
