import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../client/api-client.ts';
import { EndpointIndex } from './endpoint-index.ts';
import { RouteTable } from './route-table.ts';
import { decide, RoundRobin } from './router.ts';

const ing = (spec: KubeObject): KubeObject => ({ metadata: { name: 'site', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, spec });
const backend = (name: string, port: KubeObject) => ({ service: { name, port } });

function world(): { table: RouteTable; index: EndpointIndex } {
  const table = new RouteTable([ing({
    defaultBackend: backend('fallback', { number: 80 }),
    rules: [{ host: 'shop.test', http: { paths: [
      { path: '/api', pathType: 'Prefix', backend: backend('api', { name: 'http' }) },
      { path: '/down', pathType: 'Prefix', backend: backend('down', { number: 80 }) },
      { path: '/ghost', pathType: 'Prefix', backend: backend('ghost', { number: 80 }) },
    ] } }],
  })]);
  const index = new EndpointIndex();
  index.setService({ metadata: { name: 'api', namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 'web' }] } });
  index.setSlice({ metadata: { name: 'api-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'api' } }, addressType: 'IPv4', ports: [{ name: 'http', port: 3000 }], endpoints: [{ addresses: ['10.1.0.1'] }, { addresses: ['10.1.0.2'] }] });
  index.setService({ metadata: { name: 'down', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
  index.setService({ metadata: { name: 'fallback', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
  index.setSlice({ metadata: { name: 'fallback-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'fallback' } }, addressType: 'IPv4', ports: [{ port: 8000 }], endpoints: [{ addresses: ['10.1.0.9'] }] });
  return { table, index };
}

test('a matching rule gives the ready endpoints of its backend, by the named service port', () => {
  const { table, index } = world();
  const d = decide(table, index, 'shop.test', '/api/items?page=2');
  assert.equal(d.kind, 'proxy');
  assert.deepEqual(d.kind === 'proxy' && d.endpoints, [{ host: '10.1.0.1', port: 3000 }, { host: '10.1.0.2', port: 3000 }]);
  assert.equal(d.kind === 'proxy' && d.key, 'default/api:http');
});

test('a backend without ready endpoints or without a service is unavailable (503), naming why', () => {
  const { table, index } = world();
  const down = decide(table, index, 'shop.test', '/down');
  assert.equal(down.kind, 'unavailable');
  assert.match(down.kind === 'unavailable' ? down.message : '', /default\/down has no ready endpoint/);
  const ghost = decide(table, index, 'shop.test', '/ghost');
  assert.match(ghost.kind === 'unavailable' ? ghost.message : '', /service default\/ghost does not exist/);
});

test('unmatched requests go to the default backend, and without one to not-found', () => {
  const { table, index } = world();
  const d = decide(table, index, 'other.test', '/x');
  assert.equal(d.kind, 'proxy');
  assert.deepEqual(d.kind === 'proxy' && d.endpoints, [{ host: '10.1.0.9', port: 8000 }]);
  const none = decide(new RouteTable([]), index, 'other.test', '/x/../y');
  assert.deepEqual(none, { kind: 'not-found', host: 'other.test', path: '/y' });
});

test('round-robin cycles through the endpoints and skips the excluded while others remain', () => {
  const rr = new RoundRobin();
  const eps = [{ host: 'a', port: 1 }, { host: 'b', port: 1 }, { host: 'c', port: 1 }];
  assert.deepEqual([1, 2, 3, 4].map(() => rr.pick('k', eps)?.host), ['a', 'b', 'c', 'a']);
  assert.equal(rr.pick('other', eps)?.host, 'a', 'each backend has its own rotation');
  assert.equal(rr.pick('k', eps, new Set(['b|1']))?.host, 'c');
  assert.equal(rr.pick('k', eps, new Set(['a|1', 'b|1', 'c|1'])), undefined);
  assert.equal(rr.pick('k', []), undefined);
  const fewer = [{ host: 'a', port: 1 }];
  assert.equal(rr.pick('k', fewer)?.host, 'a', 'a shrunken list still yields an endpoint');
});
