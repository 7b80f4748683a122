import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeExec } from './exec-probe.ts';
import { ExecTimeoutError } from './types.ts';
import type { ExecFn } from './types.ts';

test('exit code 0 succeeds with the output; another exit code fails with it', async () => {
  const calls: unknown[] = [];
  const exec: ExecFn = async (id, cmd, timeoutMs) => {
    calls.push([id, cmd, timeoutMs]);
    return cmd[0] === 'true' ? { exitCode: 0, output: 'fine\n' } : { exitCode: 1, output: "cat: can't open '/tmp/healthy': No such file or directory\n" };
  };
  assert.deepEqual(await probeExec(exec, 'c1', ['true'], 1000), { result: 'success', output: 'fine\n' });
  assert.deepEqual(await probeExec(exec, 'c1', ['cat', '/tmp/healthy'], 1000), {
    result: 'failure', output: "cat: can't open '/tmp/healthy': No such file or directory\n",
  });
  assert.deepEqual(calls[0], ['c1', ['true'], 1000]);
});

test('a command past its timeout fails with the CRI\'s timed out text, whether the runtime or the guard noticed', async () => {
  const byRuntime: ExecFn = async () => { throw new ExecTimeoutError(); };
  assert.deepEqual(await probeExec(byRuntime, 'c1', ['sh', '-c', 'sleep 10'], 100), { result: 'failure', output: 'command "sh -c sleep 10" timed out' });
  let release!: () => void;
  const hanging: ExecFn = () => new Promise((resolve) => { release = () => resolve({ exitCode: 0, output: '' }); });
  const started = Date.now();
  assert.deepEqual(await probeExec(hanging, 'c1', ['sleep', '10'], 100), { result: 'failure', output: 'command "sleep 10" timed out' });
  assert.ok(Date.now() - started < 1000);
  release();
});

test('a command that cannot run is an error of the attempt, and output is cut at 10 KiB', async () => {
  const broken: ExecFn = async () => { throw new Error('container not running'); };
  assert.deepEqual(await probeExec(broken, 'c1', ['x'], 100), { result: 'unknown', output: '', error: 'container not running' });
  const chatty: ExecFn = async () => ({ exitCode: 0, output: 'y'.repeat(20000) });
  assert.equal((await probeExec(chatty, 'c1', ['x'], 100)).output.length, 10 * 1024);
});
