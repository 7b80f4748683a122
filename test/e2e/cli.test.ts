// The navarch command line: help, one-line errors for bad input, clean shutdown on SIGTERM,
// and a certificate authority created once and reused across restarts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { TestServer, NAVARCH, run } from './harness.ts';

const servers: TestServer[] = [];
after(async () => { for (const s of servers) await s.cleanup(); });

test('navarch --help lists the commands and navarch server --help every flag', async () => {
  const top = await run(NAVARCH, ['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /Usage: navarch <command>/);
  assert.match(top.stdout, /^\s+server\s+Run a single-node control plane/m);
  const server = await run(NAVARCH, ['server', '--help']);
  assert.equal(server.code, 0);
  for (const flag of ['--data-dir DIR', '--port N', '--bind-address ADDR', '--store KIND', '--etcd-endpoints URL,...', '--help']) {
    assert.ok(server.stdout.includes(flag), `server --help lacks ${flag}:\n${server.stdout}`);
  }
  assert.match(server.stdout, /default \/var\/lib\/navarch/);
  assert.match(server.stdout, /default 6443/);
});

test('bad input gets a one-line message and a non-zero exit', async () => {
  const cases: [string[], RegExp, number][] = [
    [['frobnicate'], /^navarch: unknown command "frobnicate"; run "navarch --help" for the list\n$/, 2],
    [['server', '--nope'], /^navarch server: Unknown option '--nope'.*; run "navarch server --help"\n$/, 2],
    [['server', '--port', 'abc', '--data-dir', '/tmp/navarch-never'], /^navarch server: --port must be a number from 0 to 65535, got "abc"\n$/, 1],
    [['server', '--store', 'mysql', '--data-dir', '/tmp/navarch-never'], /^navarch server: --store must be "sqlite" or "etcd", got "mysql"\n$/, 1],
    [['server', '--store', 'etcd', '--data-dir', '/tmp/navarch-never'], /^navarch server: --store etcd needs --etcd-endpoints URL\[,URL\.\.\.\]\n$/, 1],
  ];
  for (const [args, message, code] of cases) {
    const r = await run(NAVARCH, args);
    assert.equal(r.code, code, `navarch ${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('the server writes a private kubeconfig, answers /readyz anonymously, and stops cleanly on SIGTERM', async () => {
  const s = new TestServer(['--disable-agent']);
  servers.push(s);
  await s.start();
  assert.equal(statSync(s.kubeconfig).mode & 0o777, 0o600);
  const port = Number(new URL(s.url).port);
  const get = (path: string) => new Promise<{ code: number; body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
  assert.deepEqual(await get('/readyz'), { code: 200, body: 'ok' });
  const denied = await get('/api/v1/namespaces');
  assert.equal(denied.code, 401);
  assert.equal(JSON.parse(denied.body).reason, 'Unauthorized');
  const ca = /certificate-authority-data: (\S+)/.exec(readFileSync(s.kubeconfig, 'utf8'))![1];
  assert.equal(await s.stop('SIGTERM'), 0);
  await assert.rejects(get('/readyz'));
  await s.start();
  assert.equal(/certificate-authority-data: (\S+)/.exec(readFileSync(s.kubeconfig, 'utf8'))![1], ca, 'the CA is reused across restarts');
  const r = await s.kubectl('1.33', ['get', 'ns', 'default', '-o', 'name']);
  assert.equal(r.stdout.trim(), 'namespace/default', r.stderr);
});
