import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import { startTestCluster, until } from '../server/test-cluster.ts';
import { createLogger } from '../base/log.ts';
import { ApiClient } from '../client/api-client.ts';
import { ClusterDNS, ENDPOINT_SLICES, SERVICES } from './cluster-dns.ts';
import type { BoundAddress } from './dns-server.ts';

/** A record's data and TTL (the OPT pseudo-record has neither). */
const rdata = (a: Answer): unknown => (a as { data?: unknown }).data;


const log = createLogger({ component: 'cluster-dns-test' });
const NS = 'default';

function ask(addr: BoundAddress, name: string, type: string, ms = 3000): Promise<DecodedPacket & { rcode?: string }> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => { s.close(); reject(new Error(`no answer to ${name} ${type}`)); }, ms);
    s.on('message', (m) => { clearTimeout(timer); s.close(); resolve(dnsPacket.decode(m)); });
    s.send(dnsPacket.encode({ id: 1, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as 'A' }] }), addr.port, addr.host);
  });
}
const values = (p: DecodedPacket) => (p.answers ?? []).map(rdata).map((d) => (typeof d === 'object' ? JSON.stringify(d) : String(d))).sort().join(' ');

test('answers services and endpoint slices made through the API, follows their changes, forgets them when deleted', async () => {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  const client = new ApiClient({ ...(await cluster.config('system:kube-dns')), userAgent: 'navarch-dns-test' });
  // The only upstream stays silent: names outside the cluster must come back SERVFAIL, promptly.
  const silent = createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
  const dns = new ClusterDNS({ client, host: '127.0.0.1', port: 0, upstreams: [{ host: '127.0.0.1', port: silent.address().port }], forwardTimeoutMs: 500, log });
  try {
    assert.equal(dns.address, undefined, 'the constructor starts nothing');
    await dns.start(abort.signal);
    const addr = dns.address!;
    assert.ok(addr.port > 0);

    assert.equal((await ask(addr, 'kubernetes.default.svc.cluster.local', 'A')).rcode, 'NOERROR', 'the synced cache has the kubernetes service');
    await cluster.client.create(SERVICES, NS, { metadata: { name: 'db' }, spec: { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] } });
    await cluster.client.create(ENDPOINT_SLICES, NS, {
      metadata: { name: 'db-by-hand', labels: { 'kubernetes.io/service-name': 'db' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.0.9'], hostname: 'db-0', conditions: { ready: true } }, { addresses: ['10.244.0.10'], conditions: { ready: false } }],
      ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
    });
    await until('db resolves', async () => values(await ask(addr, 'db.default.svc.cluster.local', 'A')) === '10.244.0.9');
    assert.equal(values(await ask(addr, 'db-0.db.default.svc.cluster.local', 'A')), '10.244.0.9');
    const srv = await ask(addr, '_pg._tcp.db.default.svc.cluster.local', 'SRV');
    assert.equal(values(srv), JSON.stringify({ priority: 0, weight: 100, port: 5432, target: 'db-0.db.default.svc.cluster.local' }));
    assert.equal(values(await ask(addr, '9.0.244.10.in-addr.arpa', 'PTR')), 'db-0.db.default.svc.cluster.local');

    await cluster.client.patch(ENDPOINT_SLICES, NS, 'db-by-hand', { endpoints: [{ addresses: ['10.244.0.9'], hostname: 'db-0', conditions: { ready: true } }, { addresses: ['10.244.0.10'], conditions: { ready: true } }] });
    await until('the newly ready endpoint resolves', async () => values(await ask(addr, 'db.default.svc.cluster.local', 'A')) === '10.244.0.10 10.244.0.9');

    const web = await cluster.client.create(SERVICES, NS, { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] } });
    const ip: string = web.spec.clusterIP ?? '';
    await until('web exists in DNS', async () => (await ask(addr, 'web.default.svc.cluster.local', 'A')).rcode === 'NOERROR');
    assert.equal(values(await ask(addr, 'web.default.svc.cluster.local', 'A')), ip, 'the cluster IP the API gave (none yet: NODATA)');

    const ns = await ask(addr, 'default.svc.cluster.local', 'A');
    assert.equal(ns.rcode, 'NOERROR');
    assert.equal(ns.authorities?.[0]?.type, 'SOA');
    assert.equal((await ask(addr, 'nothing.default.svc.cluster.local', 'A')).rcode, 'NXDOMAIN');

    const t0 = Date.now();
    assert.equal((await ask(addr, 'www.example.com', 'A')).rcode, 'SERVFAIL');
    assert.ok(Date.now() - t0 < 2000, 'SERVFAIL without hanging');

    await cluster.client.delete(SERVICES, NS, 'db');
    await cluster.client.delete(ENDPOINT_SLICES, NS, 'db-by-hand');
    await until('db is gone', async () => (await ask(addr, 'db.default.svc.cluster.local', 'A')).rcode === 'NXDOMAIN');
    assert.equal((await ask(addr, 'db-0.db.default.svc.cluster.local', 'A')).rcode, 'NXDOMAIN');
  } finally {
    abort.abort();
    await dns.stopped();
    silent.close();
    client.close();
    await cluster.stop();
  }
  await assert.rejects(ask(dns.address!, 'db.default.svc.cluster.local', 'A', 300), /no answer/, 'stopped: the socket is closed');
});
