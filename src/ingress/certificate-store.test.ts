import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type { KubeObject } from '../client/api-client.ts';
import { CertificateStore, loadTlsSecret, tlsBindings } from './certificate-store.ts';
import { DEFAULT_CERTIFICATE_CN, selfSignedCertificate, type CertificatePem } from './default-certificate.ts';

const tlsSecret = (name: string, pem: CertificatePem, ns = 'default'): KubeObject => ({
  metadata: { name, namespace: ns }, type: 'kubernetes.io/tls',
  data: { 'tls.crt': Buffer.from(pem.cert).toString('base64'), 'tls.key': Buffer.from(pem.key).toString('base64') },
});
const ing = (name: string, tls: KubeObject[], age: number): KubeObject =>
  ({ metadata: { name, namespace: 'default', creationTimestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, age)).toISOString() }, spec: { tls } });

test('the default certificate is self-signed for the controller and names what it is', async () => {
  const pem = await selfSignedCertificate();
  const x = new X509Certificate(pem.cert);
  assert.equal(x.subject, `CN=${DEFAULT_CERTIFICATE_CN}`);
  assert.equal(x.issuer, x.subject);
  assert.ok(x.checkPrivateKey((await import('node:crypto')).createPrivateKey(pem.key)));
});

test('SNI picks the secret bound to the exact host, then to its wildcard, then the default', async () => {
  const [def, shop, wild] = await Promise.all([selfSignedCertificate(), selfSignedCertificate('shop', ['shop.test']), selfSignedCertificate('wild', ['*.apps.test'])]);
  const store = new CertificateStore(def);
  store.setSecret(tlsSecret('shop-tls', shop));
  store.setSecret(tlsSecret('wild-tls', wild));
  store.setBindings(tlsBindings([ing('a', [{ hosts: ['shop.test'], secretName: 'shop-tls' }, { hosts: ['*.apps.test'], secretName: 'wild-tls' }], 1)]));
  assert.equal(store.select('shop.test').secret, 'default/shop-tls');
  assert.equal(store.select('SHOP.test').secret, 'default/shop-tls', 'case does not matter');
  assert.equal(store.select('one.apps.test').secret, 'default/wild-tls');
  assert.equal(store.select('a.b.apps.test').secret, undefined, 'a wildcard covers one label');
  assert.equal(store.select('unknown.test').secret, undefined);
  assert.equal(store.select(undefined).secret, undefined, 'no SNI');
});

test('a tls entry without hosts serves the names in its certificate', async () => {
  const [def, multi] = await Promise.all([selfSignedCertificate(), selfSignedCertificate('multi', ['a.test', '*.b.test'])]);
  const store = new CertificateStore(def);
  store.setSecret(tlsSecret('multi', multi));
  store.setBindings(tlsBindings([ing('a', [{ secretName: 'multi' }], 1)]));
  assert.equal(store.select('a.test').secret, 'default/multi');
  assert.equal(store.select('x.b.test').secret, 'default/multi');
  assert.equal(store.select('c.test').secret, undefined);
});

test('the older Ingress wins a host; a missing or broken secret falls through to the next, then the default', async () => {
  const [def, one, two] = await Promise.all([selfSignedCertificate(), selfSignedCertificate('one', ['x.test']), selfSignedCertificate('two', ['x.test'])]);
  const store = new CertificateStore(def);
  store.setSecret(tlsSecret('one', one));
  store.setSecret(tlsSecret('two', two));
  const bindings = tlsBindings([ing('old', [{ hosts: ['x.test'], secretName: 'one' }], 1), ing('new', [{ hosts: ['x.test'], secretName: 'two' }], 2)]);
  store.setBindings(bindings);
  assert.equal(store.select('x.test').secret, 'default/one');
  // The key of another certificate: the secret cannot serve.
  const reason = store.setSecret(tlsSecret('one', { cert: one.cert, key: two.key }));
  assert.ok(reason, 'a key that does not match its certificate is refused');
  assert.equal(store.select('x.test').secret, 'default/two');
  assert.match(store.problems().get('default/one') ?? '', /./);
  store.deleteSecret(tlsSecret('two', two));
  assert.equal(store.select('x.test').secret, undefined);
  assert.match(store.problems().get('default/two') ?? '', /does not exist/);
  store.setSecret(tlsSecret('one', one));
  assert.equal(store.select('x.test').secret, 'default/one', 'a repaired secret serves again');
});

test('secrets without tls.crt or tls.key are refused with a reason', () => {
  assert.match(loadTlsSecret({ metadata: { name: 's', namespace: 'default' }, data: {} }).error ?? '', /no tls.crt or tls.key/);
  assert.ok(loadTlsSecret({ metadata: { name: 's', namespace: 'default' }, data: { 'tls.crt': 'bm90IGEgY2VydA==', 'tls.key': 'bm9wZQ==' } }).error);
});
