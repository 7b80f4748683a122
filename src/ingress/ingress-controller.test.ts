import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent as HttpAgent, createServer, request, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { startTestCluster, until, type TestCluster } from '../server/test-cluster.ts';
import { createLogger } from '../base/log.ts';
import { ApiClient, type KubeObject } from '../client/api-client.ts';
import { ENDPOINT_SLICES, INGRESS_CLASSES, INGRESSES, IngressController, SECRETS, SERVICES, type IngressControllerOptions, type ListenAddress } from './ingress-controller.ts';
import { DEFAULT_CERTIFICATE_CN } from './default-certificate.ts';
import { startBackend, deadPort, type Backend } from './testing/backends.ts';

const log = createLogger({ component: 'ingress-controller-test' });
const NS = 'default';

interface NamedBackend extends Backend { name: string }

/** A backend answering `<name> <method> <url> host=<Host> xff=<X-Forwarded-For> proto=<X-Forwarded-Proto>`, WebSocket echo included. */
async function startNamedBackend(name: string): Promise<NamedBackend> {
  const b = await startBackend((req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    res.end(`${name} ${req.method} ${req.url} host=${req.headers.host} xff=${req.headers['x-forwarded-for']} proto=${req.headers['x-forwarded-proto']}`);
  });
  const wss = new WebSocketServer({ server: b.server });
  wss.on('connection', (ws) => ws.on('message', (m) => ws.send(`${name}:${m}`)));
  const closeHttp = b.close;
  return Object.assign(b, { name, close: async () => { for (const c of wss.clients) c.terminate(); wss.close(); await closeHttp(); } });
}

/** A Service and a hand-made EndpointSlice sending its port 80 (named http) to 127.0.0.1:targetPort. */
async function exposeBackend(c: ApiClient, name: string, targetPort: number, ready = true): Promise<void> {
  await c.create(SERVICES, NS, { metadata: { name }, spec: { ports: [{ name: 'http', port: 80, targetPort }] } });
  await c.create(ENDPOINT_SLICES, NS, sliceFor(name, targetPort, ready));
}
const sliceFor = (name: string, port: number, ready = true): KubeObject => ({
  metadata: { name: `${name}-manual`, labels: { 'kubernetes.io/service-name': name } },
  addressType: 'IPv4', ports: [{ name: 'http', port, protocol: 'TCP' }],
  endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready } }],
});

const path = (p: string, svc: string, pathType = 'Prefix', port: KubeObject = { number: 80 }) => ({ path: p, pathType, backend: { service: { name: svc, port } } });

interface Reply { status: number; body: string; res: IncomingMessage; socket?: Socket }
function get(addr: ListenAddress, host: string, p: string, agent?: HttpAgent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: addr.port, path: p, headers: { Host: host }, agent }, (res) => {
      const socket = res.socket as Socket;
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, res, socket }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** An HTTPS request with SNI `servername`; the peer certificate comes back with the answer. */
function getTls(addr: ListenAddress, servername: string, p: string, ca?: string): Promise<Reply & { peer: X509Certificate }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port: addr.port, path: p, servername, headers: { Host: servername }, ...(ca ? { ca } : { rejectUnauthorized: false }), agent: new HttpsAgent({ keepAlive: false }) }, (res) => {
      const peer = new X509Certificate((res.socket as TLSSocket).getPeerCertificate().raw);
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, res, peer }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A self-signed certificate for `names` made by the openssl CLI (independent of the code under test). */
function opensslCertificate(names: string[]): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'navarch-ingress-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
      '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt'), '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`], { stdio: 'ignore' });
    return { cert: readFileSync(join(dir, 'tls.crt'), 'utf8'), key: readFileSync(join(dir, 'tls.key'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const tlsSecret = (name: string, pem: { cert: string; key: string }): KubeObject => ({
  metadata: { name }, type: 'kubernetes.io/tls',
  data: { 'tls.crt': Buffer.from(pem.cert).toString('base64'), 'tls.key': Buffer.from(pem.key).toString('base64') },
});

interface Env { cluster: TestCluster; admin: ApiClient; ctl: IngressController; http: ListenAddress; https: ListenAddress }

async function withController(fn: (env: Env) => Promise<void>, opts: Partial<IngressControllerOptions> = {}): Promise<void> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  const client = new ApiClient({ ...(await cluster.config('system:ingress-controller', [])), userAgent: 'navarch-ingress-test' });
  const ctl = new IngressController({ client, http: { host: '127.0.0.1', port: 0 }, https: { host: '127.0.0.1', port: 0 }, log, ...opts });
  let started = false;
  try {
    assert.deepEqual(ctl.addresses, {}, 'the constructor starts nothing');
    await ctl.start(abort.signal);
    started = true;
    const { http, https } = ctl.addresses;
    assert.ok(http && http.port > 0 && https && https.port > 0, 'port 0 gave real ports');
    await fn({ cluster, admin: cluster.client, ctl, http: http!, https: https! });
  } finally {
    abort.abort();
    if (started) await ctl.stopped();
    client.close();
    await cluster.stop();
  }
  await assert.rejects(get(ctl.addresses.http!, 'any.test', '/', new HttpAgent()), /ECONNREFUSED/, 'stopped: the listener is closed');
}

test('routes two hosts and two paths each to four backends, with keep-alive, and publishes the status addresses', async () => {
  const backends = await Promise.all(['shop-web', 'shop-api', 'blog-web', 'blog-admin'].map(startNamedBackend));
  try {
    await withController(async ({ admin, ctl, http }) => {
      for (const b of backends) await exposeBackend(admin, b.name, b.port);
      await admin.create(INGRESSES, NS, {
        metadata: { name: 'sites' },
        spec: {
          ingressClassName: 'navarch',
          rules: [
            { host: 'shop.test', http: { paths: [path('/', 'shop-web'), path('/api', 'shop-api')] } },
            { host: 'blog.test', http: { paths: [path('/', 'blog-web'), path('/admin', 'blog-admin', 'Exact', { name: 'http' })] } },
          ],
        },
      });
      await admin.create(INGRESSES, NS, { metadata: { name: 'foreign' }, spec: { ingressClassName: 'nginx', rules: [{ host: 'foreign.test', http: { paths: [path('/', 'shop-web')] } }] } });

      await until('the ingress routes', async () => (await get(http, 'shop.test', '/')).status === 200);
      assert.match((await get(http, 'shop.test', '/')).body, /^shop-web GET \/ host=shop.test xff=127.0.0.1 proto=http$/);
      assert.match((await get(http, 'shop.test', '/api/orders?id=7')).body, /^shop-api GET \/api\/orders\?id=7 /);
      assert.match((await get(http, 'shop.test', '/apiary')).body, /^shop-web /, 'Prefix /api does not match /apiary');
      assert.match((await get(http, 'blog.test', '/admin')).body, /^blog-admin /);
      assert.match((await get(http, 'blog.test', '/admin/')).body, /^blog-web /, 'Exact /admin does not match /admin/');
      assert.match((await get(http, 'BLOG.test:80', '/post/1')).body, /^blog-web /);
      const nf = await get(http, 'foreign.test', '/');
      assert.equal(nf.status, 404, 'an Ingress of another class is not served');
      assert.match(nf.body, /No Ingress rule matches host/);

      // Keep-alive on both sides: ten requests over one client connection use one backend connection.
      const before = backends[1]!.connections;
      const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
      const clientSockets = new Set<Socket>();
      try {
        for (let i = 0; i < 10; i++) {
          const r = await get(http, 'shop.test', `/api/${i}`, agent);
          assert.match(r.body, /^shop-api /);
          clientSockets.add(r.socket!);
        }
      } finally {
        agent.destroy();
      }
      assert.equal(clientSockets.size, 1, 'the client connection was kept alive');
      assert.ok(backends[1]!.connections - before <= 1, `backend connections reused (${backends[1]!.connections - before} opened)`);

      // Status: ours gets the addresses, once; the foreign one is left alone.
      ctl.setStatusAddresses(['192.0.2.10', 'ingress.example.com']);
      const sites = await until('status written', async () => {
        const o = await admin.get(INGRESSES, NS, 'sites');
        return o.status?.loadBalancer?.ingress?.length === 2 && o;
      });
      assert.deepEqual(sites.status.loadBalancer.ingress, [{ ip: '192.0.2.10' }, { hostname: 'ingress.example.com' }]);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await admin.get(INGRESSES, NS, 'sites')).metadata.resourceVersion, sites.metadata.resourceVersion, 'an equal status is not written again');
      assert.deepEqual((await admin.get(INGRESSES, NS, 'foreign')).status?.loadBalancer ?? {}, {});
      await admin.patch(INGRESSES, NS, 'sites', { spec: { ingressClassName: 'nginx' } });
      await until('an ingress that is no longer ours loses our addresses', async () =>
        ((await admin.get(INGRESSES, NS, 'sites')).status?.loadBalancer?.ingress ?? []).length === 0);
    });
  } finally {
    await Promise.all(backends.map((b) => b.close()));
  }
});

test('terminates TLS with the secret of the SNI name, the default certificate otherwise, and follows secret changes', async () => {
  const web = await startNamedBackend('secure-web');
  const shopCert = opensslCertificate(['shop.test']);
  const wildCert = opensslCertificate(['*.apps.test']);
  try {
    await withController(async ({ admin, http, https }) => {
      await exposeBackend(admin, 'secure-web', web.port);
      await admin.create(SECRETS, NS, tlsSecret('shop-tls', shopCert));
      await admin.create(SECRETS, NS, tlsSecret('apps-tls', wildCert));
      await admin.create(INGRESSES, NS, {
        metadata: { name: 'secure' },
        spec: {
          ingressClassName: 'navarch',
          tls: [{ hosts: ['shop.test'], secretName: 'shop-tls' }, { hosts: ['*.apps.test'], secretName: 'apps-tls' }],
          rules: [{ host: 'shop.test', http: { paths: [path('/', 'secure-web')] } }, { host: '*.apps.test', http: { paths: [path('/', 'secure-web')] } }],
        },
      });
      await until('the status addresses given at construction are published', async () =>
        JSON.stringify((await admin.get(INGRESSES, NS, 'secure')).status?.loadBalancer?.ingress) === JSON.stringify([{ ip: '198.51.100.7' }]));
      const shop = await until('https routes with the secret', async () => {
        const r = await getTls(https, 'shop.test', '/', shopCert.cert);
        return r.status === 200 && r;
      });
      assert.equal(shop.peer.fingerprint256, new X509Certificate(shopCert.cert).fingerprint256, 'the secret\'s certificate is served');
      assert.match(shop.body, /^secure-web GET \/ host=shop.test xff=127.0.0.1 proto=https$/);
      const wild = await getTls(https, 'one.apps.test', '/x', wildCert.cert);
      assert.equal(wild.peer.fingerprint256, new X509Certificate(wildCert.cert).fingerprint256, 'a wildcard tls host serves its names');
      const unknown = await getTls(https, 'unknown.test', '/');
      assert.equal(unknown.peer.subject, `CN=${DEFAULT_CERTIFICATE_CN}`);
      assert.equal(unknown.status, 404);
      assert.match((await get(http, 'shop.test', '/')).body, /proto=http$/, 'plain HTTP to a TLS host is served, not redirected');

      // A renewed certificate is served without a restart.
      const renewed = opensslCertificate(['shop.test']);
      await admin.update(SECRETS, NS, { ...tlsSecret('shop-tls', renewed), metadata: { name: 'shop-tls' } });
      await until('the renewed certificate is served', async () =>
        (await getTls(https, 'shop.test', '/', renewed.cert)).peer.fingerprint256 === new X509Certificate(renewed.cert).fingerprint256);
      await admin.delete(SECRETS, NS, 'shop-tls');
      await until('without the secret the default certificate answers', async () =>
        (await getTls(https, 'shop.test', '/')).peer.subject === `CN=${DEFAULT_CERTIFICATE_CN}`);
    }, { statusAddresses: ['198.51.100.7'] });
  } finally {
    await web.close();
  }
});

test('passes a WebSocket upgrade through to the backend and echoes both ways', async () => {
  const chat = await startNamedBackend('chat');
  try {
    await withController(async ({ admin, http, https }) => {
      await exposeBackend(admin, 'chat', chat.port);
      await admin.create(INGRESSES, NS, { metadata: { name: 'chat' }, spec: { ingressClassName: 'navarch', rules: [{ host: 'chat.test', http: { paths: [path('/ws', 'chat')] } }] } });
      await until('routes', async () => (await get(http, 'chat.test', '/ws')).status === 200);
      for (const url of [`ws://127.0.0.1:${http.port}/ws`, `wss://127.0.0.1:${https.port}/ws`]) {
        const ws = new WebSocket(url, { headers: { Host: 'chat.test' }, rejectUnauthorized: false });
        try {
          await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
          const got = new Promise<string>((resolve) => ws.once('message', (m) => resolve(String(m))));
          ws.send('hello');
          assert.equal(await got, 'chat:hello', url);
        } finally {
          ws.terminate();
        }
      }
    });
  } finally {
    await chat.close();
  }
});

test('answers 503 without ready endpoints or service, 502 when the endpoint refuses, and follows Ingress, slice and class changes live', async () => {
  const one = await startNamedBackend('one');
  const two = await startNamedBackend('two');
  const dead = await deadPort();
  try {
    await withController(async ({ admin, http }) => {
      await exposeBackend(admin, 'one', one.port, false);
      await exposeBackend(admin, 'broken', dead);
      await admin.create(INGRESSES, NS, {
        metadata: { name: 'live' },
        spec: { ingressClassName: 'navarch', rules: [{ host: 'live.test', http: { paths: [path('/', 'one'), path('/broken', 'broken'), path('/ghost', 'ghost')] } }] },
      });
      const unready = await until('served', async () => { const r = await get(http, 'live.test', '/'); return r.status !== 404 && r; });
      assert.equal(unready.status, 503);
      assert.match(unready.body, /service default\/one has no ready endpoint/);
      assert.match((await get(http, 'live.test', '/ghost')).body, /service default\/ghost does not exist/);
      const broken = await get(http, 'live.test', '/broken');
      assert.equal(broken.status, 502);
      assert.match(broken.body, /ECONNREFUSED/);

      await admin.patch(ENDPOINT_SLICES, NS, 'one-manual', { endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }] });
      await until('the endpoint turned ready', async () => (await get(http, 'live.test', '/')).body.startsWith('one '));

      // Round-robin over two ready endpoints (two ports of 127.0.0.1 in two slices).
      await admin.create(ENDPOINT_SLICES, NS, { ...sliceFor('one', two.port), metadata: { name: 'one-second', labels: { 'kubernetes.io/service-name': 'one' } }, ports: [{ name: 'http', port: two.port, protocol: 'TCP' }] });
      await until('both endpoints in rotation', async () => {
        const seen = new Set<string>();
        for (let i = 0; i < 4; i++) seen.add((await get(http, 'live.test', '/')).body.split(' ')[0]!);
        return seen.size === 2;
      });

      await exposeBackend(admin, 'two', two.port);
      await admin.patch(INGRESSES, NS, 'live', { spec: { rules: [{ host: 'live.test', http: { paths: [path('/', 'one'), path('/two', 'two')] } }] } });
      await until('the new path routes', async () => (await get(http, 'live.test', '/two')).body.startsWith('two '));

      // An Ingress without a class is served once our IngressClass is the default.
      await admin.create(INGRESSES, NS, { metadata: { name: 'classless' }, spec: { rules: [{ host: 'classless.test', http: { paths: [path('/', 'two')] } }] } });
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await get(http, 'classless.test', '/')).status, 404, 'not ours while no default class');
      await admin.create(INGRESS_CLASSES, undefined, {
        metadata: { name: 'navarch', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'navarch.io/ingress-controller' },
      });
      await until('the classless ingress routes', async () => (await get(http, 'classless.test', '/')).body.startsWith('two '));

      await admin.delete(INGRESSES, NS, 'live');
      await until('the deleted ingress stops routing', async () => (await get(http, 'live.test', '/two')).status === 404);
    });
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
});

test('start rejects when a port is taken, and stops cleanly', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as AddressInfo).port;
  const cluster = await startTestCluster();
  const client = new ApiClient({ ...(await cluster.config('system:ingress-controller', [])), userAgent: 'navarch-ingress-test' });
  const abort = new AbortController();
  try {
    const ctl = new IngressController({ client, http: { host: '127.0.0.1', port }, log });
    await assert.rejects(ctl.start(abort.signal), /EADDRINUSE/);
  } finally {
    abort.abort();
    client.close();
    blocker.close();
    await cluster.stop();
  }
});
