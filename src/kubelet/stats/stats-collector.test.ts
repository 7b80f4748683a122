import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatsCollector, cpuQuantity, memoryQuantity } from './stats-collector.ts';
import type { CgroupUsage, ContainerLister, HostUsage } from './usage-sample.ts';

type Listed = Awaited<ReturnType<ContainerLister['listContainers']>>[number];

const MI = 1024 * 1024;

function container(id: string, pid: number, pod: string, name: string, extra: Partial<Listed> = {}): Listed {
  return {
    id, name, attempt: 0, state: 'running', pid,
    labels: { 'io.kubernetes.pod.namespace': 'ns', 'io.kubernetes.pod.name': pod, 'io.kubernetes.pod.uid': `uid-${pod}`, 'io.kubernetes.container.name': name },
    ...extra,
  };
}

/** A collector over scripted containers, cgroup figures (by pid), host figures and clock. */
function harness() {
  const state = {
    containers: [] as Listed[],
    cgroups: new Map<number, CgroupUsage>(),
    host: { cpuNs: 0, workingSetBytes: 0 } as HostUsage | undefined,
    clock: 0,
    wall: new Date('2025-01-02T03:04:05.678Z'),
  };
  const collector = new StatsCollector({
    runtime: { listContainers: async () => state.containers },
    cgroupUsage: async (pid) => state.cgroups.get(pid),
    hostUsage: async () => state.host,
    clock: () => state.clock,
    now: () => state.wall,
  });
  return { state, collector };
}

test('quantities: cpu in nanocores over the window, memory in whole KiB', () => {
  assert.equal(cpuQuantity(5_000_000_000, 10_000), '500000000n');
  assert.equal(cpuQuantity(1, 0), '0n');
  assert.equal(memoryQuantity(3 * MI + 100), '3072Ki');
});

test('the first sample gives no report; the second gives rates over the measured window', async () => {
  const { state, collector } = harness();
  state.containers = [container('c1', 11, 'burner', 'burn'), container('c2', 12, 'sleeper', 'main'), container('c3', 13, 'sleeper', 'side')];
  state.cgroups.set(11, { cpuNs: 1_000_000_000, workingSetBytes: 2 * MI });
  state.cgroups.set(12, { cpuNs: 50_000_000, workingSetBytes: 1 * MI });
  state.cgroups.set(13, { cpuNs: 0, workingSetBytes: 512 * 1024 });
  state.host = { cpuNs: 100_000_000_000, workingSetBytes: 900 * MI };
  assert.equal(await collector.sample(), undefined);
  assert.equal(collector.latest(), undefined);

  state.clock += 10_002;
  state.cgroups.set(11, { cpuNs: 6_001_000_000, workingSetBytes: 3 * MI });
  state.cgroups.set(12, { cpuNs: 50_000_000, workingSetBytes: 1 * MI });
  state.cgroups.set(13, { cpuNs: 1_000_000, workingSetBytes: 512 * 1024 });
  state.host = { cpuNs: 112_000_000_000, workingSetBytes: 1000 * MI };
  const report = await collector.sample();
  assert.deepEqual(report, {
    timestamp: '2025-01-02T03:04:05Z',
    window: '10.002s',
    node: { cpu: `${Math.round(12e9 / 10.002)}n`, memory: `${1000 * 1024}Ki` },
    pods: [
      { namespace: 'ns', name: 'burner', containers: [{ name: 'burn', cpu: `${Math.round(5.001e9 / 10.002)}n`, memory: '3072Ki' }] },
      { namespace: 'ns', name: 'sleeper', containers: [{ name: 'main', cpu: '0n', memory: '1024Ki' }, { name: 'side', cpu: `${Math.round(1e6 / 10.002)}n`, memory: '512Ki' }] },
    ],
  });
  assert.deepEqual(collector.latest(), report);
});

test('a container seen only once, not running, unlabelled or unreadable is left out; a pod with none of its containers is absent', async () => {
  const { state, collector } = harness();
  state.containers = [
    container('old', 21, 'p', 'a'),
    container('exited', 22, 'q', 'a', { state: 'exited' }),
    { ...container('bare', 23, 'r', 'a'), labels: {} },
    container('gone', 24, 's', 'a'),
  ];
  for (const pid of [21, 22, 23, 24]) state.cgroups.set(pid, { cpuNs: 0, workingSetBytes: MI });
  await collector.sample();
  state.clock += 1000;
  state.containers.push(container('new', 25, 'p', 'b'));
  state.cgroups.set(25, { cpuNs: 10, workingSetBytes: MI });
  state.cgroups.delete(24);
  const report = await collector.sample();
  assert.deepEqual(report?.pods.map((p) => [p.name, p.containers.map((c) => c.name)]), [['p', ['a']]]);
  // The new container has a rate from the next sample on.
  state.clock += 1000;
  state.cgroups.set(25, { cpuNs: 500_000_010, workingSetBytes: MI });
  const next = await collector.sample();
  assert.deepEqual(next?.pods[0]?.containers.map((c) => [c.name, c.cpu]), [['a', '0n'], ['b', '500000000n']]);
});

test('when two runtime containers carry one container name, the newer attempt is reported', async () => {
  const { state, collector } = harness();
  state.containers = [container('first', 31, 'p', 'app', { attempt: 0 }), container('second', 32, 'p', 'app', { attempt: 1 })];
  state.cgroups.set(31, { cpuNs: 0, workingSetBytes: 1 * MI });
  state.cgroups.set(32, { cpuNs: 0, workingSetBytes: 7 * MI });
  await collector.sample();
  state.clock += 1000;
  const report = await collector.sample();
  assert.deepEqual(report?.pods[0]?.containers, [{ name: 'app', cpu: '0n', memory: '7168Ki' }]);
});

test('without host figures there is no report', async () => {
  const { state, collector } = harness();
  state.host = undefined;
  await collector.sample();
  state.clock += 1000;
  assert.equal(await collector.sample(), undefined);
});

test('run samples at once and then every interval until aborted', async () => {
  let lists = 0;
  const collector = new StatsCollector({
    runtime: { listContainers: async () => { lists++; return []; } },
    hostUsage: async () => ({ cpuNs: lists * 1e9, workingSetBytes: MI }),
    intervalMs: 30,
  });
  const stop = new AbortController();
  const done = collector.run(stop.signal);
  await new Promise((r) => setTimeout(r, 200));
  stop.abort();
  await done;
  const seen = lists;
  assert.ok(seen >= 3, `sampled ${seen} times`);
  assert.match(collector.latest()?.window ?? '', /^0\.0\d+s$|^\d+ms$/);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(lists, seen, 'no samples after abort');
});
