// kubectl's rollout commands (status, history, undo, restart, pause, resume), 1.27 and 1.33,
// against the in-process cluster running the deployment and replicaset controllers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startTestCluster } from '../../server/test-cluster.ts';
import { startFakeNode } from '../../server/fake-node.ts';
import { ControllerManager } from '../engine/manager.ts';
import { createLogger } from '../../base/log.ts';
import { deploymentControllerDescriptor } from './index.ts';

function kubectlDir(): string | undefined {
  try { return dirname(realpathSync(execFileSync('sh', ['-c', 'command -v kubectl']).toString().trim())); } catch { return undefined; }
}
const dir = kubectlDir();
const versions = ['1.27', '1.33'].filter((v) => dir && existsSync(join(dir, `kubectl.${v}`)));

interface Run { code: number; out: string }

test('kubectl rollout status, history, undo, restart, pause and resume drive deployments', { skip: versions.length < 2 && 'kubectl 1.27 and 1.33 not found' }, async () => {
  // The replicaset controller runs in the cluster's own controller manager; the fake node binds pods.
  const cluster = await startTestCluster({ controllers: ['replicaset'], scheduler: false });
  const abort = new AbortController();
  const cache = mkdtempSync(join(tmpdir(), 'navarch-kc-'));
  let node: { stop(): void } | undefined;
  try {
    const config = await cluster.config('system:kube-controller-manager');
    await new ControllerManager([deploymentControllerDescriptor], config, createLogger({ component: 'test' })).start(abort.signal);
    node = await startFakeNode(cluster.client);
    for (const v of versions) {
      const kubectl = (...args: string[]): Promise<Run> => new Promise((resolve) => {
        execFile(join(dir!, `kubectl.${v}`), ['--kubeconfig', cluster.kubeconfig, '--cache-dir', join(cache, v), ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr });
        });
      });
      const ok = async (...args: string[]): Promise<string> => {
        const r = await kubectl(...args);
        assert.equal(r.code, 0, `kubectl ${v} ${args.join(' ')}: ${r.out}`);
        return r.out;
      };
      const name = `web${v.replace('.', '')}`;
      const image = () => ok('get', 'deploy', name, '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
      const status = () => ok('rollout', 'status', `deploy/${name}`, '--timeout=30s');

      await ok('create', 'deployment', name, '--image=img:1', '--replicas=3');
      assert.match(await status(), new RegExp(`deployment "${name}" successfully rolled out`));
      await ok('set', 'image', `deploy/${name}`, 'img=img:2');
      assert.match(await status(), /successfully rolled out/);
      assert.match(await ok('rollout', 'history', `deploy/${name}`), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
      assert.match(await ok('rollout', 'history', `deploy/${name}`, '--revision=1'), /Image:\s+img:1/);

      assert.match(await ok('rollout', 'undo', `deploy/${name}`), /rolled back/);
      assert.match(await status(), /successfully rolled out/);
      assert.equal(await image(), 'img:1');
      assert.match(await ok('rollout', 'history', `deploy/${name}`), /\n2\s+<none>\n3\s+<none>/, 'revision 1 became 3');
      assert.match(await ok('rollout', 'undo', `deploy/${name}`, '--to-revision=2'), /rolled back/);
      assert.match(await status(), /successfully rolled out/);
      assert.equal(await image(), 'img:2');

      await ok('rollout', 'restart', `deploy/${name}`);
      assert.match(await status(), /successfully rolled out/);
      assert.match(await ok('get', 'deploy', name, '-o', 'jsonpath={.spec.template.metadata.annotations}'), /kubectl.kubernetes.io\/restartedAt/);
      assert.equal(await ok('get', 'deploy', name, '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}'), '5');

      await ok('rollout', 'pause', `deploy/${name}`);
      await ok('set', 'image', `deploy/${name}`, '*=img:3');
      const paused = await kubectl('rollout', 'status', `deploy/${name}`, '--timeout=1s');
      assert.notEqual(paused.code, 0, 'a paused rollout does not finish');
      assert.match(paused.out, /0 out of 3 new replicas have been updated/);
      assert.match((await kubectl('rollout', 'undo', `deploy/${name}`)).out, /you cannot rollback a paused deployment/);
      await ok('rollout', 'resume', `deploy/${name}`);
      assert.match(await status(), /successfully rolled out/);
      assert.equal(await image(), 'img:3');
      const rs = await ok('get', 'rs', '-l', `app=${name}`, '-o', 'jsonpath={range .items[*]}{.spec.replicas}{" "}{end}');
      assert.deepEqual(rs.trim().split(' ').map(Number).sort(), [0, 0, 0, 3], 'one ReplicaSet per template; old ones at zero');
    }
  } finally {
    node?.stop();
    abort.abort();
    await cluster.stop();
    rmSync(cache, { recursive: true, force: true });
  }
});
