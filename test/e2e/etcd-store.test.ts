// The same cluster on a real etcd: `navarch server --store etcd` against an etcd started on
// loopback by the test; kubectl 1.27 and 1.33 create, list, watch-delete and survive a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEtcd, type TestEtcd } from '../../src/storage/etcd/test-etcd.ts';
import { TestServer } from './harness.ts';

let etcd: TestEtcd;
let server: TestServer;
before(async () => {
  etcd = await startTestEtcd();
  server = new TestServer(['--store', 'etcd', '--etcd-endpoints', etcd.endpoint, '--disable-agent']);
  await server.start();
});
after(async () => {
  await server?.cleanup();
  await etcd?.stop();
});

test('kubectl drives a cluster stored in etcd, and a restart keeps its objects', async () => {
  for (const v of ['1.27', '1.33']) {
    const ns = `etcd-${v.replace('.', '')}`;
    const ok = async (args: string[]) => {
      const r = await server.kubectl(v, args);
      assert.equal(r.code, 0, `kubectl ${v} ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    await ok(['create', 'namespace', ns]);
    await ok(['-n', ns, 'create', 'configmap', 'a', '--from-literal=k=v']);
    await ok(['-n', ns, 'create', 'deployment', 'web', '--image=nginx']);
    assert.match(await ok(['-n', ns, 'get', 'cm,deploy']), /configmap\/a\s+1[\s\S]*deployment.apps\/web\s+0\/1/);
    assert.match(await ok(['-n', ns, 'delete', 'cm', 'a']), /deleted/);
  }
  await server.stop();
  await server.start();
  const r = await server.kubectl('1.33', ['get', 'deploy', '-A', '-o', 'name']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').sort(), ['deployment.apps/web', 'deployment.apps/web']);
  const gone = await server.kubectl('1.33', ['-n', 'etcd-133', 'get', 'cm', 'a']);
  assert.match(gone.stderr, /not found/);
});
