// Service account tokens through the API server: TokenRequest issues them
// (serviceaccounts/token) and bearer authentication accepts them, as upstream.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { dirname, join } from 'node:path';
import { startTestCluster, until, type TestCluster } from '../../server/test-cluster.ts';
import type { ClientConfig } from '../../client/api-client.ts';
import { parseJwt, verifyJwt, signJwt } from './jwt.ts';
import { signingKeyFrom, loadOrCreateSigningKey, type SigningKey } from './signing-key.ts';
import { issueToken } from './token-issuer.ts';
import { DEFAULT_ISSUER } from './claims.ts';

const SAS = { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true };
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const SECRETS = { group: '', version: 'v1', plural: 'secrets', namespaced: true };
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let cluster: TestCluster;
let admin: ClientConfig;
let signingKey: SigningKey;
before(async () => {
  cluster = await startTestCluster({ controllers: ['serviceaccount'] });
  admin = await cluster.config();
  signingKey = await loadOrCreateSigningKey(join(dirname(cluster.kubeconfig), 'pki'));
  await until('default/default', () => cluster.client.get(SAS, 'default', 'default'));
});
after(() => cluster?.stop());

interface Answer { status: number; body: any }

/** A request with a bearer token (and no client certificate unless asked). */
function call(method: string, path: string, opts: { token?: string; body?: unknown; cert?: boolean } = {}): Promise<Answer> {
  const data = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, admin.server), {
      method, ca: admin.caPem, agent: false,
      ...(opts.cert ? { cert: admin.certPem, key: admin.keyPem } : {}),
      headers: { Accept: 'application/json', ...(opts.token !== undefined ? { Authorization: `Bearer ${opts.token}` } : {}), ...(data ? { 'Content-Type': 'application/json' } : {}) },
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const tokenPath = (ns: string, sa: string) => `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`;
const requestToken = (ns: string, sa: string, spec: object = {}, metadata: object = {}) =>
  call('POST', tokenPath(ns, sa), { cert: true, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata, spec } });
const whoami = (token: string) =>
  call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { token, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });

test('a TokenRequest answers a TokenRequest whose token is an RS256 JWT with the claims upstream writes', async () => {
  const sa = await cluster.client.get(SAS, 'default', 'default');
  const { status, body } = await requestToken('default', 'default', { expirationSeconds: 600 });
  assert.equal(status, 201);
  assert.equal(body.kind, 'TokenRequest');
  assert.equal(body.apiVersion, 'authentication.k8s.io/v1');
  assert.deepEqual(body.metadata, { name: 'default', namespace: 'default', uid: sa.metadata.uid, creationTimestamp: body.metadata.creationTimestamp });
  assert.deepEqual(body.spec, { audiences: [DEFAULT_ISSUER], expirationSeconds: 600, boundObjectRef: null });
  const jwt = parseJwt(body.status.token)!;
  assert.deepEqual(jwt.header, { alg: 'RS256', kid: signingKey.keyId });
  // Signed by the key whose public half is <data-dir>/pki/sa.pub.
  assert.ok(createPublicKey(readFileSync(join(dirname(cluster.kubeconfig), 'pki', 'sa.pub'))).equals(signingKey.publicKey));
  assert.ok(verifyJwt(signingKey, jwt));
  const c = jwt.claims;
  assert.deepEqual(Object.keys(c), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
  assert.equal(c.iss, DEFAULT_ISSUER);
  assert.equal(c.sub, 'system:serviceaccount:default:default');
  assert.deepEqual(c.aud, [DEFAULT_ISSUER]);
  assert.equal(c.exp - c.iat, 600);
  assert.equal(c.nbf, c.iat);
  assert.ok(Math.abs(c.iat - Date.now() / 1000) < 5);
  assert.match(c.jti, UUID);
  assert.deepEqual(c['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'default', uid: sa.metadata.uid } });
  assert.equal(Date.parse(body.status.expirationTimestamp), Date.parse(body.metadata.creationTimestamp) + 600_000);
});

test('a TokenRequest defaults to one hour for the API server audience and keeps the audiences asked for', async () => {
  const plain = await requestToken('default', 'default');
  assert.equal(plain.status, 201);
  assert.equal(plain.body.spec.expirationSeconds, 3600);
  assert.deepEqual(plain.body.spec.audiences, [DEFAULT_ISSUER]);
  const c = parseJwt(plain.body.status.token)!.claims;
  assert.equal(c.exp - c.iat, 3600);
  const vault = await requestToken('default', 'default', { audiences: ['vault', 'other'] });
  assert.deepEqual(parseJwt(vault.body.status.token)!.claims.aud, ['vault', 'other']);
});

test('TokenRequests are refused with upstream errors', async () => {
  const missing = await requestToken('default', 'nobody');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'serviceaccounts "nobody" not found');
  const short = await requestToken('default', 'default', { expirationSeconds: 60 });
  assert.equal(short.status, 422);
  assert.equal(short.body.message, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
  const long = await requestToken('default', 'default', { expirationSeconds: 2 ** 32 + 1 });
  assert.equal(long.body.message, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds');
  const renamed = await requestToken('default', 'default', {}, { name: 'other' });
  assert.equal(renamed.status, 422);
  assert.equal(renamed.body.message, 'TokenRequest.authentication.k8s.io "default" is invalid: metadata.name: Invalid value: "other": must match the service account name if specified');
  const staleUid = await requestToken('default', 'default', {}, { uid: 'not-the-uid' });
  assert.equal(staleUid.status, 409);
  const kind = await requestToken('default', 'default', { boundObjectRef: { apiVersion: 'v1', kind: 'ConfigMap', name: 'x' } });
  assert.equal(kind.status, 400);
  assert.equal(kind.body.message, 'cannot bind token to object of type /v1, Kind=ConfigMap');
  const noPod = await requestToken('default', 'default', { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'ghost' } });
  assert.equal(noPod.status, 404);
  assert.equal(noPod.body.message, 'pods "ghost" not found');
  const get = await call('GET', tokenPath('default', 'default'), { cert: true });
  assert.equal(get.status, 405);
});

test('a pod-bound token names the pod and its node; the admission lifetime is extended to a year with a warning time', async () => {
  await cluster.client.create(SAS, 'default', { metadata: { name: 'builder' } });
  const pod = await cluster.client.create(PODS, 'default', { metadata: { name: 'bound' }, spec: { serviceAccountName: 'builder', nodeName: 'node-x', containers: [{ name: 'c', image: 'busybox' }] } });
  const ref = { apiVersion: 'v1', kind: 'Pod', name: 'bound', uid: pod.metadata.uid };
  const { status, body } = await requestToken('default', 'builder', { expirationSeconds: 3607, boundObjectRef: ref });
  assert.equal(status, 201);
  assert.deepEqual(body.spec.boundObjectRef, ref);
  const c = parseJwt(body.status.token)!.claims;
  assert.equal(c.exp - c.iat, 365 * 24 * 3600);
  assert.equal(c['kubernetes.io'].warnafter, c.iat + 3607);
  assert.deepEqual(c['kubernetes.io'].pod, { name: 'bound', uid: pod.metadata.uid });
  // The node does not exist: only its name goes in.
  assert.deepEqual(c['kubernetes.io'].node, { name: 'node-x' });
  assert.equal(Date.parse(body.status.expirationTimestamp), Date.parse(body.metadata.creationTimestamp) + 3607_000);
  // Other lifetimes are kept as asked.
  const plain = parseJwt((await requestToken('default', 'builder', { expirationSeconds: 3600, boundObjectRef: ref })).body.status.token)!.claims;
  assert.equal(plain.exp - plain.iat, 3600);
  assert.equal(plain['kubernetes.io'].warnafter, undefined);

  const otherAccount = await requestToken('default', 'default', { boundObjectRef: ref });
  assert.equal(otherAccount.status, 400);
  assert.equal(otherAccount.body.message, 'cannot bind token for serviceaccount "default" to pod running with different serviceaccount name.');
  const recreated = await requestToken('default', 'builder', { boundObjectRef: { ...ref, uid: 'old-uid' } });
  assert.equal(recreated.status, 409);
  assert.equal(recreated.body.message, 'Operation cannot be fulfilled on Pod "bound": the UID in the bound object reference (old-uid) does not match the UID in record. The object might have been deleted and then recreated');
});

test('a token authenticates its requests as the service account, with the groups and extras upstream gives', async () => {
  const sa = await cluster.client.get(SAS, 'default', 'default');
  const token = (await requestToken('default', 'default', { expirationSeconds: 600 })).body.status.token;
  const list = await call('GET', '/api/v1/namespaces/default/pods', { token });
  assert.equal(list.status, 200);
  assert.equal(list.body.kind, 'PodList');
  const review = await whoami(token);
  assert.equal(review.status, 201);
  assert.deepEqual(review.body.status.userInfo, {
    username: 'system:serviceaccount:default:default', uid: sa.metadata.uid,
    groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${parseJwt(token)!.claims.jti}`] },
  });
});

test('a pod-bound token carries the pod and node as extras and stops working when the pod goes', async () => {
  const node = await cluster.client.create(NODES, undefined, { metadata: { name: 'node-y' } });
  const pod = await cluster.client.create(PODS, 'default', { metadata: { name: 'runner' }, spec: { serviceAccountName: 'default', nodeName: 'node-y', containers: [{ name: 'c', image: 'busybox' }] } });
  const { body } = await requestToken('default', 'default', { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'runner', uid: pod.metadata.uid } });
  const token = body.status.token;
  const extra = (await whoami(token)).body.status.userInfo.extra;
  assert.deepEqual(extra['authentication.kubernetes.io/pod-name'], ['runner']);
  assert.deepEqual(extra['authentication.kubernetes.io/pod-uid'], [pod.metadata.uid]);
  assert.deepEqual(extra['authentication.kubernetes.io/node-name'], ['node-y']);
  assert.deepEqual(extra['authentication.kubernetes.io/node-uid'], [node.metadata.uid]);
  await cluster.client.delete(PODS, 'default', 'runner', { gracePeriodSeconds: 0 });
  await until('pod gone', async () => (await cluster.client.get(PODS, 'default', 'runner').then(() => false, () => true)));
  assert.equal((await whoami(token)).status, 401);
});

test('a secret-bound token stops working when the secret is replaced', async () => {
  const secret = await cluster.client.create(SECRETS, 'default', { metadata: { name: 'anchor' } });
  const token = (await requestToken('default', 'default', { boundObjectRef: { apiVersion: 'v1', kind: 'Secret', name: 'anchor', uid: secret.metadata.uid } })).body.status.token;
  assert.equal((await whoami(token)).status, 201);
  await cluster.client.delete(SECRETS, 'default', 'anchor');
  await cluster.client.create(SECRETS, 'default', { metadata: { name: 'anchor' } });
  await until('the new secret is seen', async () => (await whoami(token)).status === 401);
});

test('a node-bound token names the node and stops working when the node is re-created', async () => {
  const node = await cluster.client.create(NODES, undefined, { metadata: { name: 'node-z' } });
  const { status, body } = await requestToken('default', 'default', { boundObjectRef: { apiVersion: 'v1', kind: 'Node', name: 'node-z' } });
  assert.equal(status, 201);
  assert.deepEqual(parseJwt(body.status.token)!.claims['kubernetes.io'].node, { name: 'node-z', uid: node.metadata.uid });
  const extra = (await whoami(body.status.token)).body.status.userInfo.extra;
  assert.deepEqual(extra['authentication.kubernetes.io/node-uid'], [node.metadata.uid]);
  await cluster.client.delete(NODES, undefined, 'node-z');
  await cluster.client.create(NODES, undefined, { metadata: { name: 'node-z' } });
  await until('the new node is seen', async () => (await whoami(body.status.token)).status === 401);
});

test('invalid bearer tokens are 401 Unauthorized, on every path, and a client certificate still comes first', async () => {
  const unauthorized = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };
  for (const token of ['garbage', 'a.b.c', signJwt(signingKeyFrom(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey), { iss: DEFAULT_ISSUER, sub: 'x' })]) {
    const r = await call('GET', '/api/v1/namespaces/default/pods', { token });
    assert.equal(r.status, 401, token);
    assert.deepEqual(r.body, unauthorized);
  }
  assert.equal((await call('GET', '/healthz', { token: 'garbage' })).status, 401);
  // Upstream tries client certificates before tokens: the admin stays the admin.
  const both = await call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { cert: true, token: 'garbage', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
  assert.equal(both.body.status.userInfo.username, 'admin');
});

test('expired tokens, tokens for other audiences and tokens of deleted or re-created accounts are refused', async () => {
  const sa = await cluster.client.create(SAS, 'default', { metadata: { name: 'short-lived' } });
  const settings = { key: signingKey, issuer: DEFAULT_ISSUER, audiences: [DEFAULT_ISSUER] };
  const base = { namespace: 'default', serviceAccount: { name: 'short-lived', uid: sa.metadata.uid }, audiences: [DEFAULT_ISSUER], expirationSeconds: 600 };
  assert.equal((await whoami(issueToken(settings, { ...base, now: new Date() }))).status, 201);
  // One minute of leeway past expiry, as upstream.
  assert.equal((await whoami(issueToken(settings, { ...base, now: new Date(Date.now() - 630_000) }))).status, 201);
  assert.equal((await whoami(issueToken(settings, { ...base, now: new Date(Date.now() - 700_000) }))).status, 401);
  assert.equal((await whoami(issueToken(settings, { ...base, now: new Date(Date.now() + 120_000) }))).status, 401, 'not valid yet');
  assert.equal((await whoami(issueToken(settings, { ...base, audiences: ['vault'], now: new Date() }))).status, 401);

  const token = (await requestToken('default', 'short-lived')).body.status.token;
  await cluster.client.delete(SAS, 'default', 'short-lived');
  await until('account gone', async () => (await whoami(token)).status === 401);
  await cluster.client.create(SAS, 'default', { metadata: { name: 'short-lived' } });
  await until('re-created account seen', async () => (await requestToken('default', 'short-lived')).status === 201);
  assert.equal((await whoami(token)).status, 401, 'a token of the old account does not work for the new one');
});
