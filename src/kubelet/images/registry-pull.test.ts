// Pulls from the real Debian docker-registry on a loopback port, images pushed with skopeo;
// an in-test proxy in front of it adds bearer-token or basic authentication.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from './image-store.ts';
import { buildBusyboxImage, type BuiltImage } from './testing/busybox-image.ts';
import { isInsecureRegistry } from './registry-client.ts';

const tmp = mkdtempSync(join(tmpdir(), 'navarch-pull-'));
let registry: ChildProcess | undefined;
let registryHost = '';
const servers: Server[] = [];
let web: BuiltImage;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

async function registryUp(host: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      request(`http://${host}/v2/`, (res) => { res.resume(); resolve(res.statusCode === 200); }).on('error', () => resolve(false)).end();
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error('docker-registry did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function push(file: string, ref: string): void {
  execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `docker-archive:${file}`, `docker://${ref}`], { stdio: ['ignore', 'ignore', 'pipe'] });
}

function putManifest(repo: string, tag: string, mediaType: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`http://${registryHost}/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { 'Content-Type': mediaType } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.end(body);
  });
}

function getManifestDigest(repo: string, tag: string, accept: string): Promise<{ digest: string; size: number }> {
  return new Promise((resolve, reject) => {
    request(`http://${registryHost}/v2/${repo}/manifests/${tag}`, { headers: { Accept: accept } }, (res) => {
      let n = 0;
      res.on('data', (d: Buffer) => { n += d.length; });
      res.on('end', () => resolve({ digest: String(res.headers['docker-content-digest']), size: n }));
    }).on('error', reject).end();
  });
}

/** A proxy to the registry that demands Bearer tokens (issued at /token for alice:secret) or Basic credentials. */
async function authProxy(mode: 'bearer' | 'basic'): Promise<string> {
  const basic = `Basic ${Buffer.from('alice:secret').toString('base64')}`;
  const server = createServer((req, res) => {
    const origin = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url?.startsWith('/token')) {
      const scope = new URL(req.url, `http://${origin}`).searchParams.get('scope');
      if (req.headers.authorization !== basic) { res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"details":"incorrect username or password"}'); return; }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: `tok-${scope}` }));
      return;
    }
    const wanted = mode === 'basic' ? basic : 'Bearer tok-repository:team/web:pull';
    if (req.headers.authorization !== wanted) {
      const challenge = mode === 'basic' ? 'Basic realm="test"' : `Bearer realm="http://${origin}/token",service="test-registry",scope="repository:team/web:pull"`;
      res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': challenge })
        .end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] }));
      return;
    }
    const upstream = request(`http://${registryHost}${req.url}`, { method: req.method, headers: { ...req.headers, host: registryHost } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

before(async () => {
  const port = await freePort();
  registryHost = `127.0.0.1:${port}`;
  const config = join(tmp, 'config.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(tmp, 'registry')}\nhttp:\n  addr: ${registryHost}\n`);
  registry = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: 'ignore' });
  await registryUp(registryHost);
  web = buildBusyboxImage(join(tmp, 'web.tar'), { name: 'web:v1', cmd: ['httpd', '-f'], exposedPorts: ['80/tcp'] });
  push(web.file, `${registryHost}/team/web:v1`);
});

after(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  if (registry?.pid && registry.exitCode === null) {
    const exited = new Promise((r) => registry!.once('exit', r));
    process.kill(registry.pid, 'SIGTERM');
    await exited;
  }
  rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
const newStore = () => new ImageStore(join(tmp, `store-${++n}`));

test('pulls a docker v2 schema 2 image with gzip layers over HTTP from a loopback registry', async () => {
  const store = newStore();
  const rec = await store.pull(`${registryHost}/team/web:v1`);
  assert.equal(rec.id, web.id);
  assert.deepEqual(rec.repoTags, [`${registryHost}/team/web:v1`]);
  const { digest } = await getManifestDigest('team/web', 'v1', 'application/vnd.docker.distribution.manifest.v2+json');
  assert.deepEqual(rec.repoDigests, [`${registryHost}/team/web@${digest}`]);
  assert.deepEqual(rec.config.cmd, ['httpd', '-f']);
  assert.ok(existsSync(join(store.root, 'layers', rec.chainIDs[0]!.slice(7), 'bin/busybox')));
  // By digest: the same image, the digest reference recorded.
  const byDigest = await store.pull(`${registryHost}/team/web@${digest}`);
  assert.equal(byDigest.id, web.id);
  assert.equal((await store.get(`${registryHost}/team/web@${digest}`))?.id, web.id);
});

test('a missing tag fails with the registry\'s message, an unreachable registry with the connection error', async () => {
  await assert.rejects(newStore().pull(`${registryHost}/team/web:nope`), {
    name: 'ImagePullError',
    message: `failed to pull image "${registryHost}/team/web:nope": manifest for ${registryHost}/team/web:nope not found: manifest unknown: manifest unknown`,
  });
  const closed = await freePort();
  await assert.rejects(newStore().pull(`127.0.0.1:${closed}/team/web:v1`), {
    message: `failed to pull image "127.0.0.1:${closed}/team/web:v1": GET http://127.0.0.1:${closed}/v2/team/web/manifests/v1: connect ECONNREFUSED 127.0.0.1:${closed}`,
  });
});

test('a manifest list picks the linux/amd64 image', async () => {
  const other = buildBusyboxImage(join(tmp, 'arm.tar'), { name: 'web:arm', labels: { arch: 'arm64' } });
  push(other.file, `${registryHost}/team/multi:arm64`);
  push(web.file, `${registryHost}/team/multi:amd64`);
  const v2 = 'application/vnd.docker.distribution.manifest.v2+json';
  const arm = await getManifestDigest('team/multi', 'arm64', v2);
  const amd = await getManifestDigest('team/multi', 'amd64', v2);
  const list = JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifests: [
      { mediaType: v2, digest: arm.digest, size: arm.size, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
      { mediaType: v2, digest: amd.digest, size: amd.size, platform: { architecture: 'amd64', os: 'linux' } },
    ],
  });
  assert.equal(await putManifest('team/multi', 'latest', 'application/vnd.docker.distribution.manifest.list.v2+json', list), 201);
  const rec = await newStore().pull(`${registryHost}/team/multi`);
  assert.equal(rec.id, web.id);
  assert.deepEqual(rec.repoTags, [`${registryHost}/team/multi:latest`]);
  const listDigest = await getManifestDigest('team/multi', 'latest', 'application/vnd.docker.distribution.manifest.list.v2+json');
  assert.deepEqual(rec.repoDigests, [`${registryHost}/team/multi@${listDigest.digest}`], 'the repo digest is the list\'s, as docker records it');
});

test('bearer token auth: the challenge leads to the token endpoint with basic credentials', async () => {
  const proxy = await authProxy('bearer');
  await assert.rejects(newStore().pull(`${proxy}/team/web:v1`), {
    name: 'ImagePullError', message: new RegExp(`^failed to pull image "${proxy}/team/web:v1": failed to fetch a token from http://${proxy}/token: incorrect username or password$`),
  });
  await assert.rejects(newStore().pull(`${proxy}/team/web:v1`, { username: 'alice', password: 'wrong' }), { message: /incorrect username or password/ });
  const rec = await newStore().pull(`${proxy}/team/web:v1`, { username: 'alice', password: 'secret' });
  assert.equal(rec.id, web.id);
});

test('basic auth: credentials are sent when the registry asks for them', async () => {
  const proxy = await authProxy('basic');
  await assert.rejects(newStore().pull(`${proxy}/team/web:v1`), { message: `failed to pull image "${proxy}/team/web:v1": unauthorized: authentication required` });
  assert.equal((await newStore().pull(`${proxy}/team/web:v1`, { username: 'alice', password: 'secret' })).id, web.id);
});

test('a registry not listed insecure is spoken to over verified HTTPS only', async () => {
  await assert.rejects(newStore().pull(`${registryHost}/team/web:v1`, { insecureRegistries: [] }), { name: 'ImagePullError', message: /^failed to pull image ".*": GET https:\/\/127\.0\.0\.1:\d+\/v2\/team\/web\/manifests\/v1: / });
  assert.ok(isInsecureRegistry('localhost:5000', ['localhost:*']));
  assert.ok(isInsecureRegistry('myreg:5000', ['myreg:5000']));
  assert.ok(!isInsecureRegistry('myreg:5001', ['myreg:5000']));
  assert.ok(!isInsecureRegistry('example.com', ['localhost:*', '127.0.0.1:*']));
});
