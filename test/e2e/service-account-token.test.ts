// Service account tokens with kubectl 1.27 and 1.33 against a fresh `navarch server`: pods get
// the kube-api-access volume, `kubectl create token` issues JWTs with upstream's claims, and
// those tokens authenticate as the service account until it is deleted.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestServer, KUBECTL_VERSIONS, kubectlPath, readAdminCredentials, run, until } from './harness.ts';

const server = new TestServer(['--disable-agent']);
const tmp = mkdtempSync(join(tmpdir(), 'navarch-sa-e2e-'));
before(() => server.start());
after(async () => {
  await server.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const headerOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString('utf8'));

/**
 * A kubeconfig that reaches the server with the cluster CA and no client certificate: kubectl
 * sends its kubeconfig's certificate along with --token, and (as upstream) a certificate is
 * tried before a token, so token tests need a kubeconfig without one.
 */
function tokenOnlyKubeconfig(): string {
  const creds = readAdminCredentials(server.kubeconfig);
  const path = join(tmp, 'token-kubeconfig');
  writeFileSync(path, [
    'apiVersion: v1', 'kind: Config',
    'clusters:', `- name: navarch`, `  cluster: {server: "${creds.server}", certificate-authority-data: ${creds.ca.toString('base64')}}`,
    'users:', '- name: robot', '  user: {}',
    'contexts:', '- name: robot', '  context: {cluster: navarch, user: robot}',
    'current-context: robot', '',
  ].join('\n'));
  return path;
}

for (const v of KUBECTL_VERSIONS) {
  describe(`kubectl ${v}`, () => {
    const ns = `sa-${v.replace('.', '')}`;
    const k = (args: string[]) => server.kubectl(v, args);
    const ok = async (args: string[]) => {
      const r = await k(args);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
      return r.stdout;
    };
    /** kubectl with only a token: no client certificate. */
    const withToken = (token: string, args: string[]) =>
      run(kubectlPath(v), ['--kubeconfig', tokenOnlyKubeconfig(), '--cache-dir', join(tmp, `cache-${v}`), '--token', token, ...args]);

    before(async () => {
      await ok(['create', 'namespace', ns]);
    });

    test('a pod in a new namespace runs as default with the kube-api-access volume and mounts upstream adds', async () => {
      await ok(['-n', ns, 'run', 'web', '--image=nginx']);
      const spec = JSON.parse(await ok(['-n', ns, 'get', 'pod', 'web', '-o', 'json'])).spec;
      assert.equal(spec.serviceAccountName, 'default');
      assert.equal(spec.serviceAccount, 'default');
      assert.equal(spec.volumes.length, 1);
      const name: string = spec.volumes[0].name;
      assert.match(name, /^kube-api-access-[a-z0-9]{5}$/);
      assert.deepEqual(spec.volumes[0], {
        name,
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
            { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
          ],
        },
      });
      assert.deepEqual(spec.containers[0].volumeMounts, [{ mountPath: MOUNT_PATH, name, readOnly: true }]);
    });

    test('automountServiceAccountToken: false on the pod or its account is honoured', async () => {
      await ok(['-n', ns, 'run', 'quiet', '--image=nginx', '--overrides={"spec":{"automountServiceAccountToken":false}}']);
      const quiet = JSON.parse(await ok(['-n', ns, 'get', 'pod', 'quiet', '-o', 'json'])).spec;
      assert.equal(quiet.volumes, undefined);
      assert.equal(quiet.containers[0].volumeMounts, undefined);
      await ok(['-n', ns, 'create', 'serviceaccount', 'silent']);
      await ok(['-n', ns, 'patch', 'serviceaccount', 'silent', '-p', '{"automountServiceAccountToken":false}']);
      await ok(['-n', ns, 'run', 'silent', '--image=nginx', '--overrides={"spec":{"serviceAccountName":"silent"}}']);
      const silent = JSON.parse(await ok(['-n', ns, 'get', 'pod', 'silent', '-o', 'json'])).spec;
      assert.equal(silent.serviceAccountName, 'silent');
      assert.equal(silent.volumes, undefined);
    });

    test('a pod naming a missing service account is forbidden', async () => {
      const r = await k(['-n', ns, 'run', 'lost', '--image=nginx', '--overrides={"spec":{"serviceAccountName":"ghost"}}']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, new RegExp(`Error from server \\(Forbidden\\): pods "lost" is forbidden: error looking up service account ${ns}/ghost: serviceaccount "ghost" not found`));
    });

    test('kubectl create token issues an RS256 JWT with upstream claims', async () => {
      const sa = JSON.parse(await ok(['-n', ns, 'get', 'serviceaccount', 'default', '-o', 'json']));
      const token = (await ok(['-n', ns, 'create', 'token', 'default', '--duration=10m'])).trim();
      assert.equal(headerOf(token).alg, 'RS256');
      assert.match(headerOf(token).kid, /^[A-Za-z0-9_-]{43}$/);
      const c = claimsOf(token);
      assert.equal(c.iss, ISSUER);
      assert.deepEqual(c.aud, [ISSUER]);
      assert.equal(c.sub, `system:serviceaccount:${ns}:default`);
      assert.equal(c.exp - c.iat, 600);
      assert.equal(c.nbf, c.iat);
      assert.ok(Math.abs(c.iat - Date.now() / 1000) < 30);
      assert.match(c.jti, /^[0-9a-f-]{36}$/);
      assert.deepEqual(c['kubernetes.io'], { namespace: ns, serviceaccount: { name: 'default', uid: sa.metadata.uid } });
      const tr = JSON.parse(await ok(['-n', ns, 'create', 'token', 'default', '--audience=vault', '-o', 'json']));
      assert.equal(tr.kind, 'TokenRequest');
      assert.deepEqual(tr.spec.audiences, ['vault']);
      assert.equal(tr.spec.expirationSeconds, 3600);
      assert.deepEqual(claimsOf(tr.status.token).aud, ['vault']);
      const short = await k(['-n', ns, 'create', 'token', 'default', '--duration=1m']);
      assert.notEqual(short.code, 0);
      assert.match(short.stderr, /may not specify a duration less than 10 minutes/);
    });

    test('a pod-bound token from kubectl names the pod', async () => {
      const pod = JSON.parse(await ok(['-n', ns, 'get', 'pod', 'web', '-o', 'json']));
      const token = (await ok(['-n', ns, 'create', 'token', 'default', '--bound-object-kind=Pod', '--bound-object-name=web'])).trim();
      assert.deepEqual(claimsOf(token)['kubernetes.io'].pod, { name: 'web', uid: pod.metadata.uid });
      const who = await withToken(token, ['auth', 'whoami', '-o', 'json']);
      assert.equal(who.code, 0, who.stderr);
      assert.deepEqual(JSON.parse(who.stdout).status.userInfo.extra['authentication.kubernetes.io/pod-name'], ['web']);
    });

    test('the token authenticates as the service account: auth whoami and get pods', async () => {
      const token = (await ok(['-n', ns, 'create', 'token', 'default', '--duration=10m'])).trim();
      const who = await withToken(token, ['auth', 'whoami']);
      assert.equal(who.code, 0, who.stderr);
      assert.match(who.stdout, new RegExp(`Username\\s+system:serviceaccount:${ns}:default\\n`));
      assert.match(who.stdout, new RegExp(`Groups\\s+\\[system:serviceaccounts system:serviceaccounts:${ns} system:authenticated\\]`));
      const pods = await withToken(token, ['-n', ns, 'get', 'pods', '-o', 'name']);
      assert.equal(pods.code, 0, pods.stderr);
      assert.match(pods.stdout, /pod\/web/);
    });

    test('a garbage token is 401 Unauthorized', async () => {
      const r = await withToken('garbage', ['-n', ns, 'get', 'pods']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /error: You must be logged in to the server \(Unauthorized\)/);
    });

    test('a token of a deleted service account is refused', async () => {
      await ok(['-n', ns, 'create', 'serviceaccount', 'robot']);
      const token = (await ok(['-n', ns, 'create', 'token', 'robot'])).trim();
      assert.equal((await withToken(token, ['-n', ns, 'get', 'pods'])).code, 0);
      await ok(['-n', ns, 'delete', 'serviceaccount', 'robot']);
      await until('the token stops working', async () => {
        const r = await withToken(token, ['-n', ns, 'get', 'pods']);
        return r.code !== 0 && /Unauthorized/.test(r.stderr);
      }, 15_000);
    });
  });
}
