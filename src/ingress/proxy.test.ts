import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, createServer, request, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { createLogger } from '../base/log.ts';
import type { Endpoint } from './endpoint-index.ts';
import { IngressProxy } from './proxy.ts';
import { startBackend as backend, deadPort, type Backend } from './testing/backends.ts';
import type { Decision } from './router.ts';

const log = createLogger({ component: 'ingress-proxy-test' });

interface Front { port: number; proxy: IngressProxy; close(): Promise<void> }

async function front(route: (host: string | undefined, target: string | undefined) => Decision, opts: { readTimeoutMs?: number } = {}): Promise<Front> {
  const agent = new Agent({ keepAlive: true });
  const proxy = new IngressProxy({ decide: route, agent, log, readTimeoutMs: opts.readTimeoutMs });
  const server = createServer((req, res) => proxy.handle(req, res, 'http'));
  server.on('upgrade', (req, socket, head) => proxy.upgrade(req, socket, head, 'http'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port, proxy,
    close: () => new Promise((r) => { proxy.closeUpgraded(); server.closeAllConnections(); server.close(() => { agent.destroy(); r(); }); }),
  };
}

const to = (...eps: Endpoint[]): Decision => ({ kind: 'proxy', key: 'default/web:80', endpoints: eps, backend: { namespace: 'default', service: { name: 'web', port: { number: 80 } } }, route: { kind: 'none' } });
const local = (port: number): Endpoint => ({ host: '127.0.0.1', port });

interface Reply { status: number; headers: IncomingHttpHeaders; body: string; rawHeaders: string[] }
function send(port: number, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string; agent?: Agent } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path ?? '/', headers: opts.headers, agent: opts.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

test('forwards method, target, Host and body; sets X-Forwarded-* and X-Real-IP over what the client sent; returns status and headers', async () => {
  let seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string } | undefined;
  const b = await backend((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      seen = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() };
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.writeHead(201, 'Made', { 'X-Backend': 'yes', 'Keep-Alive': 'timeout=77, max=9' });
      res.end('created');
    });
  });
  const f = await front(() => to(local(b.port)));
  try {
    const r = await send(f.port, { method: 'POST', path: '/items?x=1', body: 'hello', headers: { Host: 'shop.test', 'X-Forwarded-For': '6.6.6.6', 'X-Real-IP': '6.6.6.6', 'Content-Type': 'text/plain', Connection: 'keep-alive, X-Private', 'X-Private': 'secret', Expect: '100-continue' } });
    assert.equal(r.status, 201);
    assert.equal(r.body, 'created');
    assert.equal(r.headers['x-backend'], 'yes');
    assert.deepEqual(r.headers['set-cookie'], ['a=1', 'b=2']);
    assert.notEqual(r.headers['keep-alive'], 'timeout=77, max=9', "the backend's hop-by-hop headers stay behind");
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.url, '/items?x=1');
    assert.equal(seen?.body, 'hello');
    assert.equal(seen?.headers.host, 'shop.test');
    assert.equal(seen?.headers['content-type'], 'text/plain');
    assert.equal(seen?.headers['x-forwarded-for'], '127.0.0.1', 'a forged X-Forwarded-For is replaced');
    assert.equal(seen?.headers['x-real-ip'], '127.0.0.1');
    assert.equal(seen?.headers['x-forwarded-proto'], 'http');
    assert.equal(seen?.headers['x-forwarded-host'], 'shop.test');
    assert.equal(seen?.headers['x-forwarded-port'], String(f.port));
    assert.equal(seen?.headers['x-private'], undefined, 'headers named in Connection are not forwarded');
    assert.equal(seen?.headers.expect, undefined, 'the proxy answered Expect itself');
  } finally {
    await f.close();
    await b.close();
  }
});

test('streams response bodies: the client reads the first chunk before the backend finishes', async () => {
  let finish: (() => void) | undefined;
  const b = await backend((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('first;');
    finish = () => res.end('last');
  });
  const f = await front(() => to(local(b.port)));
  try {
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: f.port, path: '/' }, (res) => {
        let text = '';
        res.on('data', (c) => { text += c; if (text === 'first;') finish!(); });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(body, 'first;last');
  } finally {
    await f.close();
    await b.close();
  }
});

test('keeps backend connections alive: several requests share one connection', async () => {
  const b = await backend((_req, res) => res.end('ok'));
  const f = await front(() => to(local(b.port)));
  const client = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < 5; i++) assert.equal((await send(f.port, { agent: client })).body, 'ok');
    assert.equal(b.connections, 1);
  } finally {
    client.destroy();
    await f.close();
    await b.close();
  }
});

test('answers 404 and 503 itself with a page saying why', async () => {
  let decision: Decision = { kind: 'not-found', host: 'nowhere.test', path: '/x' };
  const f = await front(() => decision);
  try {
    const nf = await send(f.port, { path: '/x', headers: { Host: 'nowhere.test' } });
    assert.equal(nf.status, 404);
    assert.match(nf.headers['content-type'] ?? '', /text\/html/);
    assert.match(nf.body, /No Ingress rule matches host &#34;nowhere.test&#34;/);
    decision = { kind: 'unavailable', backend: { namespace: 'default', service: { name: 'web', port: { number: 80 } } }, route: { kind: 'none' }, message: 'service default/web has no ready endpoint for port 80' };
    const un = await send(f.port);
    assert.equal(un.status, 503);
    assert.match(un.body, /has no ready endpoint/);
  } finally {
    await f.close();
  }
});

test('a refused connection tries the next endpoint; with none left it is a 502', async () => {
  const b = await backend((_req, res) => res.end('alive'));
  const dead = await deadPort();
  let eps = [local(dead), local(b.port)];
  const f = await front(() => to(...eps));
  try {
    for (let i = 0; i < 4; i++) assert.equal((await send(f.port, { method: 'POST', body: 'payload' })).body, 'alive', `request ${i}`);
    eps = [local(dead)];
    const r = await send(f.port);
    assert.equal(r.status, 502);
    assert.match(r.body, /Could not reach the backend default\/web:80 at 127.0.0.1:\d+: ECONNREFUSED/);
  } finally {
    await f.close();
    await b.close();
  }
});

test('a backend that does not answer in time is a 504; one that dies mid-response cuts the client off', async () => {
  const b = await backend((req, res) => {
    if (req.url === '/slow') return; // never answers
    res.writeHead(200, { 'Content-Length': '100' });
    res.write('partial');
    setTimeout(() => res.socket?.destroy(), 20);
  });
  const f = await front(() => to(local(b.port)), { readTimeoutMs: 200 });
  try {
    const r = await send(f.port, { path: '/slow' });
    assert.equal(r.status, 504);
    assert.match(r.body, /did not answer in time/);
    await assert.rejects(send(f.port, { path: '/cut' }), /aborted|ECONNRESET|socket hang up/);
    assert.equal((await send(f.port, { path: '/slow' })).status, 504, 'the proxy still serves');
  } finally {
    await f.close();
    await b.close();
  }
});

test('a client that goes away mid-request does not disturb the proxy', async () => {
  let backendClosed = false;
  const b = await backend((req, res) => {
    req.on('close', () => { backendClosed = true; });
    res.writeHead(200);
    res.write('streaming');
  });
  const f = await front(() => to(local(b.port)));
  try {
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: f.port, path: '/' }, (res) => res.once('data', () => { req.destroy(); resolve(); }));
      req.on('error', () => { /* destroyed on purpose */ });
      req.on('error', reject);
      req.end();
    }).catch(() => undefined);
    for (let i = 0; i < 50 && !backendClosed; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(backendClosed, true, 'the backend request is torn down with the client');
  } finally {
    await f.close();
    await b.close();
  }
});

test('passes WebSocket upgrades through: messages echo both ways and the client sees the backend handshake', async () => {
  const b = await backend((_req, res) => { res.writeHead(426); res.end('upgrade required'); });
  const wss = new WebSocketServer({ server: b.server });
  let upgradeHeaders: IncomingHttpHeaders | undefined;
  wss.on('connection', (ws, req) => { upgradeHeaders = req.headers; ws.on('message', (m) => ws.send(`echo:${m}`)); });
  const f = await front(() => to(local(b.port)));
  const ws = new WebSocket(`ws://127.0.0.1:${f.port}/chat`, { headers: { Host: 'chat.test' } });
  try {
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const replies: string[] = [];
    ws.on('message', (m) => replies.push(String(m)));
    ws.send('one');
    ws.send('two');
    for (let i = 0; i < 100 && replies.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(replies, ['echo:one', 'echo:two']);
    assert.equal(upgradeHeaders?.host, 'chat.test');
    assert.equal(upgradeHeaders?.['x-forwarded-for'], '127.0.0.1');
    assert.equal(f.proxy.upgradedConnections, 1);
    ws.close();
    for (let i = 0; i < 100 && f.proxy.upgradedConnections > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(f.proxy.upgradedConnections, 0, 'closed connections are forgotten');
  } finally {
    ws.terminate();
    wss.close();
    await f.close();
    await b.close();
  }
});

test('an upgrade the backend never answers ends in a 504, and shutdown ends pending handshakes', async () => {
  const silent = createServer();
  silent.on('upgrade', () => { /* never answers */ });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const f = await front(() => to(local((silent.address() as AddressInfo).port)), { readTimeoutMs: 200 });
  const open = () => new Promise<string>((resolve, reject) => {
    const s: Socket = connect(f.port, '127.0.0.1', () => s.write('GET /ws HTTP/1.1\r\nHost: x.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'));
    let text = '';
    s.on('data', (c) => { text += c; });
    s.on('close', () => resolve(text));
    s.on('error', reject);
  });
  try {
    assert.match(await open(), /^HTTP\/1.1 504 Gateway Timeout[\s\S]*did not answer in time/);
    for (let i = 0; i < 50 && f.proxy.upgradedConnections > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(f.proxy.upgradedConnections, 0, 'the timed-out handshake is forgotten');
    const pending = open();
    for (let i = 0; i < 50 && f.proxy.upgradedConnections === 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(f.proxy.upgradedConnections, 1);
    f.proxy.closeUpgraded();
    assert.equal(await pending, '', 'the pending handshake was closed at shutdown, before any timeout');
  } finally {
    await f.close();
    silent.closeAllConnections();
    silent.close();
  }
});

test('an upgrade the backend declines or cannot take gets its answer, a 502, or a 503', async () => {
  const b = await backend((_req, res) => { res.writeHead(403, { 'Content-Type': 'text/plain' }); res.end('no sockets for you'); });
  const dead = await deadPort();
  let d: Decision = to(local(b.port));
  const f = await front(() => d);
  const upgrade = () => new Promise<string>((resolve, reject) => {
    const s: Socket = connect(f.port, '127.0.0.1', () => s.write('GET /ws HTTP/1.1\r\nHost: x.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'));
    let text = '';
    s.on('data', (c) => { text += c; });
    s.on('end', () => resolve(text));
    s.on('error', reject);
  });
  try {
    const declined = await upgrade();
    assert.match(declined, /^HTTP\/1.1 403 Forbidden/);
    assert.match(declined, /no sockets for you$/);
    d = to(local(dead));
    assert.match(await upgrade(), /^HTTP\/1.1 502 Bad Gateway[\s\S]*ECONNREFUSED/);
    d = { kind: 'unavailable', backend: { namespace: 'default', service: { name: 'web', port: { number: 80 } } }, route: { kind: 'none' }, message: 'service default/web does not exist' };
    assert.match(await upgrade(), /^HTTP\/1.1 503 Service Unavailable[\s\S]*does not exist/);
  } finally {
    await f.close();
    await b.close();
  }
});
