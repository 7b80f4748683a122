import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../client/index.ts';
import { imagePullCredentials, decodeAuthField, keyringKey, urlsMatch, PullSecretError, type SecretLookup } from './image-pull-credentials.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function dockerConfigJson(name: string, auths: Record<string, object>): KubeObject {
  return { metadata: { name, namespace: 'ns' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) } };
}

function dockercfg(name: string, cfg: Record<string, object>): KubeObject {
  return { metadata: { name, namespace: 'ns' }, type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify(cfg)) } };
}

function lookupOf(...secrets: KubeObject[]): SecretLookup {
  return (namespace, name) => secrets.find((s) => s.metadata.namespace === namespace && s.metadata.name === name);
}

const pod = (...names: string[]): KubeObject => ({ metadata: { name: 'p', namespace: 'ns' }, spec: { imagePullSecrets: names.map((name) => ({ name })), containers: [] } });

const users = (pod: KubeObject, image: string, lookup: SecretLookup) => imagePullCredentials(pod, image, lookup).credentials.map((c) => `${c.username}:${c.password}`);

test('a dockerconfigjson secret gives the credentials of its exact host:port, from the base64 auth field', () => {
  const lookup = lookupOf(dockerConfigJson('reg', { '127.0.0.1:5000': { auth: b64('alice:s3cret:with-colon') } }));
  const r = imagePullCredentials(pod('reg'), '127.0.0.1:5000/team/web:v1', lookup);
  assert.deepEqual(r.credentials, [{ username: 'alice', password: 's3cret:with-colon', registry: '127.0.0.1:5000', secret: { namespace: 'ns', name: 'reg' } }]);
  assert.deepEqual(r.missingSecrets, []);
  assert.deepEqual(users(pod('reg'), '127.0.0.1:5001/team/web:v1', lookup), [], 'another port is another registry');
  assert.deepEqual(users(pod('reg'), '127.0.0.1/team/web:v1', lookup), [], 'no port is not port 5000');
  assert.deepEqual(users(pod(), '127.0.0.1:5000/team/web:v1', lookup), [], 'only the secrets the pod names count');
});

test('keys may carry a scheme and the /v1/ or /v2/ API path; username and password fields work without auth', () => {
  const lookup = lookupOf(dockerConfigJson('reg', {
    'https://reg.example.com': { username: 'u1', password: 'p1' },
    'http://other.example.com:5000/v2/': { Username: 'u2', Password: 'p2' },
  }));
  assert.deepEqual(users(pod('reg'), 'reg.example.com/web', lookup), ['u1:p1']);
  assert.deepEqual(users(pod('reg'), 'other.example.com:5000/a/b:v1', lookup), ['u2:p2'], 'field names match case-insensitively, as Go decodes JSON');
  assert.equal(keyringKey('https://index.docker.io/v1/'), 'index.docker.io');
  assert.equal(keyringKey('reg.example.com:5000/v2/team'), 'reg.example.com:5000/team');
  assert.equal(keyringKey('http://reg.example.com/team/'), 'reg.example.com/team/');
});

test('a Docker Hub entry (https://index.docker.io/v1/) serves short names and docker.io images only', () => {
  const lookup = lookupOf(dockerConfigJson('hub', { 'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') } }));
  for (const image of ['busybox', 'busybox:1.36', 'team/app:v1', 'docker.io/library/busybox', 'index.docker.io/team/app']) {
    assert.deepEqual(users(pod('hub'), image, lookup), ['hubuser:hubpass'], image);
  }
  for (const image of ['quay.io/team/app', 'localhost:5000/app', '127.0.0.1:5000/app']) assert.deepEqual(users(pod('hub'), image, lookup), [], image);
});

test('the auth field overrides username and password; both base64 paddings decode', () => {
  const lookup = lookupOf(dockerConfigJson('reg', { 'reg.example.com': { username: 'ignored', password: 'ignored', auth: b64('ab:c').replace(/=+$/, '') } }));
  assert.deepEqual(users(pod('reg'), 'reg.example.com/web', lookup), ['ab:c']);
  assert.deepEqual(decodeAuthField(b64('ab:c')), ['ab', 'c']);
  assert.deepEqual(decodeAuthField('YWI6Yw'), ['ab', 'c']);
});

test('more specific keys (host/path) come first; every matching key contributes, in secret order per key', () => {
  const lookup = lookupOf(
    dockerConfigJson('a', { 'reg.example.com': { auth: b64('host-a:x') }, 'reg.example.com/team': { auth: b64('team-a:x') } }),
    dockercfg('b', { 'reg.example.com': { auth: b64('host-b:x') } }),
  );
  assert.deepEqual(users(pod('a', 'b'), 'reg.example.com/team/web:v1', lookup), ['team-a:x', 'host-a:x', 'host-b:x']);
  assert.deepEqual(users(pod('a', 'b'), 'reg.example.com/other/web:v1', lookup), ['host-a:x', 'host-b:x']);
  assert.deepEqual(users(pod('b', 'a'), 'reg.example.com/other/web:v1', lookup), ['host-b:x', 'host-a:x']);
});

test('a * in a key matches one host label', () => {
  const lookup = lookupOf(dockerConfigJson('glob', { '*.example.com': { auth: b64('g:x') } }));
  assert.deepEqual(users(pod('glob'), 'reg.example.com/web', lookup), ['g:x']);
  assert.deepEqual(users(pod('glob'), 'example.com/web', lookup), []);
  assert.deepEqual(users(pod('glob'), 'a.b.example.com/web', lookup), []);
  assert.ok(urlsMatch('reg.example.com:5000', 'reg.example.com:5000/web'));
  assert.ok(!urlsMatch('reg.example.com:5000', 'reg.example.com/web'));
  assert.ok(urlsMatch('r[a-c]g.example.com', 'rbg.example.com/web'));
});

test('a dockercfg secret is read; secrets of other types and missing secrets give nothing (missing ones are reported)', () => {
  const opaque: KubeObject = { metadata: { name: 'opaque', namespace: 'ns' }, type: 'Opaque', data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'reg.example.com': { auth: b64('o:x') } } })) } };
  const lookup = lookupOf(dockercfg('cfg', { 'reg.example.com': { auth: b64('cfg:x') } }), opaque);
  const r = imagePullCredentials(pod('gone', 'opaque', 'cfg', 'also-gone'), 'reg.example.com/web', lookup);
  assert.deepEqual(r.credentials.map((c) => c.username), ['cfg']);
  assert.deepEqual(r.missingSecrets, ['gone', 'also-gone']);
});

test('an unreadable docker config fails with the reason, as the kubelet does', () => {
  const broken: KubeObject = { metadata: { name: 'broken', namespace: 'ns' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{not json') } };
  assert.throws(() => imagePullCredentials(pod('broken'), 'reg.example.com/web', lookupOf(broken)), PullSecretError);
  const noColon = lookupOf(dockerConfigJson('nc', { 'reg.example.com': { auth: b64('justuser') } }));
  assert.throws(() => imagePullCredentials(pod('nc'), 'reg.example.com/web', noColon), { message: 'unable to parse auth field, must be formatted as base64(username:password)' });
  assert.throws(() => decodeAuthField('YWI6Y*'), { message: 'illegal base64 data at input byte 5' });
  assert.throws(() => decodeAuthField('YWI6Yw='), { name: 'PullSecretError' });
});

test('an invalid image reference has no credentials (its pull fails on its own)', () => {
  const lookup = lookupOf(dockerConfigJson('reg', { 'reg.example.com': { auth: b64('a:b') } }));
  assert.deepEqual(imagePullCredentials(pod('reg'), 'reg.example.com/UPPER', lookup).credentials, []);
});
