import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeNodeInfo, makePod, reasonsByNode, testFramework } from '../../framework/fixtures.ts';
import { pluginRegistry } from '../registry.ts';

const withPort = (name: string, port: number, extra: Record<string, unknown> = {}, nodeName?: string) =>
  makePod({ name, nodeName, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: port, protocol: 'TCP', ...extra }] }] } });

test('rejects nodes where the host port is taken, on the same or any address', () => {
  const taken = makeNodeInfo(makeNode({ name: 'taken' }), [withPort('a', 8080, {}, 'taken')]);
  const otherIp = makeNodeInfo(makeNode({ name: 'other-ip' }), [withPort('b', 8080, { hostIP: '10.0.0.1' }, 'other-ip')]);
  const udp = makeNodeInfo(makeNode({ name: 'udp' }), [withPort('c', 8080, { protocol: 'UDP' }, 'udp')]);
  const f = testFramework(pluginRegistry, [{ name: 'NodePorts' }], [taken, otherIp, udp]);
  const reason = "Unschedulable: node(s) didn't have free ports for the requested pod ports";
  assert.deepEqual(reasonsByNode(f.filter(withPort('p', 8080)).statuses), { taken: reason, 'other-ip': reason, udp: '' });
  assert.deepEqual(reasonsByNode(f.filter(withPort('q', 8080, { hostIP: '10.0.0.2' })).statuses), { taken: reason, 'other-ip': '', udp: '' });
});
