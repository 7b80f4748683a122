import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../client/api-client.ts';
import { normalizeHost, pathMatches, requestPath, RouteTable, wildcardFor, type RouteMatch } from './route-table.ts';

let seq = 0;
/** An Ingress; `age` orders creation (smaller is older). */
function ing(name: string, spec: KubeObject, age = seq++, namespace = 'default'): KubeObject {
  return Object.freeze({ metadata: { name, namespace, creationTimestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, age)).toISOString() }, spec });
}
const path = (p: string, svc: string, pathType = 'Prefix', port: KubeObject = { number: 80 }) => ({ path: p, pathType, backend: { service: { name: svc, port } } });
const rule = (host: string | undefined, ...paths: KubeObject[]) => ({ ...(host === undefined ? {} : { host }), http: { paths } });

/** The service a match goes to, `default:<svc>` for a default backend, or 404. */
function target(m: RouteMatch): string {
  if (m.kind === 'none') return '404';
  if (m.kind === 'default') return `default:${m.backend.service?.name}`;
  return m.route.backend.service?.name ?? '?';
}
const go = (t: RouteTable, host: string | undefined, p: string) => target(t.match(host, p));

test('Prefix matches whole path elements: /foo matches /foo, /foo/ and /foo/bar but not /foobar', () => {
  for (const [rulePath, req, want] of [
    ['/foo', '/foo', true], ['/foo', '/foo/', true], ['/foo', '/foo/bar', true], ['/foo', '/foobar', false],
    ['/foo/', '/foo', true], ['/foo/', '/foo/', true], ['/aaa/bb', '/aaa/bbb', false], ['/aaa/bbb', '/aaa/bbb/ccc', true],
    ['/aaa/bbb/', '/aaa/bbb', true], ['/aaa/bbb', '/aaabbb', false], ['/', '/anything/at/all', true], ['/', '/', true],
  ] as const) {
    assert.equal(pathMatches('Prefix', rulePath, req), want, `Prefix ${rulePath} vs ${req}`);
  }
});

test('Exact matches only the identical path, trailing slash included', () => {
  assert.equal(pathMatches('Exact', '/foo', '/foo'), true);
  assert.equal(pathMatches('Exact', '/foo', '/foo/'), false);
  assert.equal(pathMatches('Exact', '/foo/', '/foo'), false);
  assert.equal(pathMatches('Exact', '/foo', '/foo/bar'), false);
  assert.equal(pathMatches('Exact', '/foo', '/bar'), false);
});

test('ImplementationSpecific is treated as Prefix', () => {
  const t = new RouteTable([ing('a', { rules: [rule('x.test', path('/api', 'api', 'ImplementationSpecific'))] })]);
  assert.equal(go(t, 'x.test', '/api'), 'api');
  assert.equal(go(t, 'x.test', '/api/v1'), 'api');
  assert.equal(go(t, 'x.test', '/apis'), '404');
  assert.equal(pathMatches('ImplementationSpecific', '/api', '/api/x'), true);
});

test('the longest matching path wins, whatever the order the rules were written in', () => {
  const t = new RouteTable([ing('a', { rules: [rule('x.test', path('/', 'root'), path('/a', 'a'), path('/a/b/c', 'abc'), path('/a/b', 'ab'))] })]);
  assert.equal(go(t, 'x.test', '/'), 'root');
  assert.equal(go(t, 'x.test', '/z'), 'root');
  assert.equal(go(t, 'x.test', '/a'), 'a');
  assert.equal(go(t, 'x.test', '/a/bx'), 'a');
  assert.equal(go(t, 'x.test', '/a/b'), 'ab');
  assert.equal(go(t, 'x.test', '/a/b/c/d'), 'abc');
});

test('at equal length Exact beats Prefix; a longer Prefix beats a shorter Exact', () => {
  const t = new RouteTable([ing('a', { rules: [rule('x.test', path('/foo', 'prefix'), path('/foo', 'exact', 'Exact'), path('/foo/bar', 'longer'), path('/', 'slash', 'Exact'))] })]);
  assert.equal(go(t, 'x.test', '/foo'), 'exact');
  assert.equal(go(t, 'x.test', '/foo/'), 'prefix');
  assert.equal(go(t, 'x.test', '/foo/bar'), 'longer');
  assert.equal(go(t, 'x.test', '/'), 'slash');
  assert.equal(go(t, 'x.test', '/other'), '404');
});

test('an exact host beats a wildcard, a wildcard covers exactly one label, and host-less rules catch the rest', () => {
  const t = new RouteTable([ing('a', {
    rules: [rule('*.example.com', path('/', 'wild')), rule('www.example.com', path('/', 'www')), rule(undefined, path('/', 'any'))],
  })]);
  assert.equal(go(t, 'www.example.com', '/'), 'www');
  assert.equal(go(t, 'shop.example.com', '/'), 'wild');
  assert.equal(go(t, 'a.b.example.com', '/'), 'any', 'two labels are not covered by *.example.com');
  assert.equal(go(t, 'example.com', '/'), 'any', 'the bare domain is not covered by *.example.com');
  assert.equal(go(t, 'elsewhere.org', '/'), 'any');
  assert.equal(go(t, undefined, '/'), 'any', 'no Host header');
});

test('hosts compare without case, port or trailing dot', () => {
  const t = new RouteTable([ing('a', { rules: [rule('Foo.Example.com', path('/', 'foo'))] })]);
  assert.equal(go(t, 'FOO.example.COM:8080', '/'), 'foo');
  assert.equal(go(t, 'foo.example.com.', '/'), 'foo');
  assert.equal(normalizeHost('[::1]:443'), '::1');
  assert.equal(normalizeHost('::1'), '::1');
  assert.equal(wildcardFor('a.b.c'), '*.b.c');
  assert.equal(wildcardFor('localhost'), undefined);
});

test('a host with rules but no matching path does not fall to the host-less rules (a host is its own server)', () => {
  const t = new RouteTable([ing('a', { rules: [rule('x.test', path('/app', 'app')), rule(undefined, path('/', 'any'))] })]);
  assert.equal(go(t, 'x.test', '/app/1'), 'app');
  assert.equal(go(t, 'x.test', '/other'), '404');
  assert.equal(go(t, 'y.test', '/other'), 'any');
});

test('rules of several Ingresses merge per host, and the older Ingress wins the same host and path', () => {
  const newer = ing('newer', { rules: [rule('x.test', path('/shared', 'new-shared'), path('/b', 'b'))] }, 20);
  const older = ing('older', { rules: [rule('x.test', path('/shared', 'old-shared'), path('/a', 'a'))] }, 10);
  const t = new RouteTable([newer, older]);
  assert.equal(go(t, 'x.test', '/a'), 'a');
  assert.equal(go(t, 'x.test', '/b'), 'b');
  assert.equal(go(t, 'x.test', '/shared'), 'old-shared');
  assert.deepEqual(t.ingresses.map((i) => i.metadata.name), ['older', 'newer']);
  const m = t.match('x.test', '/b');
  assert.equal(m.kind === 'path' && m.route.ingress, 'default/newer');
  // Same creation second: the namespace/name decides, so the result does not depend on list order.
  const t1 = new RouteTable([ing('b', { rules: [rule('y.test', path('/', 'from-b'))] }, 5), ing('a', { rules: [rule('y.test', path('/', 'from-a'))] }, 5)]);
  assert.equal(go(t1, 'y.test', '/'), 'from-a');
});

test('Prefix /foo and /foo/ are the same rule; Exact /foo and Prefix /foo are not', () => {
  const t = new RouteTable([
    ing('a', { rules: [rule('x.test', path('/foo', 'first'))] }, 1),
    ing('b', { rules: [rule('x.test', path('/foo/', 'second'), path('/foo', 'exact', 'Exact'))] }, 2),
  ]);
  assert.equal(go(t, 'x.test', '/foo/x'), 'first');
  assert.equal(go(t, 'x.test', '/foo'), 'exact');
});

test('what matches no rule goes to the host\'s Ingress default backend, else any of ours, else 404', () => {
  const t = new RouteTable([
    ing('catch-all', { defaultBackend: { service: { name: 'global', port: { number: 80 } } } }, 1),
    ing('site', { defaultBackend: { service: { name: 'site-default', port: { number: 80 } } }, rules: [rule('site.test', path('/app', 'app'))] }, 2),
    ing('plain', { rules: [rule('plain.test', path('/app', 'plain-app'))] }, 3),
  ]);
  assert.equal(go(t, 'site.test', '/app'), 'app');
  assert.equal(go(t, 'site.test', '/nope'), 'default:site-default');
  assert.equal(go(t, 'plain.test', '/nope'), 'default:global');
  assert.equal(go(t, 'unknown.test', '/'), 'default:global');
  assert.equal(go(new RouteTable([ing('plain', { rules: [rule('plain.test', path('/app', 'x'))] })]), 'unknown.test', '/'), '404');
  assert.equal(go(new RouteTable([]), 'any', '/'), '404');
});

test('the oldest Ingress with a default backend provides the global one', () => {
  const t = new RouteTable([
    ing('young', { defaultBackend: { service: { name: 'young', port: { number: 80 } } } }, 9),
    ing('old', { defaultBackend: { service: { name: 'old', port: { number: 80 } } } }, 1),
  ]);
  assert.equal(go(t, 'x', '/'), 'default:old');
});

test('backends keep the port as given (number or name) and the Ingress namespace', () => {
  const t = new RouteTable([ing('a', { rules: [rule('x.test', path('/n', 'web', 'Prefix', { number: 8080 }), path('/s', 'web', 'Prefix', { name: 'http' }))] }, 1, 'shop')]);
  const n = t.match('x.test', '/n');
  const s = t.match('x.test', '/s');
  assert.deepEqual(n.kind === 'path' && n.route.backend, { namespace: 'shop', service: { name: 'web', port: { number: 8080 } } });
  assert.deepEqual(s.kind === 'path' && s.route.backend, { namespace: 'shop', service: { name: 'web', port: { name: 'http' } } });
});

test('a rule without http paths still makes its host a server of its own (its requests go to the default backend)', () => {
  const t = new RouteTable([ing('a', { defaultBackend: { service: { name: 'd', port: { number: 80 } } }, rules: [{ host: 'bare.test' }, rule(undefined, path('/', 'any'))] })]);
  assert.equal(go(t, 'bare.test', '/x'), 'default:d');
  assert.equal(go(t, 'other.test', '/x'), 'any');
});

test('request paths are matched decoded and normalized, so dot segments cannot slip past a rule', () => {
  assert.equal(requestPath('/a/b?x=1'), '/a/b');
  assert.equal(requestPath('/public/../admin'), '/admin');
  assert.equal(requestPath('/public/%2e%2e/admin'), '/admin');
  assert.equal(requestPath('//a///b/'), '/a/b/');
  assert.equal(requestPath('/a/./b/.'), '/a/b/');
  assert.equal(requestPath('/..'), '/');
  assert.equal(requestPath('/%zz'), '/%zz', 'malformed escapes stay as sent');
  assert.equal(requestPath('http://host.test/x/y?q'), '/x/y');
  assert.equal(requestPath(undefined), '/');
  assert.equal(requestPath('/caf%C3%A9'), '/café');
});
