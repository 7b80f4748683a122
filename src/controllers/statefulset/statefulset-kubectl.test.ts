// kubectl's rollout commands (status, history, undo) on StatefulSets, 1.27 and 1.33, against
// the in-process cluster running the StatefulSet controller. They read ControllerRevisions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startTestCluster } from '../../server/test-cluster.ts';
import { startFakeNode } from '../../server/fake-node.ts';
import { ControllerManager } from '../engine/manager.ts';
import { createLogger } from '../../base/log.ts';
import { statefulSetControllerDescriptor } from './index.ts';

function kubectlDir(): string | undefined {
  try { return dirname(realpathSync(execFileSync('sh', ['-c', 'command -v kubectl']).toString().trim())); } catch { return undefined; }
}
const dir = kubectlDir();
const versions = ['1.27', '1.33'].filter((v) => dir && existsSync(join(dir, `kubectl.${v}`)));

test('kubectl rollout status, history and undo drive statefulsets', { skip: versions.length < 2 && 'kubectl 1.27 and 1.33 not found' }, async () => {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  const work = mkdtempSync(join(tmpdir(), 'navarch-kc-'));
  let node: { stop(): void } | undefined;
  try {
    await new ControllerManager([statefulSetControllerDescriptor], await cluster.config('system:kube-controller-manager'), createLogger({ component: 'test' })).start(abort.signal);
    node = await startFakeNode(cluster.client);
    for (const v of versions) {
      const kubectl = (...args: string[]): Promise<{ code: number; out: string }> => new Promise((resolve) => {
        execFile(join(dir!, `kubectl.${v}`), ['--kubeconfig', cluster.kubeconfig, '--cache-dir', join(work, v), ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr });
        });
      });
      const ok = async (...args: string[]): Promise<string> => {
        const r = await kubectl(...args);
        assert.equal(r.code, 0, `kubectl ${v} ${args.join(' ')}: ${r.out}`);
        return r.out;
      };
      const name = `db${v.replace('.', '')}`;
      const file = join(work, `${name}.yaml`);
      writeFileSync(file, JSON.stringify({
        apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name },
        spec: { serviceName: name, replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } } },
      }));
      const status = () => ok('rollout', 'status', `sts/${name}`, '--timeout=30s');
      const images = () => ok('get', 'pods', '-l', `app=${name}`, '-o', 'jsonpath={.items[*].spec.containers[0].image}');

      await ok('apply', '-f', file);
      assert.match(await status(), /partitioned roll out complete: 2 new pods have been updated/);
      await ok('set', 'image', `sts/${name}`, 'c=img:2');
      assert.match(await status(), /partitioned roll out complete: 2 new pods have been updated/);
      await until(async () => (await images()) === 'img:2 img:2');
      assert.match(await ok('rollout', 'history', `sts/${name}`), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
      assert.match(await ok('rollout', 'history', `sts/${name}`, '--revision=1'), /Image:\s+img:1/);

      assert.match(await ok('rollout', 'undo', `sts/${name}`), /rolled back/);
      await until(async () => (await images()) === 'img:1 img:1');
      assert.match(await status(), /partitioned roll out complete/);
      assert.match(await ok('rollout', 'history', `sts/${name}`), /\n2\s+<none>\n3\s+<none>/, 'revision 1 became 3');
      const revision = await ok('get', 'sts', name, '-o', 'jsonpath={.status.currentRevision} {.status.updateRevision} {.status.currentReplicas}');
      const [current, update, replicas] = revision.split(' ');
      assert.equal(current, update);
      assert.equal(replicas, '2');
      assert.match(await ok('get', 'controllerrevisions'), new RegExp(`${name}-\\w+\\s+statefulset.apps/${name}\\s+3`));

      await ok('patch', 'sts', name, '-p', '{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}');
      const r = await kubectl('rollout', 'status', `sts/${name}`);
      assert.notEqual(r.code, 0);
      assert.match(r.out, /rollout status is only available for RollingUpdate strategy type/);
    }
  } finally {
    node?.stop();
    abort.abort();
    await cluster.stop();
    rmSync(work, { recursive: true, force: true });
  }
});

async function until(fn: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
