// Pods whose images come from an OCI registry, with kubectl 1.27 and 1.33 against `navarch server`
// and its node agent: Debian's docker-registry on loopback ports (one open, one behind its own
// htpasswd authentication), a busybox image pushed with skopeo, pulls by the node agent with
// the pod's imagePullSecrets, and the statuses and events of failing pulls as upstream shows them.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestServer, KUBECTL_VERSIONS, NAVARCH, run, until, kubectlPath, agentArgs, kubectlIn } from './harness.ts';
import { buildBusyboxImage } from '../../src/kubelet/images/testing/busybox-image.ts';

const tmp = mkdtempSync(join(tmpdir(), 'navarch-e2e-registry-'));
const registries: ChildProcess[] = [];
// The open registry on 127.0.0.1 (insecure by default, as docker treats loopback); the private
// one on 127.0.0.2, which the server must be told about with --insecure-registry.
let openHost = '';
let privateHost = '';
// An address nothing listens on, for an image that is present but whose registry is gone.
let deadHost = '';
const USER = 'alice';
const PASSWORD = 's3cret-pass';
// bcrypt (cost 5) of PASSWORD, made once with crypt(3): docker-registry's htpasswd accepts only bcrypt.
const HTPASSWD = `${USER}:$2b$05$/ZDFA5M1p/2iJQkj9oVZZ.0e2QCOCEG1ijWulL6ajlMODjZFcX/xa\n`;

let server: TestServer | undefined;

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, host, () => { const p = (s.address() as AddressInfo).port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

/** Starts docker-registry on host with a config of its own; resolves once /v2/ answers. */
async function startRegistry(name: string, host: string, auth: boolean): Promise<void> {
  const dir = join(tmp, name);
  const lines = ['version: 0.1', 'log:', '  level: error', 'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'storage')}`, 'http:', `  addr: ${host}`];
  if (auth) {
    writeFileSync(join(tmp, `${name}.htpasswd`), HTPASSWD);
    lines.push('auth:', '  htpasswd:', '    realm: navarch-test', `    path: ${join(tmp, `${name}.htpasswd`)}`);
  }
  const config = join(tmp, `${name}.yml`);
  writeFileSync(config, lines.join('\n') + '\n');
  const proc = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: 'ignore' });
  registries.push(proc);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const status = await new Promise<number>((resolve) => {
      request(`http://${host}/v2/`, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', () => resolve(0)).end();
    });
    if (status === (auth ? 401 : 200)) return;
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`docker-registry ${name} did not start (last status ${status})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function push(file: string, ref: string, creds?: string): void {
  execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', ...(creds ? ['--dest-creds', creds] : []), `docker-archive:${file}`, `docker://${ref}`], { stdio: ['ignore', 'ignore', 'pipe'] });
}

before(async () => {
  openHost = `127.0.0.1:${await freePort('127.0.0.1')}`;
  privateHost = `127.0.0.2:${await freePort('127.0.0.2')}`;
  deadHost = `127.0.0.1:${await freePort('127.0.0.1')}`;
  await startRegistry('open', openHost, false);
  await startRegistry('private', privateHost, true);
  const web = buildBusyboxImage(join(tmp, 'web.tar'), {
    name: 'web:v1', cmd: ['httpd', '-f', '-p', '8080', '-h', '/www'], extraFiles: { '/www/index.html': 'hello from the registry\n' },
  });
  for (const v of KUBECTL_VERSIONS) {
    const tag = v.replace('.', '');
    push(web.file, `${openHost}/web-${tag}:v1`);
    push(web.file, `${openHost}/always-${tag}:v1`);
    push(web.file, `${privateHost}/private/web-${tag}:v1`, `${USER}:${PASSWORD}`);
  }
  server = new TestServer([...agentArgs('kubelet-registry'), '--insecure-registry', privateHost]);
  await server.start();
  // Present on the node, but its registry does not answer: IfNotPresent runs it, Always cannot.
  const stranded = buildBusyboxImage(join(tmp, 'stranded.tar'), { name: `${deadHost}/stranded:v1`, cmd: ['sleep', '3600'] });
  const r = await run(NAVARCH, ['image', 'import', '--data-dir', server.dataDir, stranded.file]);
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  try {
    await server?.cleanup();
  } finally {
    for (const proc of registries) {
      if (proc.pid && proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        process.kill(proc.pid, 'SIGTERM');
        await exited;
      }
    }
    rmSync(tmp, { recursive: true, force: true });
  }
});

/** `kubectl get pods -l SELECTOR -w` running in the background: the STATUS column of every line so far. */
function watchStatuses(v: string, ns: string, selector: string): { statuses: () => string[]; stop: () => Promise<void> } {
  const proc = spawn(kubectlPath(v), ['--kubeconfig', server!.kubeconfig, '-n', ns, 'get', 'pods', '-l', selector, '-w', '--no-headers'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const closed = new Promise<void>((r) => proc.once('close', () => r()));
  return {
    statuses: () => out.split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/)[2] ?? ''),
    stop: async () => { if (proc.pid && proc.exitCode === null) process.kill(proc.pid, 'SIGTERM'); await closed; },
  };
}

for (const v of KUBECTL_VERSIONS) {
  describe(`kubectl ${v}`, () => {
    const tag = v.replace('.', '');
    const ns = `registry-${tag}`;
    const { ok, json, apply } = kubectlIn(() => server!, v, ns);
    const pod = (name: string, container: object, extra: object = {}) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', ...container }], ...extra },
    });
    const events = (name: string) => ok(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message', '--no-headers']);
    const deployment = (name: string, image: string) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
      spec: {
        replicas: 1, selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'web', image }] } },
      },
    });
    const podOf = async (app: string) => (await json(['get', 'pods', '-l', `app=${app}`])).items.find((p: any) => !p.metadata.deletionTimestamp);

    before(() => ok(['create', 'namespace', ns]).then(() => undefined));

    test('a deployment runs an image pulled from a loopback registry; the pod shows Pulling and Pulled', async () => {
      const image = `${openHost}/web-${tag}:v1`;
      await apply(deployment('web', image));
      await ok(['rollout', 'status', 'deployment/web', '--timeout=90s']);
      const p = await podOf('web');
      assert.equal(p.status.phase, 'Running');
      assert.equal(p.status.containerStatuses[0].image, image);
      const ev = await events(p.metadata.name);
      assert.match(ev, new RegExp(`Normal\\s+Pulling\\s+Pulling image "${image}"`));
      assert.match(ev, new RegExp(`Normal\\s+Pulled\\s+Successfully pulled image "${image}" in \\d+(\\.\\d+)?m?s \\(\\d+(\\.\\d+)?m?s including waiting\\)\\. Image size: \\d+ bytes\\.`));
      assert.match(await ok(['get', 'pod', p.metadata.name, '--no-headers']), /\s1\/1\s+Running\s+0\s/);
    });

    test('a missing tag shows ErrImagePull, then ImagePullBackOff, with the registry\'s "manifest unknown"', async () => {
      const image = `${openHost}/web-${tag}:nope`;
      // Watching from before the pod exists, so that no status is missed.
      const watch = watchStatuses(v, ns, 'watch=missing');
      await apply({ ...pod('missing', { image }), metadata: { name: 'missing', labels: { watch: 'missing' } } });
      try {
        await until('ErrImagePull then ImagePullBackOff in kubectl get -w', async () => {
          const s = watch.statuses();
          const i = s.indexOf('ErrImagePull');
          return i >= 0 && s.indexOf('ImagePullBackOff', i) > i;
        }, 60_000);
      } finally {
        await watch.stop();
      }
      const notFound = `manifest for ${image} not found: manifest unknown: manifest unknown`;
      const cs = (await json(['get', 'pod', 'missing'])).status.containerStatuses[0];
      assert.equal(cs.state.waiting.reason, 'ImagePullBackOff');
      assert.equal(cs.state.waiting.message, `Back-off pulling image "${image}": ErrImagePull: failed to pull image "${image}": ${notFound}`);
      const describe = await ok(['describe', 'pod', 'missing']);
      assert.match(describe, /Reason:\s+ImagePullBackOff/);
      assert.ok(describe.includes(`Failed to pull image "${image}": failed to pull image "${image}": ${notFound}`), describe);
      assert.match(describe, /Warning\s+Failed\s+.*Error: ErrImagePull/);
      assert.match(describe, new RegExp(`Normal\\s+BackOff\\s+.*Back-off pulling image "${image.replace(/[.]/g, '\\.')}"`));
      assert.match(describe, /Warning\s+Failed\s+.*Error: ImagePullBackOff/);
    });

    test('a registry that demands credentials refuses the pull until the pod names a docker-registry secret', async () => {
      const image = `${privateHost}/private/web-${tag}:v1`;
      await apply(deployment('private', image));
      const first = await until('ErrImagePull or ImagePullBackOff without credentials', async () => {
        const p = await podOf('private');
        const reason = p?.status?.containerStatuses?.[0]?.state?.waiting?.reason;
        return reason === 'ErrImagePull' || reason === 'ImagePullBackOff' ? p : undefined;
      });
      assert.match(await events(first.metadata.name), new RegExp(`Warning\\s+Failed\\s+Failed to pull image "${image}": failed to pull image "${image}": unauthorized: authentication required`));
      await ok(['create', 'secret', 'docker-registry', 'regcred', `--docker-server=${privateHost}`, `--docker-username=${USER}`, `--docker-password=${PASSWORD}`]);
      await ok(['patch', 'deployment', 'private', '--type=merge', '-p', JSON.stringify({ spec: { template: { spec: { imagePullSecrets: [{ name: 'regcred' }] } } } })]);
      await ok(['rollout', 'status', 'deployment/private', '--timeout=90s']);
      const p = await podOf('private');
      assert.equal(p.status.phase, 'Running');
      assert.match(await events(p.metadata.name), new RegExp(`Normal\\s+Pulled\\s+Successfully pulled image "${image}"`));
    });

    test('imagePullPolicy Never with the image absent is ErrImageNeverPull', async () => {
      const image = `${openHost}/web-${tag}:never-pulled`;
      await apply(pod('never', { image, imagePullPolicy: 'Never' }));
      await until('ErrImageNeverPull', async () => /never\s+0\/1\s+ErrImageNeverPull\s+0/.test(await ok(['get', 'pod', 'never', '--no-headers'])));
      const cs = (await json(['get', 'pod', 'never'])).status.containerStatuses[0];
      assert.equal(cs.state.waiting.message, `Container image "${image}" is not present with pull policy of Never`);
      const ev = await events('never');
      assert.match(ev, new RegExp(`Warning\\s+ErrImageNeverPull\\s+Container image "${image}" is not present with pull policy of Never`));
      assert.match(ev, /Warning\s+Failed\s+Error: ErrImageNeverPull/);
      assert.doesNotMatch(ev, /Pulling/);
    });

    test('imagePullPolicy Always pulls although the image is present, and fails when its registry is gone', async () => {
      const image = `${openHost}/always-${tag}:v1`;
      await apply(pod('warm', { image }));
      await ok(['wait', '--for=condition=Ready', 'pod/warm', '--timeout=60s']);
      await apply(pod('always', { image, imagePullPolicy: 'Always' }));
      await ok(['wait', '--for=condition=Ready', 'pod/always', '--timeout=60s']);
      const ev = await events('always');
      assert.match(ev, new RegExp(`Normal\\s+Pulled\\s+Successfully pulled image "${image}"`));
      assert.doesNotMatch(ev, /already present on machine/);
      // The stranded image is on the node: IfNotPresent uses it, Always must reach its registry.
      const stranded = `${deadHost}/stranded:v1`;
      await apply(pod('stranded-ifnotpresent', { image: stranded }));
      await ok(['wait', '--for=condition=Ready', 'pod/stranded-ifnotpresent', '--timeout=60s']);
      assert.match(await events('stranded-ifnotpresent'), new RegExp(`Normal\\s+Pulled\\s+Container image "${stranded}" already present on machine`));
      await apply(pod('stranded-always', { image: stranded, imagePullPolicy: 'Always' }));
      await until('stranded-always cannot pull', async () => /stranded-always\s+0\/1\s+(ErrImagePull|ImagePullBackOff)\s+0/.test(await ok(['get', 'pod', 'stranded-always', '--no-headers'])));
      assert.match(await events('stranded-always'), new RegExp(`Failed to pull image "${stranded}": .*ECONNREFUSED`));
    });
  });
}
