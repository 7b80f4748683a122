import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../client/api-client.ts';
import { EndpointIndex, type Resolution } from './endpoint-index.ts';
import type { Backend } from './route-table.ts';

const freeze = <T>(o: T): T => JSON.parse(JSON.stringify(o), (_k, v) => (v && typeof v === 'object' ? Object.freeze(v) : v));
const svc = (name: string, ports: KubeObject[], extra: KubeObject = {}, ns = 'default') => freeze({ metadata: { name, namespace: ns }, spec: { ports, ...extra } });
const slice = (name: string, service: string, ports: KubeObject[], endpoints: KubeObject[], ns = 'default', addressType = 'IPv4') =>
  freeze({ metadata: { name, namespace: ns, labels: { 'kubernetes.io/service-name': service } }, addressType, ports, endpoints });
const ep = (ip: string, ready?: boolean) => ({ addresses: [ip], ...(ready === undefined ? {} : { conditions: { ready } }) });
const byNumber = (name: string, number: number, ns = 'default'): Backend => ({ namespace: ns, service: { name, port: { number } } });
const byName = (name: string, port: string, ns = 'default'): Backend => ({ namespace: ns, service: { name, port: { name: port } } });
const addrs = (r: Resolution) => (r.ok ? r.endpoints.map((e) => `${e.host}:${e.port}`).join(' ') : `!${r.reason}`);

test('a backend port number picks the service port, whose name picks the slice port (the target port)', () => {
  const ix = new EndpointIndex();
  ix.setService(svc('web', [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'admin', port: 81, targetPort: 'admin' }]));
  ix.setSlice(slice('web-1', 'web', [{ name: 'http', port: 8080 }, { name: 'admin', port: 9090 }], [ep('10.0.0.2'), ep('10.0.0.1')]));
  assert.equal(addrs(ix.resolve(byNumber('web', 80))), '10.0.0.1:8080 10.0.0.2:8080');
  assert.equal(addrs(ix.resolve(byNumber('web', 81))), '10.0.0.1:9090 10.0.0.2:9090');
  assert.equal(addrs(ix.resolve(byName('web', 'admin'))), '10.0.0.1:9090 10.0.0.2:9090', 'a named backend port is the service port of that name');
  assert.equal(addrs(ix.resolve(byNumber('web', 8080))), '!no-port', 'the target port is not a service port');
  assert.equal(addrs(ix.resolve(byName('web', 'nope'))), '!no-port');
});

test('an unnamed single service port matches the unnamed slice port', () => {
  const ix = new EndpointIndex();
  ix.setService(svc('one', [{ port: 80, targetPort: 3000 }]));
  ix.setSlice(slice('one-x', 'one', [{ port: 3000 }], [ep('10.0.0.5')]));
  assert.equal(addrs(ix.resolve(byNumber('one', 80))), '10.0.0.5:3000');
});

test('only ready endpoints count (a missing ready condition means ready); none ready is a clear no-endpoints', () => {
  const ix = new EndpointIndex();
  ix.setService(svc('web', [{ name: 'http', port: 80 }]));
  ix.setSlice(slice('web-1', 'web', [{ name: 'http', port: 8080 }], [ep('10.0.0.1', true), ep('10.0.0.2', false), ep('10.0.0.3')]));
  assert.equal(addrs(ix.resolve(byNumber('web', 80))), '10.0.0.1:8080 10.0.0.3:8080');
  ix.setSlice(slice('web-1', 'web', [{ name: 'http', port: 8080 }], [ep('10.0.0.1', false)]));
  const r = ix.resolve(byNumber('web', 80));
  assert.equal(addrs(r), '!no-endpoints');
  assert.match(!r.ok ? r.message : '', /default\/web has no ready endpoint/);
});

test('endpoints of several slices are merged and deduplicated; a deleted slice leaves', () => {
  const ix = new EndpointIndex();
  ix.setService(svc('web', [{ name: 'http', port: 80 }]));
  ix.setSlice(slice('web-a', 'web', [{ name: 'http', port: 8080 }], [ep('10.0.0.1'), ep('10.0.0.2')]));
  ix.setSlice(slice('web-b', 'web', [{ name: 'http', port: 8080 }], [ep('10.0.0.2'), ep('10.0.0.3')]));
  assert.equal(addrs(ix.resolve(byNumber('web', 80))), '10.0.0.1:8080 10.0.0.2:8080 10.0.0.3:8080');
  ix.deleteSlice(slice('web-a', 'web', [], []));
  assert.equal(addrs(ix.resolve(byNumber('web', 80))), '10.0.0.2:8080 10.0.0.3:8080', 'the cached answer was dropped with the change');
});

test('a slice relabelled to another service moves with its label', () => {
  const ix = new EndpointIndex();
  ix.setService(svc('a', [{ port: 80 }]));
  ix.setService(svc('b', [{ port: 80 }]));
  ix.setSlice(slice('s', 'a', [{ port: 80 }], [ep('10.0.0.1')]));
  assert.equal(addrs(ix.resolve(byNumber('a', 80))), '10.0.0.1:80');
  ix.setSlice(slice('s', 'b', [{ port: 80 }], [ep('10.0.0.1')]));
  assert.equal(addrs(ix.resolve(byNumber('a', 80))), '!no-endpoints');
  assert.equal(addrs(ix.resolve(byNumber('b', 80))), '10.0.0.1:80');
});

test('services and slices are per namespace', () => {
  const ix = new EndpointIndex();
  ix.setService(svc('web', [{ port: 80 }], {}, 'blue'));
  ix.setSlice(slice('web-1', 'web', [{ port: 80 }], [ep('10.0.0.9')], 'green'));
  assert.equal(addrs(ix.resolve(byNumber('web', 80, 'blue'))), '!no-endpoints');
  assert.equal(addrs(ix.resolve(byNumber('web', 80, 'green'))), '!no-service');
});

test('a missing or deleted service is no-service; a UDP port is not served; FQDN slices are ignored', () => {
  const ix = new EndpointIndex();
  assert.equal(addrs(ix.resolve(byNumber('ghost', 80))), '!no-service');
  const dns = svc('dns', [{ name: 'dns', port: 53, protocol: 'UDP' }]);
  ix.setService(dns);
  ix.setSlice(slice('dns-1', 'dns', [{ name: 'dns', port: 53, protocol: 'UDP' }], [ep('10.0.0.1')]));
  assert.equal(addrs(ix.resolve(byNumber('dns', 53))), '!no-port');
  ix.setService(svc('f', [{ port: 80 }]));
  ix.setSlice(slice('f-1', 'f', [{ port: 80 }], [ep('example.com')], 'default', 'FQDN'));
  assert.equal(addrs(ix.resolve(byNumber('f', 80))), '!no-endpoints');
  ix.deleteService(dns);
  assert.equal(addrs(ix.resolve(byNumber('dns', 53))), '!no-service');
});

test('an ExternalName service resolves to its external name', () => {
  const ix = new EndpointIndex();
  ix.setService(svc('ext', [{ name: 'https', port: 443 }], { type: 'ExternalName', externalName: 'api.example.com' }));
  assert.equal(addrs(ix.resolve(byNumber('ext', 8443))), 'api.example.com:8443');
  assert.equal(addrs(ix.resolve(byName('ext', 'https'))), 'api.example.com:443');
});

test('a resource backend is reported as unsupported', () => {
  const r = new EndpointIndex().resolve({ namespace: 'default', resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } });
  assert.equal(addrs(r), '!unsupported');
  assert.match(!r.ok ? r.message : '', /StorageBucket static is not supported/);
});

test('IPv6 slices are served', () => {
  const ix = new EndpointIndex();
  ix.setService(svc('v6', [{ port: 80 }]));
  ix.setSlice(slice('v6-1', 'v6', [{ port: 8080 }], [ep('fd00::5')], 'default', 'IPv6'));
  assert.equal(addrs(ix.resolve(byNumber('v6', 80))), 'fd00::5:8080');
});
