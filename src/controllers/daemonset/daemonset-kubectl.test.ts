// kubectl's rollout commands (status, history, undo) on DaemonSets, 1.27 and 1.33, against the
// in-process cluster running the DaemonSet controller and one fake node.
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
import { daemonSetControllerDescriptor, DAEMONSETS } from './index.ts';

function kubectlDir(): string | undefined {
  try { return dirname(realpathSync(execFileSync('sh', ['-c', 'command -v kubectl']).toString().trim())); } catch { return undefined; }
}
const dir = kubectlDir();
const versions = ['1.27', '1.33'].filter((v) => dir && existsSync(join(dir, `kubectl.${v}`)));

test('kubectl rollout status, history and undo drive daemonsets', { skip: versions.length < 2 && 'kubectl 1.27 and 1.33 not found' }, async () => {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  const work = mkdtempSync(join(tmpdir(), 'navarch-kc-'));
  let node: { stop(): void } | undefined;
  try {
    await new ControllerManager([daemonSetControllerDescriptor], await cluster.config('system:kube-controller-manager'), createLogger({ component: 'test' })).start(abort.signal);
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
      const name = `agent${v.replace('.', '')}`;
      await cluster.client.create(DAEMONSETS, 'default', {
        apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name },
        spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } } },
      });
      const status = () => ok('rollout', 'status', `ds/${name}`, '--timeout=30s');
      // Only the pod that is not terminating: an old one may still be on its way out.
      const image = async (want: string) => {
        const deadline = Date.now() + 20_000;
        for (;;) {
          const got = await ok('get', 'pods', '-l', `app=${name}`, '-o', 'jsonpath={range .items[*]}{.metadata.deletionTimestamp}/{.spec.containers[0].image} {end}');
          const live = got.trim().split(' ').filter((x) => x.startsWith('/')).map((x) => x.slice(1)).join(' ');
          if (live === want || Date.now() > deadline) return live;
          await new Promise((r) => setTimeout(r, 100));
        }
      };

      assert.match(await status(), new RegExp(`daemon set "${name}" successfully rolled out`));
      await ok('set', 'image', `ds/${name}`, 'c=img:2');
      assert.match(await status(), /successfully rolled out/);
      assert.equal(await image('img:2'), 'img:2');
      assert.match(await ok('rollout', 'history', `ds/${name}`), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
      assert.match(await ok('rollout', 'history', `ds/${name}`, '--revision=1'), /Image:\s+img:1/);
      assert.match(await ok('rollout', 'undo', `ds/${name}`), /rolled back/);
      assert.match(await status(), /successfully rolled out/);
      assert.equal(await image('img:1'), 'img:1');
      assert.match(await ok('rollout', 'history', `ds/${name}`), /\n2\s+<none>\n3\s+<none>/, 'revision 1 became 3');
      assert.match(await ok('get', 'ds', name), new RegExp(`${name}\\s+1\\s+1\\s+1\\s+1\\s+1\\s`));
    }
  } finally {
    node?.stop();
    abort.abort();
    await cluster.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
