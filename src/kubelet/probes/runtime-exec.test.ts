import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runtimeExec } from './runtime-exec.ts';
import { ExecTimeoutError } from './types.ts';
import type { ContainerRuntime } from '../runtime/runtime.ts';

test('collects stdout and stderr in order, stderr also apart, with the exit code', async () => {
  const runtime: Pick<ContainerRuntime, 'exec'> = {
    async exec(_id, cmd, opts) {
      opts.stdout!.write('out1 ');
      opts.stderr!.write('err ');
      opts.stdout!.write('out2');
      return cmd[0] === 'fail' ? 2 : 0;
    },
  };
  const exec = runtimeExec(runtime);
  assert.deepEqual(await exec('c1', ['ok'], 1000), { exitCode: 0, output: 'out1 err out2', stderr: 'err ' });
  assert.equal((await exec('c1', ['fail'], 1000)).exitCode, 2);
});

test('a command past the limit is aborted and reads as a timeout', async () => {
  let aborted = false;
  const runtime: Pick<ContainerRuntime, 'exec'> = {
    exec: (_id, _cmd, _opts, signal) => new Promise((_resolve, reject) => {
      signal!.addEventListener('abort', () => { aborted = true; reject(new Error('killed')); });
    }),
  };
  await assert.rejects(runtimeExec(runtime)('c1', ['sleep', '10'], 50), ExecTimeoutError);
  assert.ok(aborted);
});
