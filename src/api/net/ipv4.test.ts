import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpv4, formatIpv4, parseIpv4Cidr, formatIpv4Cidr, cidrContains, nthAddress } from './ipv4.ts';

test('dotted quads parse to numbers and back; anything else is not an address', () => {
  assert.equal(parseIpv4('10.96.0.1'), 10 * 2 ** 24 + 96 * 2 ** 16 + 1);
  assert.equal(formatIpv4(parseIpv4('255.255.255.255')!), '255.255.255.255');
  assert.equal(formatIpv4(parseIpv4('0.0.0.0')!), '0.0.0.0');
  for (const bad of ['10.96.0', '10.96.0.256', '10.096.0.1', 'a.b.c.d', '::1', '10.96.0.1 ', '']) assert.equal(parseIpv4(bad), undefined, bad);
});

test('a CIDR masks host bits, knows its size and what it contains', () => {
  const c = parseIpv4Cidr('10.100.7.9/12')!;
  assert.equal(formatIpv4Cidr(c), '10.96.0.0/12');
  assert.equal(c.size, 2 ** 20);
  assert.ok(cidrContains(c, parseIpv4('10.111.255.255')!));
  assert.ok(!cidrContains(c, parseIpv4('10.112.0.0')!));
  assert.equal(nthAddress(c, 10), '10.96.0.10');
  assert.equal(parseIpv4Cidr('10.0.0.0/33'), undefined);
  assert.equal(parseIpv4Cidr('10.0.0.0'), undefined);
});
