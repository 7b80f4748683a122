import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeReference, familiarName } from './reference.ts';

const HEX = 'a'.repeat(64);

test('a familiar name gets the docker.io domain, the library/ prefix and tag latest', () => {
  assert.equal(normalizeReference('web:v1').string, 'docker.io/library/web:v1');
  assert.equal(normalizeReference('docker.io/library/web:v1').string, 'docker.io/library/web:v1');
  assert.equal(normalizeReference('index.docker.io/library/web:v1').string, 'docker.io/library/web:v1');
  const web = normalizeReference('web');
  assert.deepEqual(web, { name: 'docker.io/library/web', domain: 'docker.io', path: 'library/web', tag: 'latest', digest: undefined, string: 'docker.io/library/web:latest' });
  assert.equal(normalizeReference('team/web').string, 'docker.io/team/web:latest');
});

test('a first component with a dot, a port or localhost is a registry domain', () => {
  const r = normalizeReference('localhost:5000/x/y:t');
  assert.equal(r.domain, 'localhost:5000');
  assert.equal(r.path, 'x/y');
  assert.equal(r.string, 'localhost:5000/x/y:t');
  assert.equal(normalizeReference('localhost/web').string, 'localhost/web:latest');
  assert.equal(normalizeReference('quay.io/org/app').string, 'quay.io/org/app:latest');
  assert.equal(normalizeReference('127.0.0.1:5000/app:1.0').domain, '127.0.0.1:5000');
  assert.equal(normalizeReference('[::1]:5000/app').domain, '[::1]:5000');
});

test('a digest pins the reference and no latest tag is added', () => {
  const r = normalizeReference(`web@sha256:${HEX}`);
  assert.equal(r.tag, undefined);
  assert.equal(r.digest, `sha256:${HEX}`);
  assert.equal(r.string, `docker.io/library/web@sha256:${HEX}`);
  assert.equal(normalizeReference(`web:v1@sha256:${HEX}`).string, `docker.io/library/web:v1@sha256:${HEX}`);
});

test('invalid references are rejected with docker\'s messages', () => {
  const cases: [string, string][] = [
    ['', 'invalid reference format: repository name must have at least one component'],
    ['Web:v1', 'invalid reference format: repository name (library/Web) must be lowercase'],
    [HEX, `invalid repository name (${HEX}), cannot specify 64-byte hexadecimal strings`],
    ['web:', 'invalid reference format'],
    ['web:-bad', 'invalid reference format'],
    ['-web', 'invalid reference format'],
    ['web//x', 'invalid reference format'],
    ['web:v1 ', 'invalid reference format'],
    [`web:${'t'.repeat(129)}`, 'invalid reference format'],
    ['web@sha256:abc', 'invalid reference format'],
    [`web@sha256:${'a'.repeat(63)}`, 'invalid checksum digest length'],
    [`web@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm'],
    [`example.com/${'a'.repeat(250)}`, 'repository name must not be more than 255 characters'],
  ];
  for (const [ref, message] of cases) {
    assert.throws(() => normalizeReference(ref), { name: 'InvalidReferenceError', message }, `reference ${JSON.stringify(ref)}`);
  }
});

test('the familiar form drops docker.io and library/', () => {
  assert.equal(familiarName('docker.io/library/web'), 'web');
  assert.equal(familiarName('docker.io/team/web'), 'team/web');
  assert.equal(familiarName('localhost:5000/web'), 'localhost:5000/web');
});
