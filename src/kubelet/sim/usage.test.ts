import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeUsage, podUsage } from './usage.ts';

const running = (containers: unknown[], annotations: Record<string, string> = {}) => ({ metadata: { annotations }, spec: { containers }, status: { phase: 'Running' } });

test('a container uses half its request, else half its limit, else a small idle amount', () => {
  const u = podUsage(running([
    { name: 'a', resources: { requests: { cpu: '500m', memory: '256Mi' } } },
    { name: 'b', resources: { limits: { cpu: '1', memory: '1Gi' } } },
    { name: 'c' },
  ]))!;
  assert.deepEqual(u.containers.map((c) => [c.name, c.cpuMillis, c.memoryBytes / 2 ** 20]), [['a', 250, 128], ['b', 500, 512], ['c', 5, 32]]);
  assert.deepEqual(u.total, { cpuMillis: 755, memoryBytes: 672 * 2 ** 20 });
});

test('usage annotations set the pod total, shared in proportion; only Running pods use anything', () => {
  const pod = running([{ name: 'a', resources: { requests: { cpu: '300m' } } }, { name: 'b', resources: { requests: { cpu: '100m' } } }], { 'sim.navarch.io/cpu-usage': '1', 'sim.navarch.io/memory-usage': '1Gi' });
  const u = podUsage(pod)!;
  assert.deepEqual(u.containers.map((c) => c.cpuMillis), [750, 250]);
  assert.equal(u.total.memoryBytes, 2 ** 30);
  assert.equal(podUsage({ ...pod, status: { phase: 'Pending' } }), undefined);
  assert.deepEqual(nodeUsage([pod, { ...pod, status: { phase: 'Succeeded' } }]), { cpuMillis: 1100, memoryBytes: 2 ** 30 + 512 * 2 ** 20 });
});
