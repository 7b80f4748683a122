import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalIP, canonicalName, dashedIP, ipFromDashed, ipFromReverseName, reverseNameOf } from './names.ts';

test('one spelling per address: IPv6 lower case with the longest zero run compressed', () => {
  assert.equal(canonicalIP('FD00:0:0::1'), 'fd00::1');
  assert.equal(canonicalIP('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canonicalIP('10.0.0.1'), '10.0.0.1');
  assert.equal(canonicalIP('10.0.0.256'), undefined);
  assert.equal(canonicalIP('not-an-ip'), undefined);
});

test('reverse names map to addresses and back, for IPv4 and IPv6, and reject partial names', () => {
  assert.equal(reverseNameOf('10.96.0.1'), '1.0.96.10.in-addr.arpa');
  assert.equal(ipFromReverseName('1.0.96.10.In-Addr.Arpa.'), '10.96.0.1');
  assert.equal(reverseNameOf('2001:db8::1'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  assert.equal(ipFromReverseName('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6.arpa'), '2001:db8::1');
  for (const partial of ['96.10.in-addr.arpa', '01.0.96.10.in-addr.arpa', '256.0.96.10.in-addr.arpa', '1.0.ip6.arpa', 'in-addr.arpa']) assert.equal(ipFromReverseName(partial), undefined, partial);
});

test('addresses as labels are dashed as CoreDNS spells them, and read back', () => {
  assert.equal(dashedIP('10.244.0.5'), '10-244-0-5');
  assert.equal(dashedIP('fd00::5'), 'fd00--5');
  assert.equal(dashedIP('fd00::'), 'fd00--0');
  assert.equal(ipFromDashed('10-244-0-5'), '10.244.0.5');
  assert.equal(ipFromDashed('fd00--5'), 'fd00::5');
  assert.equal(ipFromDashed('fd00--0'), 'fd00::');
  assert.equal(ipFromDashed('web-0'), undefined);
});

test('names compare lower case without the trailing dot', () => {
  assert.equal(canonicalName('Web.Default.SVC.cluster.local.'), 'web.default.svc.cluster.local');
  assert.equal(canonicalName('.'), '');
});
