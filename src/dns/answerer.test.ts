import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import type { KubeObject } from '../client/api-client.ts';
import { Answerer, FLAG, RCODE, type Resolution } from './answerer.ts';
import { RecordIndex } from './record-index.ts';

/** A record's data and TTL (the OPT pseudo-record has neither). */
const rdata = (a: Answer): unknown => (a as { data?: unknown }).data;
const ttl = (a: Answer): number | undefined => (a as { ttl?: number }).ttl;


const ZONE = 'cluster.local';
const svc = (name: string, spec: KubeObject, ns = 'default'): KubeObject => ({ metadata: { namespace: ns, name }, spec });
const slice = (name: string, service: string, endpoints: KubeObject[], ports: KubeObject[] = [], ns = 'default'): KubeObject => ({
  metadata: { namespace: ns, name, labels: { 'kubernetes.io/service-name': service } }, addressType: 'IPv4', endpoints, ports,
});
const ep = (ip: string | string[], extra: KubeObject = {}): KubeObject => ({ addresses: Array.isArray(ip) ? ip : [ip], conditions: { ready: true }, ...extra });

function fixture(): RecordIndex {
  return RecordIndex.from({
    namespaces: ['default', 'kube-system', 'empty-ns'],
    services: [
      svc('web', { type: 'ClusterIP', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] }),
      svc('dual', { clusterIP: '10.96.0.30', clusterIPs: ['10.96.0.30', 'fd00:10:96::30'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
      svc('db', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }),
      svc('lonely', { clusterIP: 'None', ports: [{ name: 'x', port: 1 }] }),
      svc('open', { clusterIP: 'None', publishNotReadyAddresses: true, ports: [] }),
      svc('ext', { type: 'ExternalName', externalName: 'www.example.com' }),
      svc('alias', { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' }),
      svc('kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }, 'kube-system'),
    ],
    slices: [
      slice('web-abcde', 'web', [ep('10.244.0.5'), ep('10.244.0.6', { conditions: { ready: false } })], [{ name: 'http', port: 8080, protocol: 'TCP' }]),
      slice('db-abcde', 'db', [
        ep('10.244.1.10', { hostname: 'db-0' }),
        ep('10.244.1.11', { hostname: 'db-1' }),
        ep('10.244.1.12'),
        ep('10.244.1.13', { hostname: 'db-3', conditions: { ready: false } }),
      ], [{ name: 'pg', port: 5432, protocol: 'TCP' }]),
      slice('lonely-abcde', 'lonely', [ep('10.244.2.1', { conditions: { ready: false } })], [{ name: 'x', port: 1 }]),
      slice('open-abcde', 'open', [ep('10.244.3.1', { conditions: { ready: false } }), ep('10.244.3.2', { conditions: {} })]),
      { ...slice('open-v6', 'open', [ep('fd00:244::3:1')]), addressType: 'IPv6' },
    ],
  }, () => 1_700_000_000_000);
}

function query(name: string, type: string, extra: Partial<Packet> = {}): DecodedPacket {
  return dnsPacket.decode(dnsPacket.encode({ id: 4242, type: 'query', flags: FLAG.RD, questions: [{ name, type: type as 'A' }], ...extra }));
}

/** The response through the wire format (what a client sees). */
function ask(a: Answerer, name: string, type: string): DecodedPacket {
  const res = a.answer(query(name, type));
  assert.equal(res.forward, false, `${name} ${type} is answered, not forwarded`);
  return dnsPacket.decode(dnsPacket.encode((res as Extract<Resolution, { forward: false }>).response));
}

const data = (answers: Answer[] | undefined) => (answers ?? []).map((a) => `${a.name} ${a.type} ${JSON.stringify((a as { data: unknown }).data)}`);
const rcodeOf = (p: DecodedPacket) => (p as DecodedPacket & { rcode: string }).rcode;

function assertNegative(p: DecodedPacket, rcode: 'NXDOMAIN' | 'NOERROR', what: string): void {
  assert.equal(rcodeOf(p), rcode, what);
  assert.deepEqual(p.answers, [], what);
  assert.equal(p.authorities?.length, 1, `${what}: SOA in authority`);
  assert.equal(p.authorities![0]!.type, 'SOA');
  assert.equal(p.authorities![0]!.name, ZONE);
  assert.equal(p.flag_aa, true, `${what}: authoritative`);
}

const answerer = () => new Answerer(fixture(), { zone: ZONE });

test('a ClusterIP service answers its cluster IP, authoritative, TTL 5, question echoed', () => {
  const p = ask(answerer(), 'web.default.svc.cluster.local', 'A');
  assert.equal(p.id, 4242);
  assert.equal(p.flag_qr, true);
  assert.equal(p.flag_aa, true);
  assert.equal(p.flag_rd, true);
  assert.equal(rcodeOf(p), 'NOERROR');
  assert.deepEqual(p.questions, [{ name: 'web.default.svc.cluster.local', type: 'A', class: 'IN' }]);
  assert.deepEqual(data(p.answers), ['web.default.svc.cluster.local A "10.96.0.20"']);
  assert.equal(ttl(p.answers![0]!), 5);
  assert.deepEqual(p.authorities, []);
});

test('a service without an address of the asked family is NODATA with the SOA', () => {
  assertNegative(ask(answerer(), 'web.default.svc.cluster.local', 'AAAA'), 'NOERROR', 'AAAA of an IPv4 service');
  assertNegative(ask(answerer(), 'web.default.svc.cluster.local', 'MX'), 'NOERROR', 'MX of a service');
});

test('a dual-stack service answers A and AAAA from its cluster IPs', () => {
  const a = answerer();
  assert.deepEqual(data(ask(a, 'dual.default.svc.cluster.local', 'A').answers), ['dual.default.svc.cluster.local A "10.96.0.30"']);
  assert.deepEqual(data(ask(a, 'dual.default.svc.cluster.local', 'AAAA').answers), ['dual.default.svc.cluster.local AAAA "fd00:10:96::30"']);
});

test('names match case-insensitively, with or without the trailing dot, answered in the case asked', () => {
  const p = ask(answerer(), 'WEB.Default.SVC.Cluster.Local.', 'A');
  assert.deepEqual(data(p.answers), ['WEB.Default.SVC.Cluster.Local A "10.96.0.20"']);
  assert.deepEqual(data(ask(answerer(), 'db-0.DB.default.svc.cluster.local', 'A').answers), ['db-0.DB.default.svc.cluster.local A "10.244.1.10"']);
});

test('a headless service answers every ready endpoint address, and NXDOMAIN when none is ready', () => {
  const a = answerer();
  assert.deepEqual(data(ask(a, 'db.default.svc.cluster.local', 'A').answers).sort(), [
    'db.default.svc.cluster.local A "10.244.1.10"', 'db.default.svc.cluster.local A "10.244.1.11"', 'db.default.svc.cluster.local A "10.244.1.12"',
  ]);
  assertNegative(ask(a, 'lonely.default.svc.cluster.local', 'A'), 'NXDOMAIN', 'headless without ready endpoints');
});

test('a headless service publishing not-ready addresses answers all of them, per family', () => {
  const a = answerer();
  assert.deepEqual(data(ask(a, 'open.default.svc.cluster.local', 'A').answers).sort(), ['open.default.svc.cluster.local A "10.244.3.1"', 'open.default.svc.cluster.local A "10.244.3.2"']);
  assert.deepEqual(data(ask(a, 'open.default.svc.cluster.local', 'AAAA').answers), ['open.default.svc.cluster.local AAAA "fd00:244::3:1"']);
});

test('an endpoint resolves under its hostname, or its dashed address without one; others are NXDOMAIN', () => {
  const a = answerer();
  assert.deepEqual(data(ask(a, 'db-1.db.default.svc.cluster.local', 'A').answers), ['db-1.db.default.svc.cluster.local A "10.244.1.11"']);
  assert.deepEqual(data(ask(a, '10-244-1-12.db.default.svc.cluster.local', 'A').answers), ['10-244-1-12.db.default.svc.cluster.local A "10.244.1.12"']);
  // An endpoint of a ClusterIP service too, as CoreDNS.
  assert.deepEqual(data(ask(a, '10-244-0-5.web.default.svc.cluster.local', 'A').answers), ['10-244-0-5.web.default.svc.cluster.local A "10.244.0.5"']);
  assertNegative(ask(a, 'db-3.db.default.svc.cluster.local', 'A'), 'NXDOMAIN', 'a not-ready endpoint');
  assertNegative(ask(a, 'db-9.db.default.svc.cluster.local', 'A'), 'NXDOMAIN', 'an unknown hostname');
  assertNegative(ask(a, 'db-0.db.default.svc.cluster.local', 'AAAA'), 'NOERROR', 'AAAA of an IPv4 endpoint');
});

test('SRV of a ClusterIP service targets the service name, its address in the additional section', () => {
  const a = answerer();
  const p = ask(a, '_http._tcp.web.default.svc.cluster.local', 'SRV');
  assert.deepEqual(data(p.answers), ['_http._tcp.web.default.svc.cluster.local SRV {"priority":0,"weight":100,"port":80,"target":"web.default.svc.cluster.local"}']);
  assert.deepEqual(data(p.additionals), ['web.default.svc.cluster.local A "10.96.0.20"']);
  assert.deepEqual(data(ask(a, '_dns._udp.web.default.svc.cluster.local', 'SRV').answers), ['_dns._udp.web.default.svc.cluster.local SRV {"priority":0,"weight":100,"port":53,"target":"web.default.svc.cluster.local"}']);
  // Every port when no port is named; the weight shared.
  assert.deepEqual(data(ask(a, 'web.default.svc.cluster.local', 'SRV').answers), [
    'web.default.svc.cluster.local SRV {"priority":0,"weight":50,"port":80,"target":"web.default.svc.cluster.local"}',
    'web.default.svc.cluster.local SRV {"priority":0,"weight":50,"port":53,"target":"web.default.svc.cluster.local"}',
  ]);
  assertNegative(ask(a, '_http._udp.web.default.svc.cluster.local', 'SRV'), 'NXDOMAIN', 'wrong protocol');
  assertNegative(ask(a, '_grpc._tcp.web.default.svc.cluster.local', 'SRV'), 'NXDOMAIN', 'unknown port');
  // The port-and-protocol name exists: its A is the service's.
  assert.deepEqual(data(ask(a, '_http._tcp.web.default.svc.cluster.local', 'A').answers), ['_http._tcp.web.default.svc.cluster.local A "10.96.0.20"']);
});

test('SRV of a headless service has one record per ready endpoint, targeting its hostname or dashed address', () => {
  const p = ask(answerer(), '_pg._tcp.db.default.svc.cluster.local', 'SRV');
  assert.deepEqual(data(p.answers).sort(), [
    '_pg._tcp.db.default.svc.cluster.local SRV {"priority":0,"weight":33,"port":5432,"target":"10-244-1-12.db.default.svc.cluster.local"}',
    '_pg._tcp.db.default.svc.cluster.local SRV {"priority":0,"weight":33,"port":5432,"target":"db-0.db.default.svc.cluster.local"}',
    '_pg._tcp.db.default.svc.cluster.local SRV {"priority":0,"weight":33,"port":5432,"target":"db-1.db.default.svc.cluster.local"}',
  ]);
  assert.deepEqual(data(p.additionals).sort(), [
    '10-244-1-12.db.default.svc.cluster.local A "10.244.1.12"', 'db-0.db.default.svc.cluster.local A "10.244.1.10"', 'db-1.db.default.svc.cluster.local A "10.244.1.11"',
  ]);
});

test('a headless service without ports answers A but no SRV (NODATA)', () => {
  const a = answerer();
  assert.equal(ask(a, 'open.default.svc.cluster.local', 'A').answers?.length, 2);
  assertNegative(ask(a, 'open.default.svc.cluster.local', 'SRV'), 'NOERROR', 'SRV without ports');
});

test('an ExternalName service is a CNAME; an outside target is left for the caller to chase', () => {
  const a = answerer();
  const res = a.answer(query('ext.default.svc.cluster.local', 'A'));
  assert.equal(res.forward, false);
  assert.deepEqual((res as Extract<Resolution, { forward: false }>).chase, { name: 'www.example.com', type: 'A' });
  const p = dnsPacket.decode(dnsPacket.encode((res as Extract<Resolution, { forward: false }>).response));
  assert.equal(rcodeOf(p), 'NOERROR');
  assert.deepEqual(data(p.answers), ['ext.default.svc.cluster.local CNAME "www.example.com"']);
  const c = a.answer(query('ext.default.svc.cluster.local', 'CNAME')) as Extract<Resolution, { forward: false }>;
  assert.equal(c.chase, undefined);
  assert.deepEqual(data(c.response.answers), ['ext.default.svc.cluster.local CNAME "www.example.com"']);
  assertNegative(ask(a, '_http._tcp.ext.default.svc.cluster.local', 'SRV'), 'NXDOMAIN', 'ports of an ExternalName');
});

test('an ExternalName pointing into the zone is resolved in the same answer', () => {
  const res = answerer().answer(query('alias.default.svc.cluster.local', 'A')) as Extract<Resolution, { forward: false }>;
  assert.equal(res.chase, undefined);
  assert.deepEqual(data(res.response.answers), ['alias.default.svc.cluster.local CNAME "web.default.svc.cluster.local"', 'web.default.svc.cluster.local A "10.96.0.20"']);
});

test('pod names answer the address they spell, in an existing namespace', () => {
  const a = answerer();
  assert.deepEqual(data(ask(a, '10-244-1-5.default.pod.cluster.local', 'A').answers), ['10-244-1-5.default.pod.cluster.local A "10.244.1.5"']);
  assertNegative(ask(a, '10-244-1-5.default.pod.cluster.local', 'AAAA'), 'NOERROR', 'AAAA of an IPv4 pod');
  assert.deepEqual(data(ask(a, 'fd00--5.default.pod.cluster.local', 'AAAA').answers), ['fd00--5.default.pod.cluster.local AAAA "fd00::5"']);
  assertNegative(ask(a, 'not-an-ip.default.pod.cluster.local', 'A'), 'NXDOMAIN', 'not an address');
  assertNegative(ask(a, '10-244-1-5.nowhere.pod.cluster.local', 'A'), 'NXDOMAIN', 'unknown namespace');
  assertNegative(ask(a, 'x.10-244-1-5.default.pod.cluster.local', 'A'), 'NXDOMAIN', 'below a pod name');
});

test('PTR of a cluster IP names the service; of an endpoint address its hostname or dashed address', () => {
  const a = answerer();
  const ptr = (name: string) => data(ask(a, name, 'PTR').answers);
  assert.deepEqual(ptr('20.0.96.10.in-addr.arpa'), ['20.0.96.10.in-addr.arpa PTR "web.default.svc.cluster.local"']);
  assert.deepEqual(ptr('10.0.96.10.IN-ADDR.ARPA.'), ['10.0.96.10.IN-ADDR.ARPA PTR "kube-dns.kube-system.svc.cluster.local"']);
  assert.deepEqual(ptr('10.1.244.10.in-addr.arpa'), ['10.1.244.10.in-addr.arpa PTR "db-0.db.default.svc.cluster.local"']);
  assert.deepEqual(ptr('12.1.244.10.in-addr.arpa'), ['12.1.244.10.in-addr.arpa PTR "10-244-1-12.db.default.svc.cluster.local"']);
  const v6 = '0.3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa';
  assert.deepEqual(ptr(v6), [`${v6} PTR "dual.default.svc.cluster.local"`]);
  const v6ep = '1.0.0.0.3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.4.2.0.0.0.d.f.ip6.arpa';
  assert.deepEqual(ptr(v6ep), [`${v6ep} PTR "fd00-244--3-1.open.default.svc.cluster.local"`]);
  assert.equal(ask(a, '20.0.96.10.in-addr.arpa', 'PTR').flag_aa, true);
});

test('reverse names the cluster does not know, and every name outside the zone, are forwarded', () => {
  const a = answerer();
  assert.deepEqual(a.answer(query('1.1.168.192.in-addr.arpa', 'PTR')), { forward: true });
  assert.deepEqual(a.answer(query('13.1.244.10.in-addr.arpa', 'PTR')), { forward: true }, 'a not-ready endpoint');
  assert.deepEqual(a.answer(query('20.0.96.10.in-addr.arpa', 'A')), { forward: true });
  assert.deepEqual(a.answer(query('www.example.com', 'A')), { forward: true });
  assert.deepEqual(a.answer(query('local', 'SOA')), { forward: true });
  assert.deepEqual(a.answer(query('othercluster.local', 'A')), { forward: true });
});

test('unknown names are NXDOMAIN with the zone SOA', () => {
  const a = answerer();
  const p = ask(a, 'nothere.default.svc.cluster.local', 'A');
  assertNegative(p, 'NXDOMAIN', 'unknown service');
  assert.deepEqual(rdata(p.authorities![0]!), { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 1_700_000_000, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 });
  assert.equal(ttl(p.authorities![0]!), 5);
  assertNegative(ask(a, 'web.nowhere.svc.cluster.local', 'A'), 'NXDOMAIN', 'unknown namespace');
  assertNegative(ask(a, 'nowhere.svc.cluster.local', 'A'), 'NXDOMAIN', 'namespace that does not exist');
  assertNegative(ask(a, 'foo.cluster.local', 'A'), 'NXDOMAIN', 'neither svc nor pod');
  assertNegative(ask(a, 'a.b.c.web.default.svc.cluster.local', 'A'), 'NXDOMAIN', 'too many labels');
  assertNegative(ask(a, 'web.default.svc.cluster.local.default.svc.cluster.local', 'A'), 'NXDOMAIN', 'a search-list expansion');
});

test('names that exist only as intermediates are NODATA, not NXDOMAIN', () => {
  const a = answerer();
  for (const name of ['cluster.local', 'svc.cluster.local', 'pod.cluster.local', 'default.svc.cluster.local', 'empty-ns.svc.cluster.local', 'default.pod.cluster.local', 'dns.cluster.local']) {
    for (const type of ['A', 'AAAA', 'SRV']) assertNegative(ask(a, name, type), 'NOERROR', `${name} ${type}`);
  }
});

test('the zone has its SOA, NS, and the schema version TXT', () => {
  const a = new Answerer(fixture(), { zone: ZONE, nameserverAddresses: ['10.96.0.10'] });
  const soa = ask(a, 'cluster.local', 'SOA');
  assert.equal(soa.answers?.[0]?.type, 'SOA');
  assert.deepEqual(soa.authorities, []);
  const ns = ask(a, 'cluster.local', 'NS');
  assert.deepEqual(data(ns.answers), ['cluster.local NS "ns.dns.cluster.local"']);
  assert.deepEqual(data(ns.additionals), ['ns.dns.cluster.local A "10.96.0.10"']);
  assert.deepEqual(data(ask(a, 'ns.dns.cluster.local', 'A').answers), ['ns.dns.cluster.local A "10.96.0.10"']);
  const txt = ask(a, 'dns-version.cluster.local', 'TXT');
  assert.equal(ttl(txt.answers![0]!), 28800);
  assert.deepEqual((txt.answers?.[0] as { data: Buffer[] }).data.map(String), ['1.1.0']);
  assertNegative(ask(a, 'dns-version.cluster.local', 'A'), 'NOERROR', 'A of dns-version');
});

test('zone transfers are refused, other opcodes not implemented, several questions a format error', () => {
  const a = answerer();
  const rcode = (r: Resolution) => ((r as Extract<Resolution, { forward: false }>).response.flags! & 0xf);
  assert.equal(rcode(a.answer(query('cluster.local', 'AXFR'))), RCODE.REFUSED);
  assert.equal(rcode(a.answer(query('web.default.svc.cluster.local', 'A', { flags: 2 << 11 }))), RCODE.NOTIMP);
  assert.equal(rcode(a.answer(query('web.default.svc.cluster.local', 'A', { questions: [{ name: 'a.cluster.local', type: 'A' }, { name: 'b.cluster.local', type: 'A' }] }))), RCODE.FORMERR);
});

test('the answers follow the index: a deleted service is NXDOMAIN, a changed slice answers its new addresses', () => {
  let now = 1_700_000_000_000;
  const ix = RecordIndex.from({ namespaces: ['default'], services: [svc('db', { clusterIP: 'None' })], slices: [slice('db-1', 'db', [ep('10.244.0.1')])] }, () => now);
  const a = new Answerer(ix, { zone: ZONE });
  const before = ix.serial;
  assert.deepEqual(data(ask(a, 'db.default.svc.cluster.local', 'A').answers), ['db.default.svc.cluster.local A "10.244.0.1"']);
  now += 5000;
  ix.setSlice(slice('db-1', 'db', [ep('10.244.0.2')]));
  assert.deepEqual(data(ask(a, 'db.default.svc.cluster.local', 'A').answers), ['db.default.svc.cluster.local A "10.244.0.2"']);
  assert.deepEqual(a.answer(query('1.0.244.10.in-addr.arpa', 'PTR')), { forward: true }, 'the old address has no PTR');
  ix.setSlice(slice('db-2', 'db', [ep('10.244.0.3')]));
  assert.equal(ask(a, 'db.default.svc.cluster.local', 'A').answers?.length, 2, 'a second slice adds to the first');
  ix.deleteService(svc('db', {}));
  assertNegative(ask(a, 'db.default.svc.cluster.local', 'A'), 'NXDOMAIN', 'deleted service');
  assert.ok(ix.serial > before, 'the SOA serial moves on');
});

test('a custom zone is served instead of cluster.local', () => {
  const a = new Answerer(fixture(), { zone: 'Corp.Example.' });
  assert.deepEqual(data(ask(a, 'web.default.svc.corp.example', 'A').answers), ['web.default.svc.corp.example A "10.96.0.20"']);
  assert.deepEqual(a.answer(query('web.default.svc.cluster.local', 'A')), { forward: true });
});
