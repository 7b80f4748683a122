import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeTcp } from './tcp-probe.ts';
import { freePort, startTcp } from './test-servers.ts';

test('a port that accepts connections succeeds', async () => {
  let connections = 0;
  const server = await startTcp(() => { connections++; });
  try {
    assert.deepEqual(await probeTcp('127.0.0.1', server.port, 1000), { result: 'success', output: '' });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(connections, 1);
  } finally {
    await server.close();
  }
});

test('a closed port fails with Go\'s dial error text', async () => {
  const port = await freePort();
  assert.deepEqual(await probeTcp('127.0.0.1', port, 1000), {
    result: 'failure',
    output: `dial tcp 127.0.0.1:${port}: connect: connection refused`,
  });
});
