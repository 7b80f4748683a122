import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiClient, KubeObject } from '../../client/api-client.ts';
import { errors } from '../../api/status.ts';
import { createLogger } from '../../base/log.ts';
import { ServiceAccountTokens } from './service-account-tokens.ts';

const pod = { metadata: { name: 'web', namespace: 'prod', uid: 'u-1' }, spec: { serviceAccountName: 'builder' } };
const log = createLogger({ test: 'tokens' });

/** A client that answers TokenRequests with numbered tokens and records the requests. */
function issuingClient(requests: { path: string; body: KubeObject }[]): ApiClient {
  return {
    async request(_method: string, path: string, body: KubeObject) {
      requests.push({ path, body });
      return { status: { token: `t${requests.length}`, expirationTimestamp: new Date(Date.now() + body.spec.expirationSeconds * 1000).toISOString() } };
    },
  } as unknown as ApiClient;
}

test('a token is requested for the pod service account, bound to the pod, and reused until 80% of its life', async () => {
  const requests: { path: string; body: KubeObject }[] = [];
  let now = Date.now();
  const tokens = new ServiceAccountTokens(issuingClient(requests), log, () => now);
  assert.equal(await tokens.token(pod, 'vault', 3600), 't1');
  assert.equal(requests[0].path, '/api/v1/namespaces/prod/serviceaccounts/builder/token');
  assert.deepEqual(requests[0].body.spec, { audiences: ['vault'], expirationSeconds: 3600, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'u-1' } });
  now += 2000 * 1000;
  assert.equal(await tokens.token(pod, 'vault', 3600), 't1');
  now += 1000 * 1000;
  assert.equal(await tokens.token(pod, 'vault', 3600), 't2');
  assert.equal(requests.length, 2);
});

test('a server without TokenRequest is remembered and yields no token', async () => {
  let calls = 0;
  const client = { async request() { calls++; throw errors.methodNotAllowed(); } } as unknown as ApiClient;
  const tokens = new ServiceAccountTokens(client, log);
  assert.equal(await tokens.token(pod, undefined, 3607), undefined);
  assert.equal(await tokens.token(pod, undefined, 3607), undefined);
  assert.equal(tokens.supported, false);
  assert.equal(calls, 1);
});

test('other failures surface, except while a cached token is still valid', async () => {
  let fail = false;
  let now = Date.now();
  const client = {
    async request() {
      if (fail) throw errors.forbidden('', 'serviceaccounts', 'builder', 'no');
      return { status: { token: 'ok', expirationTimestamp: new Date(now + 600_000).toISOString() } };
    },
  } as unknown as ApiClient;
  const tokens = new ServiceAccountTokens(client, log, () => now);
  assert.equal(await tokens.token(pod, undefined, 600), 'ok');
  fail = true;
  now += 500_000;
  assert.equal(await tokens.token(pod, undefined, 600), 'ok');
  now += 200_000;
  await assert.rejects(tokens.token(pod, undefined, 600), /is forbidden/);
});
