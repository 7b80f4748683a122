// kubectl 1.27 and 1.33 against `navarch server --simulated-nodes 3 --disable-agent`: the
// controllers, the scheduler and simulated nodes converge declared state, as on a real cluster.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, KUBECTL_VERSIONS, until, kubectlIn } from './harness.ts';

const server = new TestServer(['--simulated-nodes', '3', '--simulated-zones', '3', '--disable-agent']);
before(() => server.start());
after(() => server.cleanup());


for (const v of KUBECTL_VERSIONS) {
  describe(`kubectl ${v}`, () => {
    const ns = `loops-${v.replace('.', '')}`;
    const { k, ok, json } = kubectlIn(server, v, ns);
    const readyPods = async (selector: string) => (await json(['get', 'pods', '-l', selector])).items
      .filter((p: any) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));

    before(() => ok(['create', 'namespace', ns]).then(() => undefined));

    test('a deployment scales 3 → 10 → 2 on the simulated nodes', async () => {
      await ok(['create', 'deployment', 'web', '--image=encryption-service:v1.0', '--replicas=3']);
      await ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
      const pods = (await json(['get', 'pods', '-l', 'app=web'])).items;
      assert.equal(pods.length, 3);
      for (const p of pods) {
        assert.match(p.spec.nodeName, /^sim-node-\d$/);
        assert.match(p.status.podIP, /^10\.244\.\d+\.\d+$/);
        assert.equal(p.status.phase, 'Running');
      }
      await ok(['scale', 'deploy/web', '--replicas=10']);
      await ok(['wait', '--for=jsonpath={.status.readyReplicas}=10', 'deploy/web', '--timeout=60s']);
      await ok(['scale', 'deploy/web', '--replicas=2']);
      await until('2 pods left', async () => (await json(['get', 'pods', '-l', 'app=web'])).items.length === 2);
      assert.match(await ok(['get', 'deploy', 'web']), /web\s+2\/2\s+2\s+2\s+/);
    });

    test('a rolling update keeps replicas − maxUnavailable ready, and undo goes back', async () => {
      await ok(['scale', 'deploy/web', '--replicas=4']);
      await ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
      let minReady = Infinity;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) { minReady = Math.min(minReady, (await readyPods('app=web')).length); await new Promise((r) => setTimeout(r, 100)); }
      })();
      await ok(['set', 'image', 'deploy/web', 'encryption-service=encryption-service:v2.0']);
      const status = await ok(['rollout', 'status', 'deploy/web', '--timeout=90s']);
      sampling = false;
      await sampler;
      assert.match(status, /successfully rolled out/);
      assert.ok(minReady >= 3, `never fewer than 3 of 4 ready pods (saw ${minReady})`);
      const images = (await readyPods('app=web')).map((p: any) => p.spec.containers[0].image);
      assert.deepEqual(images, ['encryption-service:v2.0', 'encryption-service:v2.0', 'encryption-service:v2.0', 'encryption-service:v2.0']);
      assert.match(await ok(['rollout', 'history', 'deploy/web']), /^1\s+<none>\n2\s+<none>$/m);
      await ok(['rollout', 'undo', 'deploy/web']);
      await ok(['rollout', 'status', 'deploy/web', '--timeout=90s']);
      assert.equal((await json(['get', 'deploy', 'web'])).spec.template.spec.containers[0].image, 'encryption-service:v1.0');
    });

    test('a rollout whose pods never get ready reports ProgressDeadlineExceeded and keeps the old pods', async () => {
      await ok(['patch', 'deploy/web', '--type=merge', '-p', JSON.stringify({ spec: { progressDeadlineSeconds: 3, template: { spec: { containers: [{ name: 'encryption-service', image: 'encryption-service:broken', readinessProbe: { initialDelaySeconds: 3600, tcpSocket: { port: 8080 } } }] } } } })]);
      const r = await k(['rollout', 'status', 'deploy/web', '--timeout=60s']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /exceeded its progress deadline/);
      const d = await json(['get', 'deploy', 'web']);
      const progressing = d.status.conditions.find((c: any) => c.type === 'Progressing');
      assert.equal(progressing.status, 'False');
      assert.equal(progressing.reason, 'ProgressDeadlineExceeded');
      assert.ok((await readyPods('app=web')).length >= 3, 'old pods stay ready');
    });

    test('deleting a deployment removes its replica sets and pods; --cascade=orphan keeps them', async () => {
      await ok(['delete', 'deploy/web', '--wait=true', '--timeout=60s']);
      await until('replica sets and pods gone', async () => (await json(['get', 'rs,pods', '-l', 'app=web'])).items.length === 0);
      await ok(['create', 'deployment', 'kept', '--image=encryption-service:v1.0', '--replicas=2']);
      await ok(['rollout', 'status', 'deploy/kept', '--timeout=60s']);
      await ok(['delete', 'deploy/kept', '--cascade=orphan']);
      await new Promise((r) => setTimeout(r, 1500));
      const left = (await json(['get', 'rs,pods', '-l', 'app=kept'])).items;
      assert.equal(left.filter((o: any) => o.kind === 'ReplicaSet').length, 1);
      assert.equal(left.filter((o: any) => o.kind === 'Pod').length, 2);
      assert.ok(left.every((o: any) => !(o.metadata.ownerReferences ?? []).some((r: any) => r.kind === 'Deployment')));
    });

    test('a job runs to completion and a failing one stops at its backoff limit', async () => {
      const job = (name: string, annotation: string, extra: object = {}) => JSON.stringify({
        apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
        spec: { completions: 3, parallelism: 2, ...extra, template: { metadata: { annotations: { [annotation]: '1s' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'worker:1' }] } } },
      });
      await ok(['apply', '-f', '-'], job('ok-job', 'sim.navarch.io/complete-after'));
      await ok(['wait', '--for=condition=complete', 'job/ok-job', '--timeout=60s']);
      assert.match(await ok(['get', 'job', 'ok-job']), /ok-job\s+Complete\s+3\/3\s+/);
      await ok(['apply', '-f', '-'], job('bad-job', 'sim.navarch.io/fail-after', { backoffLimit: 1, completions: 1, parallelism: 1 }));
      await ok(['wait', '--for=condition=failed', 'job/bad-job', '--timeout=90s']);
      const failed = (await json(['get', 'job', 'bad-job'])).status.conditions.find((c: any) => c.type === 'Failed');
      assert.equal(failed.reason, 'BackoffLimitExceeded');
      assert.equal((await json(['get', 'pods', '-l', 'job-name=bad-job'])).items.length, 2, 'the first try and one retry');
    });

    test('a StatefulSet scales in order and a DaemonSet runs on every node', async () => {
      await ok(['apply', '-f', '-'], JSON.stringify({
        apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
        spec: { serviceName: 'db', replicas: 3, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'db:1' }] } } },
      }));
      await ok(['rollout', 'status', 'sts/db', '--timeout=90s']);
      const pods = (await json(['get', 'pods', '-l', 'app=db'])).items.sort((a: any, b: any) => a.metadata.name.localeCompare(b.metadata.name));
      assert.deepEqual(pods.map((p: any) => p.metadata.name), ['db-0', 'db-1', 'db-2']);
      const started = pods.map((p: any) => Date.parse(p.metadata.creationTimestamp));
      assert.ok(started[0] <= started[1] && started[1] <= started[2], 'created in ordinal order');
      await ok(['apply', '-f', '-'], JSON.stringify({
        apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' },
        spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } } },
      }));
      await ok(['rollout', 'status', 'ds/agent', '--timeout=60s']);
      const nodes = (await json(['get', 'pods', '-l', 'app=agent'])).items.map((p: any) => p.spec.nodeName).sort();
      assert.deepEqual(nodes, ['sim-node-0', 'sim-node-1', 'sim-node-2']);
    });

    test('a pod that fits nowhere gets a FailedScheduling event in upstream words', async () => {
      await ok(['run', 'huge', '--image=big:1', '--overrides', JSON.stringify({ spec: { containers: [{ name: 'huge', image: 'big:1', resources: { requests: { cpu: '100' } } }] } })]);
      const events = await until('FailedScheduling', async () => {
        const list = (await json(['get', 'events', '--field-selector', 'involvedObject.name=huge,reason=FailedScheduling'])).items;
        return list.length ? list : undefined;
      });
      assert.match(events[0].message, /^0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\.$/);
      const pod = await json(['get', 'pod', 'huge']);
      const scheduled = pod.status.conditions.find((c: any) => c.type === 'PodScheduled');
      assert.equal(scheduled.status, 'False');
      assert.equal(scheduled.reason, 'Unschedulable');
    });

    test('topology spread across three zones is even', async () => {
      await ok(['apply', '-f', '-'], JSON.stringify({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'spread' },
        spec: { replicas: 6, selector: { matchLabels: { app: 'spread' } }, template: { metadata: { labels: { app: 'spread' } }, spec: {
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'spread' } } }],
          containers: [{ name: 'c', image: 'c:1' }] } } },
      }));
      await ok(['rollout', 'status', 'deploy/spread', '--timeout=60s']);
      const nodes = (await json(['get', 'nodes'])).items;
      const zoneOf = new Map(nodes.map((n: any) => [n.metadata.name, n.metadata.labels['topology.kubernetes.io/zone']]));
      const perZone = new Map<string, number>();
      for (const p of (await json(['get', 'pods', '-l', 'app=spread'])).items) perZone.set(zoneOf.get(p.spec.nodeName) as string, (perZone.get(zoneOf.get(p.spec.nodeName) as string) ?? 0) + 1);
      assert.deepEqual([...perZone.values()].sort(), [2, 2, 2]);
    });
  });
}

test('cordon and drain move pods off a node, honouring its disruption budget', async () => {
  const k = (args: string[]) => server.kubectl('1.33', args, { timeoutMs: 120_000 });
  const ns = 'drain';
  assert.equal((await k(['create', 'namespace', ns])).code, 0);
  assert.equal((await k(['-n', ns, 'create', 'deployment', 'svc', '--image=svc:1', '--replicas=3'])).code, 0);
  assert.equal((await k(['-n', ns, 'rollout', 'status', 'deploy/svc', '--timeout=60s'])).code, 0);
  const pdb = await k(['-n', ns, 'create', 'pdb', 'svc', '--selector=app=svc', '--min-available=2']);
  assert.equal(pdb.code, 0, pdb.stderr);
  for (const version of ['1.27', '1.33']) {
    const node = 'sim-node-1';
    const drain = await server.kubectl(version, ['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=90s'], { timeoutMs: 120_000 });
    assert.equal(drain.code, 0, drain.stderr);
    assert.match(drain.stdout, new RegExp(`node/${node} (cordoned|already cordoned)`));
    assert.match(drain.stdout, new RegExp(`node/${node} drained`));
    const onNode = JSON.parse((await k(['get', 'pods', '-A', '--field-selector', `spec.nodeName=${node}`, '-o', 'json'])).stdout).items
      .filter((p: any) => !(p.metadata.ownerReferences ?? []).some((r: any) => r.kind === 'DaemonSet'));
    assert.deepEqual(onNode.map((p: any) => p.metadata.name), []);
    assert.match((await k(['get', 'node', node])).stdout, /Ready,SchedulingDisabled/);
    assert.equal((await server.kubectl(version, ['uncordon', node])).code, 0);
  }
  assert.equal((await k(['-n', ns, 'rollout', 'status', 'deploy/svc', '--timeout=60s'])).code, 0);
});
