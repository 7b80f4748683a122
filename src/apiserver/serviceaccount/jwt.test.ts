import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { signingKeyFrom } from './signing-key.ts';
import { parseJwt, signJwt, verifyJwt } from './jwt.ts';

const key = signingKeyFrom(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
const other = signingKeyFrom(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
const decode = (seg: string) => JSON.parse(Buffer.from(seg, 'base64url').toString('utf8'));

test('a signed token has an RS256 header with the key id, sorted claims, and verifies with that key only', () => {
  const token = signJwt(key, { sub: 's', aud: ['a'], 'kubernetes.io': { pod: { uid: 'u', name: 'p' }, namespace: 'n' } });
  const [h, p] = token.split('.');
  assert.deepEqual(decode(h), { alg: 'RS256', kid: key.keyId });
  assert.equal(Buffer.from(p, 'base64url').toString('utf8'), '{"aud":["a"],"kubernetes.io":{"namespace":"n","pod":{"name":"p","uid":"u"}},"sub":"s"}');
  const jwt = parseJwt(token)!;
  assert.equal(jwt.claims.sub, 's');
  assert.ok(verifyJwt(key, jwt));
  assert.ok(!verifyJwt(other, jwt));
});

test('tampered claims, another algorithm or an unsigned token do not verify; non-JWTs do not parse', () => {
  const [h, , s] = signJwt(key, { sub: 'a' }).split('.');
  const forged = `${h}.${Buffer.from('{"sub":"b"}').toString('base64url')}.${s}`;
  assert.ok(!verifyJwt(key, parseJwt(forged)!));
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"a"}').toString('base64url')}.`;
  assert.ok(!verifyJwt(key, parseJwt(none)!));
  const hs = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{"sub":"a"}').toString('base64url')}.${s}`;
  assert.ok(!verifyJwt(key, parseJwt(hs)!));
  for (const bad of ['garbage', 'a.b', 'a.b.c.d', '!!.??.x', `${Buffer.from('[1]').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.x`]) {
    assert.equal(parseJwt(bad), undefined, bad);
  }
});
