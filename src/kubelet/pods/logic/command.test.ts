import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerArgv, expandCommandAndArgs, NoCommandError } from './command.ts';
import type { ImageProcess } from './types.ts';

const image: ImageProcess = { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] };

const cases: { name: string; spec: Record<string, unknown>; image: ImageProcess; want: string[] }[] = [
  { name: 'uses the image Entrypoint and Cmd when the spec sets neither', spec: {}, image, want: ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;'] },
  { name: 'command replaces Entrypoint and drops Cmd', spec: { command: ['sleep'] }, image, want: ['sleep'] },
  { name: 'command with args uses both', spec: { command: ['sleep'], args: ['10'] }, image, want: ['sleep', '10'] },
  { name: 'args replace Cmd and keep Entrypoint', spec: { args: ['-v'] }, image, want: ['/docker-entrypoint.sh', '-v'] },
  { name: 'Cmd alone when the image has no Entrypoint', spec: {}, image: { cmd: ['sh'] }, want: ['sh'] },
  { name: 'args alone when the image has neither', spec: { args: ['/bin/true'] }, image: {}, want: ['/bin/true'] },
  { name: 'empty command counts as unset', spec: { command: [], args: ['x'] }, image, want: ['/docker-entrypoint.sh', 'x'] },
];

for (const c of cases) {
  test(c.name, () => {
    assert.deepEqual(containerArgv(c.spec, c.image, []), c.want);
  });
}

test('expands $(VAR) in command and args from the container environment', () => {
  const env = [{ name: 'MSG', value: 'hello' }, { name: 'N', value: '3' }];
  const spec = { command: ['echo', '$(MSG)'], args: ['$(N)', '$$(MSG)', '$(UNSET)'] };
  assert.deepEqual(expandCommandAndArgs(spec, env), { command: ['echo', 'hello'], args: ['3', '$(MSG)', '$(UNSET)'] });
  assert.deepEqual(containerArgv(spec, image, env), ['echo', 'hello', '3', '$(MSG)', '$(UNSET)']);
});

test('throws the runtime error when nothing names a process', () => {
  assert.throws(() => containerArgv({}, {}, []), (e: unknown) => e instanceof NoCommandError && e.message === 'no command specified');
});
