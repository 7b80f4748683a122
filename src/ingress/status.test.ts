import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBalancerIngress, showsAddresses, withLoadBalancerStatus } from './status.ts';

test('addresses become ip or hostname entries, deduplicated, IPs first', () => {
  assert.deepEqual(loadBalancerIngress(['node.example.com', '192.168.1.5', '10.0.0.1', '10.0.0.1', ' ', 'fd00::1']), [
    { ip: '10.0.0.1' }, { ip: '192.168.1.5' }, { ip: 'fd00::1' }, { hostname: 'node.example.com' },
  ]);
});

test('the status is rewritten only when it differs, and other status fields are kept', () => {
  const wanted = loadBalancerIngress(['10.0.0.1']);
  const ing = Object.freeze({ metadata: { name: 'a' }, status: Object.freeze({ loadBalancer: Object.freeze({}), other: 1 }) });
  const updated = withLoadBalancerStatus(ing, wanted);
  assert.deepEqual(updated?.status, { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] }, other: 1 });
  assert.equal(withLoadBalancerStatus(updated!, wanted), undefined);
  assert.deepEqual(withLoadBalancerStatus(updated!, [])?.status, { loadBalancer: {}, other: 1 });
  assert.equal(showsAddresses(updated!, wanted), true);
  assert.equal(showsAddresses(ing, wanted), false);
});
