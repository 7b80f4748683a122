// kubectl 1.27 and 1.33 with simulated nodes: a HorizontalPodAutoscaler follows reported CPU up
// and down (`kubectl autoscale`, `kubectl top`), and a CronJob fires on its schedule.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, until } from './harness.ts';

const server = new TestServer(['--simulated-nodes', '2', '--disable-agent']);
before(() => server.start());
after(() => server.cleanup());


const ok = async (v: string, args: string[], input?: string) => {
  const r = await server.kubectl(v, args, { input, timeoutMs: 120_000 });
  assert.equal(r.code, 0, `kubectl ${v} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

test('an autoscaler scales a deployment up on high CPU and down when it falls', async () => {
  const deploy = (usage: string) => JSON.stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'busy', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'busy' } }, template: {
      metadata: { labels: { app: 'busy' }, annotations: { 'sim.navarch.io/cpu-usage': usage } },
      spec: { containers: [{ name: 'busy', image: 'busy:1', resources: { requests: { cpu: '100m' } } }] } } },
  });
  await ok('1.33', ['apply', '-f', '-'], deploy('90m'));
  await ok('1.33', ['rollout', 'status', 'deploy/busy', '--timeout=60s']);
  assert.match(await ok('1.27', ['autoscale', 'deploy', 'busy', '--cpu-percent=50', '--min=1', '--max=5']), /autoscaled/);
  await ok('1.33', ['patch', 'hpa', 'busy', '--type=merge', '-p', JSON.stringify({ spec: { behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } } })]);
  const up = await until('scale up', async () => {
    const hpa = JSON.parse(await ok('1.33', ['get', 'hpa', 'busy', '-o', 'json']));
    return (hpa.status?.desiredReplicas ?? 0) >= 4 && hpa;
  }, 90_000);
  assert.equal(up.status.desiredReplicas, 4, 'ceil(2 × 90% / 50%)');
  assert.match(await ok('1.33', ['get', 'hpa', 'busy']), /busy\s+Deployment\/busy\s+cpu: 90%\/50%\s+1\s+5\s+\d/);
  const top = await ok('1.33', ['top', 'pod', '-l', 'app=busy']);
  assert.match(top, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
  assert.match(top, /busy-\S+\s+90m\s+\d+Mi/);
  await until('deployment at 4', async () => JSON.parse(await ok('1.33', ['get', 'deploy', 'busy', '-o', 'json'])).spec.replicas === 4, 90_000);
  await ok('1.33', ['patch', 'deploy', 'busy', '--type=merge', '-p', JSON.stringify({ spec: { template: { metadata: { annotations: { 'sim.navarch.io/cpu-usage': '10m' } } } } })]);
  await until('scale down to the minimum', async () => JSON.parse(await ok('1.33', ['get', 'deploy', 'busy', '-o', 'json'])).spec.replicas === 1, 90_000);
  const events = await ok('1.33', ['get', 'events', '--field-selector', 'involvedObject.name=busy,reason=SuccessfulRescale']);
  assert.match(events, /New size: 4; reason: cpu resource utilization \(percentage of request\) above target/);
  assert.match(events, /New size: 1; reason: All metrics below target/);
});

test('a cronjob fires on schedule and its job completes', async () => {
  await ok('1.27', ['create', 'cronjob', 'tick', '--image=worker:1', '--schedule=* * * * *']);
  await ok('1.33', ['patch', 'cronjob', 'tick', '--type=merge', '-p', JSON.stringify({ spec: { jobTemplate: { spec: { template: { metadata: { annotations: { 'sim.navarch.io/complete-after': '1s' } } } } } } })]);
  const job = await until('a job from the cronjob', async () => {
    const jobs = JSON.parse(await ok('1.33', ['get', 'jobs', '-o', 'json'])).items.filter((j: any) => j.metadata.ownerReferences?.[0]?.name === 'tick');
    return jobs[0];
  }, 75_000);
  assert.match(job.metadata.name, /^tick-\d+$/);
  await ok('1.33', ['wait', '--for=condition=complete', `job/${job.metadata.name}`, '--timeout=60s']);
  const cj = await until('lastSuccessfulTime', async () => {
    const c = JSON.parse(await ok('1.33', ['get', 'cronjob', 'tick', '-o', 'json']));
    return c.status?.lastSuccessfulTime && c;
  }, 30_000);
  assert.ok(cj.status.lastScheduleTime);
  assert.match(await ok('1.33', ['get', 'cronjob', 'tick']), /tick\s+\* \* \* \* \*\s+<none>\s+False\s+\d+\s+\d+s/);
});
