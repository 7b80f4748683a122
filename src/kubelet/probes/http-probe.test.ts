import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { CertificateAuthority } from '../../apiserver/pki/pki.ts';
import { httpGetRequestFor, probeHttp } from './http-probe.ts';
import { PortError } from './container-port.ts';
import { freePort, startHttp, startHttps } from './test-servers.ts';
import type { Running } from './test-servers.ts';

const container = { name: 'app', ports: [{ name: 'web', containerPort: 1 }] };

function request(port: number, path: string, extra: Record<string, unknown> = {}, timeoutMs = 2000) {
  return httpGetRequestFor({ path, port, ...extra }, container, '127.0.0.1', 'probe', timeoutMs);
}

async function withServer(handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void, body: (s: Running) => Promise<void>) {
  const server = await startHttp(handler);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

test('a 200 answer succeeds with the body, and the request carries kube-probe/1.33, Accept */* and the spec headers', async () => {
  let seen: IncomingMessage | undefined;
  await withServer((req, res) => { seen = req; res.end('ok'); }, async (s) => {
    const out = await probeHttp(request(s.port, '/healthz?verbose=1', { httpHeaders: [{ name: 'X-Custom', value: 'a' }, { name: 'X-Custom', value: 'b' }] }));
    assert.deepEqual(out, { result: 'success', output: 'ok' });
  });
  assert.equal(seen!.url, '/healthz?verbose=1');
  assert.equal(seen!.headers['user-agent'], 'kube-probe/1.33');
  assert.equal(seen!.headers.accept, '*/*');
  assert.equal(seen!.headers['x-custom'], 'a, b');
  assert.equal(seen!.headers.connection, 'close');
});

test('spec headers replace User-Agent and Host, and an empty Accept is left out', async () => {
  let seen: IncomingMessage | undefined;
  await withServer((req, res) => { seen = req; res.end(); }, async (s) => {
    const out = await probeHttp(request(s.port, '/', {
      httpHeaders: [{ name: 'User-Agent', value: 'mine' }, { name: 'Host', value: 'example.test' }, { name: 'Accept', value: '' }],
    }));
    assert.equal(out.result, 'success');
  });
  assert.equal(seen!.headers['user-agent'], 'mine');
  assert.equal(seen!.headers.host, 'example.test');
  assert.equal(seen!.headers.accept, undefined);
});

test('a 5xx or 4xx answer fails with upstream\'s statuscode message', async () => {
  await withServer((req, res) => { res.statusCode = req.url === '/missing' ? 404 : 503; res.end('down'); }, async (s) => {
    assert.deepEqual(await probeHttp(request(s.port, '/healthz')), { result: 'failure', output: 'HTTP probe failed with statuscode: 503' });
    assert.deepEqual(await probeHttp(request(s.port, '/missing')), { result: 'failure', output: 'HTTP probe failed with statuscode: 404' });
  });
});

test('a refused connection fails with Go\'s dial error text', async () => {
  const port = await freePort();
  const out = await probeHttp(request(port, '/healthz'));
  assert.deepEqual(out, {
    result: 'failure',
    output: `Get "http://127.0.0.1:${port}/healthz": dial tcp 127.0.0.1:${port}: connect: connection refused`,
  });
});

test('a server that does not answer within the timeout fails with the client timeout text', async () => {
  await withServer(() => { /* never answers */ }, async (s) => {
    const started = Date.now();
    const out = await probeHttp(request(s.port, '/slow', {}, 200));
    assert.equal(out.result, 'failure');
    assert.equal(out.output, `Get "http://127.0.0.1:${s.port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
    assert.ok(Date.now() - started < 1500, 'gave up near the timeout');
  });
});

test('a peer that closes without answering reads as EOF', async () => {
  await withServer((req) => { req.socket.destroy(); }, async (s) => {
    const out = await probeHttp(request(s.port, '/'));
    assert.deepEqual(out, { result: 'failure', output: `Get "http://127.0.0.1:${s.port}/": EOF` });
  });
});

test('redirects on the same host are followed to the final answer', async () => {
  const paths: string[] = [];
  await withServer((req, res) => {
    paths.push(req.url!);
    if (req.url === '/a') { res.writeHead(302, { location: '/b' }); res.end(); return; }
    if (req.url === '/b') { res.writeHead(301, { location: `http://127.0.0.1:${(req.socket.localPort)}/c` }); res.end(); return; }
    res.end('final');
  }, async (s) => {
    assert.deepEqual(await probeHttp(request(s.port, '/a')), { result: 'success', output: 'final' });
  });
  assert.deepEqual(paths, ['/a', '/b', '/c']);
});

test('a redirect to another host is not followed: success with a warning that quotes the body', async () => {
  const paths: string[] = [];
  await withServer((req, res) => {
    paths.push(req.url!);
    res.writeHead(302, { location: 'http://elsewhere.invalid/x' });
    res.end('moved');
  }, async (s) => {
    assert.deepEqual(await probeHttp(request(s.port, '/')), { result: 'warning', output: 'Probe terminated redirects, Response body: moved' });
  });
  assert.deepEqual(paths, ['/']);
});

test('a redirect loop stops at the tenth redirect and fails', async () => {
  let count = 0;
  await withServer((req, res) => { count++; res.writeHead(307, { location: '/loop' }); res.end(); }, async (s) => {
    assert.deepEqual(await probeHttp(request(s.port, '/loop')), { result: 'failure', output: 'Get "/loop": stopped after 10 redirects' });
  });
  assert.equal(count, 10);
});

test('only the first 10 KiB of the body are read: an endless body still succeeds', async () => {
  let closed = false;
  await withServer((req, res) => {
    res.on('close', () => { closed = true; });
    res.write('x'.repeat(64 * 1024));
    // never ends
  }, async (s) => {
    const out = await probeHttp(request(s.port, '/big', {}, 2000));
    assert.equal(out.result, 'success');
    assert.equal(out.output.length, 10 * 1024);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(closed, 'the probe hung up');
  });
});

test('the port may name a container port; an unknown name is a port error', () => {
  const named = httpGetRequestFor({ port: 'web' }, container, '10.0.0.5', 'probe', 1000);
  assert.equal(named.port, 1);
  assert.equal(named.host, '10.0.0.5');
  assert.equal(httpGetRequestFor({ port: '8080' }, container, '10.0.0.5', 'probe', 1000).port, 8080);
  assert.throws(() => httpGetRequestFor({ port: 'nope' }, container, '10.0.0.5', 'probe', 1000),
    (e: unknown) => e instanceof PortError && e.message === 'strconv.Atoi: parsing "nope": invalid syntax');
  assert.throws(() => httpGetRequestFor({ port: 70000 }, container, '10.0.0.5', 'probe', 1000), /invalid port number: 70000/);
});

let dir: string;
let serving: { cert: string; key: string };
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'probes-tls-'));
  const ca = await CertificateAuthority.loadOrCreate(join(dir, 'pki'));
  serving = await ca.issueServing([{ type: 'ip', value: '127.0.0.1' }]);
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

test('HTTPS probes do not verify the serving certificate', async () => {
  const server = await startHttps((req, res) => res.end('secure'), serving.cert, serving.key);
  try {
    assert.deepEqual(await probeHttp(request(server.port, '/', { scheme: 'HTTPS' })), { result: 'success', output: 'secure' });
  } finally {
    await server.close();
  }
});

test('HTTPS against a plain HTTP server fails as Go words it', async () => {
  await withServer((req, res) => res.end('plain'), async (s) => {
    const out = await probeHttp(request(s.port, '/', { scheme: 'HTTPS' }));
    assert.deepEqual(out, { result: 'failure', output: `Get "https://127.0.0.1:${s.port}/": http: server gave HTTP response to HTTPS client` });
  });
});
