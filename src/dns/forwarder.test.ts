import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import { createLogger } from '../base/log.ts';
import { DnsServer } from './dns-server.ts';
import { Forwarder, upstreamsFromResolvConf, type Upstream } from './forwarder.ts';
import type { Transport } from './query-handler.ts';

/** A record's data and TTL (the OPT pseudo-record has neither). */
const rdata = (a: Answer): unknown => (a as { data?: unknown }).data;


const log = createLogger({ component: 'dns-forwarder-test' });

/** A fake upstream on loopback (UDP and TCP on one port): `reply` returns the answers, or undefined to stay silent. */
async function upstream(reply: (q: dnsPacket.DecodedPacket, transport: Transport) => { answers?: Answer[]; flags?: number } | undefined) {
  const seen: Transport[] = [];
  const server = new DnsServer({
    host: '127.0.0.1', port: 0, log,
    handler: async (msg, transport) => {
      seen.push(transport);
      const q = dnsPacket.decode(msg);
      const r = reply(q, transport);
      if (!r) return undefined;
      return dnsPacket.encode({ id: q.id, type: 'response', flags: r.flags ?? (dnsPacket.RECURSION_AVAILABLE | dnsPacket.RECURSION_DESIRED), questions: q.questions, answers: r.answers ?? [] });
    },
  });
  const address = await server.listen();
  return { address: address as Upstream, seen, close: () => server.close() };
}

const a = (name: string, ip: string): Answer => ({ type: 'A', name, ttl: 60, data: ip });
const query = (name: string, id = 0x1234) => dnsPacket.encode({ id, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: 'A' }] });

test('forwards a query to the upstream and returns its answer under the query id', async () => {
  const up = await upstream((q) => ({ answers: [a(q.questions![0]!.name, '192.0.2.1')] }));
  try {
    const reply = await new Forwarder({ upstreams: [up.address], log }).forward(query('www.example.com', 0xbeef));
    assert.ok(reply);
    const p = dnsPacket.decode(reply);
    assert.equal(p.id, 0xbeef);
    assert.deepEqual(p.answers!.map(rdata), ['192.0.2.1']);
    assert.deepEqual(up.seen, ['udp']);
  } finally {
    await up.close();
  }
});

test('a silent first upstream does not stop the second from answering in time', async () => {
  const silent = await upstream(() => undefined);
  const good = await upstream((q) => ({ answers: [a(q.questions![0]!.name, '192.0.2.2')] }));
  try {
    const t0 = Date.now();
    const reply = await new Forwarder({ upstreams: [silent.address, good.address], log }).forward(query('www.example.com'));
    assert.ok(reply, 'answered');
    assert.deepEqual(dnsPacket.decode(reply).answers!.map(rdata), ['192.0.2.2']);
    assert.ok(Date.now() - t0 < 1500, `answered after ${Date.now() - t0} ms`);
    assert.equal(silent.seen.length, 1, 'the silent one was asked first');
  } finally {
    await silent.close();
    await good.close();
  }
});

test('no answer from any upstream gives up within the deadline', async () => {
  const silent = await upstream(() => undefined);
  try {
    const t0 = Date.now();
    const reply = await new Forwarder({ upstreams: [silent.address, { host: '127.0.0.1', port: silent.address.port }], log }).forward(query('www.example.com'));
    const took = Date.now() - t0;
    assert.equal(reply, undefined);
    assert.ok(took >= 1900 && took < 2600, `gave up after ${took} ms`);
  } finally {
    await silent.close();
  }
});

test('a truncated UDP answer is asked again over TCP', async () => {
  const up = await upstream((q, transport) => transport === 'udp'
    ? { flags: dnsPacket.TRUNCATED_RESPONSE }
    : { answers: Array.from({ length: 60 }, (_, i) => a(q.questions![0]!.name, `192.0.2.${i + 1}`)) });
  try {
    const reply = await new Forwarder({ upstreams: [up.address], log }).forward(query('big.example.com', 7));
    assert.ok(reply);
    const p = dnsPacket.decode(reply);
    assert.equal(p.id, 7);
    assert.equal(p.flag_tc, false);
    assert.equal(p.answers!.length, 60);
    assert.deepEqual(up.seen, ['udp', 'tcp']);
  } finally {
    await up.close();
  }
});

test('a SERVFAIL from one upstream moves on to the next; only SERVFAILs give a SERVFAIL', async () => {
  const failing = await upstream(() => ({ flags: 2 /* SERVFAIL */ }));
  const good = await upstream((q) => ({ answers: [a(q.questions![0]!.name, '192.0.2.3')] }));
  try {
    const reply = await new Forwarder({ upstreams: [failing.address, good.address], log, staggerMs: 5000 }).forward(query('www.example.com'));
    assert.deepEqual(dnsPacket.decode(reply!).answers!.map(rdata), ['192.0.2.3']);
    const only = await new Forwarder({ upstreams: [failing.address], log }).forward(query('www.example.com'));
    assert.equal(only!.readUInt16BE(2) & 0xf, 2);
  } finally {
    await failing.close();
    await good.close();
  }
});

test('an upstream with nothing listening fails fast to the next one', async () => {
  const good = await upstream((q) => ({ answers: [a(q.questions![0]!.name, '192.0.2.4')] }));
  const gone = await upstream(() => undefined);
  const deadPort = gone.address.port;
  await gone.close();
  try {
    const t0 = Date.now();
    const reply = await new Forwarder({ upstreams: [{ host: '127.0.0.1', port: deadPort }, good.address], log, staggerMs: 5000 }).forward(query('www.example.com'));
    assert.deepEqual(dnsPacket.decode(reply!).answers!.map(rdata), ['192.0.2.4']);
    assert.ok(Date.now() - t0 < 1000, 'did not wait for the stagger');
  } finally {
    await good.close();
  }
});

test('the upstreams come from resolv.conf nameservers', () => {
  assert.deepEqual(upstreamsFromResolvConf('# generated\nsearch example.com\nnameserver 10.0.0.2\nnameserver fe80::1%eth0 # link-local\noptions ndots:2\nnameserver 8.8.8.8\n'), [
    { host: '10.0.0.2', port: 53 }, { host: 'fe80::1', port: 53 }, { host: '8.8.8.8', port: 53 },
  ]);
  assert.deepEqual(upstreamsFromResolvConf(''), [{ host: '127.0.0.1', port: 53 }]);
});

test('an upstream that cannot even be connected to (no route, refused) is skipped, and the process lives on', async () => {
  const up = await upstream((q) => ({ answers: [a(q.questions![0]!.name, '192.0.2.7')] }));
  try {
    // Connecting a UDP socket to the broadcast address fails (EACCES) in connect(), as a missing route does.
    const reply = await new Forwarder({ upstreams: [{ host: '255.255.255.255', port: 53 }, up.address], log }).forward(query('www.example.com'));
    assert.ok(reply);
    assert.deepEqual(dnsPacket.decode(reply).answers!.map(rdata), ['192.0.2.7']);
  } finally {
    await up.close();
  }
});
