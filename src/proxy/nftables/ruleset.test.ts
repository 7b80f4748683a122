import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desiredRuleset, emptyRuleset } from './ruleset.ts';
import { diffScript } from '../../nftables/index.ts';
import type { ServicePort } from '../service-ports.ts';

const port = (over: Partial<ServicePort> = {}): ServicePort => ({
  id: 'ns/web/tcp/http', namespace: 'ns', name: 'web', portName: 'http', protocol: 'tcp', clusterIP: '10.96.0.10', externalIPs: [], port: 80,
  clusterEndpoints: [{ ip: '10.0.0.1', port: 8080, local: true }, { ip: '10.0.0.2', port: 8080, local: true }],
  externalEndpoints: [], externalLocal: false, ...over,
});

test('a service with endpoints maps its cluster IP to one chain that DNATs to an endpoint picked at random', () => {
  const rs = desiredRuleset([port()], '10.244.0.0/16');
  assert.equal(rs.maps.get('service-ips')!.get('10.96.0.10 . tcp . 80'), 'goto svc-ns/web/tcp/http');
  assert.deepEqual(rs.chains.get('svc-ns/web/tcp/http'), [
    'ip saddr != 10.244.0.0/16 jump mark-for-masquerade',
    'ip saddr { 10.0.0.1 , 10.0.0.2 } jump mark-for-masquerade',
    'meta l4proto tcp dnat ip to numgen random mod 2 map { 0 : 10.0.0.1 . 8080 , 1 : 10.0.0.2 . 8080 }',
  ]);
  assert.equal(rs.chains.size, 1, 'no chain per endpoint');
  const one = desiredRuleset([port({ clusterEndpoints: [{ ip: '10.0.0.1', port: 8080, local: true }] })], '10.244.0.0/16');
  assert.deepEqual(one.chains.get('svc-ns/web/tcp/http')!.slice(1), ['ip saddr 10.0.0.1 jump mark-for-masquerade', 'meta l4proto tcp dnat to 10.0.0.1:8080']);
});

test('without endpoints the cluster IP and node port are refused; externalTrafficPolicy Local drops instead', () => {
  const rs = desiredRuleset([port({ clusterEndpoints: [], nodePort: 30080 })], '10.244.0.0/16');
  assert.equal(rs.maps.get('no-endpoint-services')!.get('10.96.0.10 . tcp . 80'), 'goto reject-chain');
  assert.equal(rs.maps.get('no-endpoint-nodeports')!.get('tcp . 30080'), 'goto reject-chain');
  assert.equal(rs.maps.get('service-ips')!.size, 0);
  const local = desiredRuleset([port({ nodePort: 30080, externalLocal: true })], '10.244.0.0/16');
  assert.equal(local.maps.get('no-endpoint-nodeports')!.get('tcp . 30080'), 'drop');
});

test('one endpoint change rewrites only that service\'s chain', () => {
  const before = desiredRuleset([port(), port({ id: 'ns/other/tcp/http', name: 'other', clusterIP: '10.96.0.11' })], '10.244.0.0/16');
  const after = desiredRuleset([port({ clusterEndpoints: [{ ip: '10.0.0.1', port: 8080, local: true }] }), port({ id: 'ns/other/tcp/http', name: 'other', clusterIP: '10.96.0.11' })], '10.244.0.0/16');
  const script = diffScript('t', before, after).trim().split('\n');
  assert.deepEqual(script, [
    'flush chain ip t svc-ns/web/tcp/http',
    'add rule ip t svc-ns/web/tcp/http ip saddr != 10.244.0.0/16 jump mark-for-masquerade',
    'add rule ip t svc-ns/web/tcp/http ip saddr 10.0.0.1 jump mark-for-masquerade',
    'add rule ip t svc-ns/web/tcp/http meta l4proto tcp dnat to 10.0.0.1:8080',
  ]);
  assert.equal(diffScript('t', after, after), '', 'nothing changed, nothing to apply');
  assert.match(diffScript('t', emptyRuleset(), after), /add element ip t service-ips \{ 10\.96\.0\.10 \. tcp \. 80 : goto svc-ns\/web\/tcp\/http , 10\.96\.0\.11/);
});

test('ClientIP affinity adds a timed set and a chain per endpoint, consulted before the random pick', () => {
  const rs = desiredRuleset([port({ affinitySeconds: 600 })], '10.244.0.0/16');
  assert.equal(rs.sets.get('affinity-ns/web/tcp/http__10.0.0.1/8080')!.declaration, 'type ipv4_addr ; flags dynamic,timeout ; timeout 600s ;');
  assert.deepEqual(rs.chains.get('svc-ns/web/tcp/http')!.slice(2), [
    'ip saddr @affinity-ns/web/tcp/http__10.0.0.1/8080 goto sep-ns/web/tcp/http__10.0.0.1/8080',
    'ip saddr @affinity-ns/web/tcp/http__10.0.0.2/8080 goto sep-ns/web/tcp/http__10.0.0.2/8080',
    'numgen random mod 2 vmap { 0 : goto sep-ns/web/tcp/http__10.0.0.1/8080 , 1 : goto sep-ns/web/tcp/http__10.0.0.2/8080 }',
  ]);
  assert.ok(rs.chains.get('sep-ns/web/tcp/http__10.0.0.1/8080')!.includes('update @affinity-ns/web/tcp/http__10.0.0.1/8080 { ip saddr }'));
});
