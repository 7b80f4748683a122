import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import { createLogger } from '../base/log.ts';
import { Answerer } from './answerer.ts';
import { DnsServer, type BoundAddress } from './dns-server.ts';
import { QueryHandler, type Forwarding } from './query-handler.ts';
import { RecordIndex } from './record-index.ts';

/** A record's data and TTL (the OPT pseudo-record has neither). */
const rdata = (a: Answer): unknown => (a as { data?: unknown }).data;


const log = createLogger({ component: 'dns-server-test' });

function index(): RecordIndex {
  return RecordIndex.from({
    namespaces: ['default'],
    services: [
      { metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] } },
      { metadata: { namespace: 'default', name: 'many' }, spec: { clusterIP: 'None' } },
      { metadata: { namespace: 'default', name: 'ext' }, spec: { type: 'ExternalName', externalName: 'www.example.com' } },
    ],
    slices: [{
      metadata: { namespace: 'default', name: 'many-1', labels: { 'kubernetes.io/service-name': 'many' } },
      endpoints: Array.from({ length: 40 }, (_, i) => ({ addresses: [`10.244.0.${i + 1}`], conditions: { ready: true } })),
    }],
  });
}

async function withServer(fn: (addr: BoundAddress) => Promise<void>, forwarder?: Forwarding): Promise<void> {
  const handler = new QueryHandler({ answerer: new Answerer(index(), { zone: 'cluster.local' }), forwarder, log });
  const server = new DnsServer({ host: '127.0.0.1', port: 0, handler: (m, t) => handler.handle(m, t), log });
  try {
    await fn(await server.listen());
  } finally {
    await server.close();
  }
}

const encode = (name: string, type: string, extra: Partial<Packet> = {}) =>
  dnsPacket.encode({ id: 99, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as 'A' }], ...extra });
const withEdns = (size: number, version = 0): Partial<Packet> => ({ additionals: [{ type: 'OPT', name: '.', udpPayloadSize: size, extendedRcode: 0, ednsVersion: version, flags: 0, flag_do: false, options: [] }] });

/** Sends one datagram; resolves with the reply, or undefined when none came within `ms`. */
function udp(addr: BoundAddress, msg: Buffer, ms = 1000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const done = (r: Buffer | undefined) => { clearTimeout(timer); s.close(); resolve(r); };
    const timer = setTimeout(() => done(undefined), ms);
    s.on('message', (m) => done(m));
    s.send(msg, addr.port, addr.host);
  });
}

/** Sends messages on one TCP connection (written in the given chunks); resolves with `count` replies. */
function tcp(addr: BoundAddress, chunks: Buffer[], count: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const s = connect(addr.port, addr.host);
    let buf = Buffer.alloc(0);
    const out: Buffer[] = [];
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`only ${out.length} of ${count} TCP replies`)); }, 2000);
    s.on('connect', async () => { for (const c of chunks) { s.write(c); await new Promise((r) => setTimeout(r, 20)); } });
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        out.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (out.length === count) { clearTimeout(timer); s.destroy(); resolve(out); }
    });
    s.on('error', reject);
  });
}
const framed = (msg: Buffer) => { const l = Buffer.alloc(2); l.writeUInt16BE(msg.length); return Buffer.concat([l, msg]); };

test('listens on one port for UDP and TCP, port 0 picking a free one', async () => {
  await withServer(async (addr) => {
    assert.equal(addr.host, '127.0.0.1');
    assert.ok(addr.port > 0);
    const [viaTcp] = await tcp(addr, [framed(encode('web.default.svc.cluster.local', 'A'))], 1);
    const viaUdp = await udp(addr, encode('web.default.svc.cluster.local', 'A'));
    for (const reply of [viaTcp!, viaUdp!]) {
      const p = dnsPacket.decode(reply);
      assert.equal(p.id, 99);
      assert.deepEqual(p.answers!.map(rdata), ['10.96.0.20']);
    }
  });
});

test('TCP answers several queries on one connection, however the bytes are split', async () => {
  await withServer(async (addr) => {
    const both = Buffer.concat([framed(encode('web.default.svc.cluster.local', 'A', { id: 1 })), framed(encode('nope.default.svc.cluster.local', 'A', { id: 2 }))]);
    const replies = await tcp(addr, [both.subarray(0, 1), both.subarray(1, 30), both.subarray(30)], 2);
    const byId = new Map(replies.map((r) => { const p = dnsPacket.decode(r); return [p.id, p] as const; }));
    assert.equal((byId.get(1) as { rcode?: string }).rcode, 'NOERROR');
    assert.equal((byId.get(2) as { rcode?: string }).rcode, 'NXDOMAIN');
  });
});

test('a UDP answer larger than 512 bytes is truncated with TC; over TCP, or with a large EDNS0 size, it comes whole', async () => {
  await withServer(async (addr) => {
    const small = (await udp(addr, encode('many.default.svc.cluster.local', 'A')))!;
    assert.ok(small.length <= 512, `${small.length} bytes`);
    const t = dnsPacket.decode(small);
    assert.equal(t.flag_tc, true);
    assert.deepEqual(t.answers, []);
    assert.equal(t.questions![0]!.name, 'many.default.svc.cluster.local');

    const [whole] = await tcp(addr, [framed(encode('many.default.svc.cluster.local', 'A'))], 1);
    assert.equal(dnsPacket.decode(whole!).flag_tc, false);
    assert.equal(dnsPacket.decode(whole!).answers!.length, 40);

    const edns = dnsPacket.decode((await udp(addr, encode('many.default.svc.cluster.local', 'A', withEdns(4096))))!);
    assert.equal(edns.flag_tc, false);
    assert.equal(edns.answers!.length, 40);
    const opt = edns.additionals!.find((a) => a.type === 'OPT');
    assert.ok(opt, 'the reply carries OPT');

    const limited = (await udp(addr, encode('many.default.svc.cluster.local', 'A', withEdns(1000))))!;
    assert.ok(limited.length <= 1000);
    assert.equal(dnsPacket.decode(limited).flag_tc, true);
  });
});

test('malformed packets are answered FORMERR or dropped, and the server keeps answering', async () => {
  await withServer(async (addr) => {
    const good = encode('web.default.svc.cluster.local', 'A');
    // A header claiming a question that is cut off.
    const cut = (await udp(addr, good.subarray(0, 20)))!;
    assert.ok(cut, 'a broken query with a header gets an answer');
    assert.equal(cut.readUInt16BE(0), 99);
    assert.equal(cut.readUInt16BE(2) & 0xf, 1, 'FORMERR');
    assert.ok(cut.readUInt16BE(2) & 0x8000, 'a response');
    assert.equal(await udp(addr, Buffer.from([1, 2, 3]), 300), undefined, 'no header: dropped');
    const response = Buffer.from(good); response.writeUInt16BE(0x8100, 2);
    assert.equal(await udp(addr, response, 300), undefined, 'a response is never answered');
    // A name compression loop, random bytes, an unknown EDNS version.
    const loop = Buffer.concat([good.subarray(0, 12), Buffer.from([0xc0, 12, 0, 1, 0, 1])]);
    assert.equal((await udp(addr, loop))!.readUInt16BE(2) & 0xf, 1);
    for (let i = 0; i < 20; i++) await udp(addr, Buffer.from(Array.from({ length: 12 + i * 7 }, (_, j) => (j * 37 + i * 11) & 0xff)), 50);
    const badvers = dnsPacket.decode((await udp(addr, encode('web.default.svc.cluster.local', 'A', withEdns(1232, 1))))!);
    assert.equal((badvers.additionals!.find((a) => a.type === 'OPT') as { extendedRcode: number }).extendedRcode, 1, 'BADVERS');
    // Over TCP too.
    const [tcpCut] = await tcp(addr, [framed(good.subarray(0, 20)), framed(good)], 2).then((r) => r.sort((x, y) => x.length - y.length));
    assert.equal(tcpCut!.readUInt16BE(2) & 0xf, 1);
    assert.deepEqual(dnsPacket.decode((await udp(addr, good))!).answers!.map(rdata), ['10.96.0.20'], 'still answering');
  });
});

test('names outside the zone go to the forwarder; without an answer the client gets SERVFAIL', async () => {
  let asked = 0;
  const forwarder: Forwarding = {
    async forward(q) {
      asked++;
      const p = dnsPacket.decode(q);
      if (p.questions![0]!.name === 'down.example.com') return undefined;
      return dnsPacket.encode({ id: p.id, type: 'response', flags: dnsPacket.RECURSION_AVAILABLE, questions: p.questions, answers: [{ type: 'A', name: p.questions![0]!.name, ttl: 30, data: '192.0.2.7' }] });
    },
  };
  await withServer(async (addr) => {
    const ok = dnsPacket.decode((await udp(addr, encode('www.example.com', 'A')))!);
    assert.equal(ok.id, 99);
    assert.deepEqual(ok.answers!.map(rdata), ['192.0.2.7']);
    const fail = dnsPacket.decode((await udp(addr, encode('down.example.com', 'A')))!);
    assert.equal((fail as { rcode?: string }).rcode, 'SERVFAIL');
    assert.equal(fail.id, 99);
    // An ExternalName's target is chased upstream and appended to the CNAME.
    const ext = dnsPacket.decode((await udp(addr, encode('ext.default.svc.cluster.local', 'A')))!);
    assert.deepEqual(ext.answers!.map((x) => `${x.type} ${rdata(x)}`), ['CNAME www.example.com', 'A 192.0.2.7']);
    assert.equal(asked, 3);
  }, forwarder);
});

test('binding a port another server holds fails with EADDRINUSE instead of serving half', async () => {
  await withServer(async (taken) => {
    const handler = async () => undefined;
    const clash = new DnsServer({ host: '127.0.0.1', port: taken.port, handler, log });
    await assert.rejects(clash.listen(), /EADDRINUSE/);
    await clash.close();
  });
});
