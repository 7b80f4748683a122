import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import { inflateSync, constants } from 'node:zlib';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { encode, FrameParser, FLAG_FIN, RstStatus, SettingsId, type Frame } from './frames.ts';
import { HeaderCompressor, HeaderDecompressor, encodeHeaderBlock, decodeHeaderBlock } from './header-block.ts';
import { SPDY3_HEADER_DICTIONARY } from './dictionary.ts';
import { SpdyConnection, DEFAULT_WINDOW } from './connection.ts';
import type { SpdyStream } from './stream.ts';

test('the header dictionary is the 1423 bytes of the SPDY/3 spec', () => {
  assert.equal(SPDY3_HEADER_DICTIONARY.length, 1423);
  assert.equal(createHash('sha256').update(SPDY3_HEADER_DICTIONARY).digest('hex'), '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
});

test('frames survive encoding and parsing even when split at every byte', () => {
  const block = Buffer.from('compressed-headers');
  const wire = Buffer.concat([
    encode.synStream(1, 0, 3, FLAG_FIN, block),
    encode.synReply(1, 0, block),
    encode.headers(3, FLAG_FIN, block),
    encode.data(1, Buffer.from('hello'), true),
    encode.rstStream(5, RstStatus.Cancel),
    encode.settings([{ id: SettingsId.InitialWindowSize, value: 1 << 20 }]),
    encode.ping(7),
    encode.goAway(9, 0),
    encode.windowUpdate(0, 4096),
  ]);
  const parser = new FrameParser();
  const frames: Frame[] = [];
  for (const b of wire) frames.push(...parser.push(Buffer.from([b])));
  assert.deepEqual(frames.map((f) => f.kind), ['synStream', 'synReply', 'headers', 'data', 'rstStream', 'settings', 'ping', 'goAway', 'windowUpdate']);
  assert.deepEqual(frames[0], { kind: 'synStream', streamId: 1, associatedId: 0, priority: 3, flags: FLAG_FIN, headerBlock: block });
  assert.deepEqual(frames[3], { kind: 'data', streamId: 1, flags: FLAG_FIN, data: Buffer.from('hello') });
  assert.deepEqual(frames[5], { kind: 'settings', flags: 0, entries: [{ flags: 0, id: SettingsId.InitialWindowSize, value: 1 << 20 }] });
  assert.deepEqual(frames[8], { kind: 'windowUpdate', streamId: 0, delta: 4096 });
  // The first word of a SPDY/3 SYN_STREAM, as seen from kubectl: 80 03 00 01.
  assert.deepEqual([...wire.subarray(0, 4)], [0x80, 0x03, 0x00, 0x01]);
});

test('header blocks keep order and join repeated values with NUL', () => {
  const h = { streamtype: 'error', port: '8080', 'x-multi': 'a\0b' };
  assert.deepEqual(decodeHeaderBlock(encodeHeaderBlock(h)), h);
  assert.throws(() => decodeHeaderBlock(Buffer.from([0, 0, 0, 1, 0, 0, 0, 9])), /truncated/);
});

test('header compression shares one zlib context per direction and inflates with the SPDY dictionary', async () => {
  const c = new HeaderCompressor();
  const d = new HeaderDecompressor();
  try {
    const first = await c.compress({ streamtype: 'stdout', requestid: '0' });
    const second = await c.compress({ streamtype: 'stdout', requestid: '1' });
    // Repeated headers compress to a back-reference into the shared window.
    assert.ok(second.length < first.length, `${second.length} < ${first.length}`);
    // An independent inflate primed with the dictionary reads the first block.
    const plain = inflateSync(first, { dictionary: SPDY3_HEADER_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    assert.deepEqual(decodeHeaderBlock(plain), { streamtype: 'stdout', requestid: '0' });
    // The second block alone is not decodable: it needs the context of the first.
    assert.deepEqual(await d.decompress(first), { streamtype: 'stdout', requestid: '0' });
    assert.deepEqual(await d.decompress(second), { streamtype: 'stdout', requestid: '1' });
  } finally {
    c.close();
    d.close();
  }
});

/** A client and a server session over a loopback TCP connection. */
async function pair(t: import('node:test').TestContext, opts: { flow?: 'always' } = {}) {
  const sockets: Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const clientSocket = connect(port, '127.0.0.1');
  await once(clientSocket, 'connect');
  while (!sockets.length) await new Promise((r) => setTimeout(r, 5));
  const client = new SpdyConnection(clientSocket, { role: 'client', sendFlowControl: opts.flow });
  const srv = new SpdyConnection(sockets[0], { role: 'server', sendFlowControl: opts.flow });
  t.after(() => { client.destroy(); srv.destroy(); server.close(); });
  return { client, server: srv };
}

function nextStream(conn: SpdyConnection): Promise<SpdyStream> {
  return new Promise((resolve) => conn.once('stream', resolve));
}

async function readAll(s: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts).toString();
}

test('a stream carries headers, data both ways and half-closes each side', async (t) => {
  const { client, server } = await pair(t);
  const incoming = nextStream(server);
  const opening = client.openStream({ streamtype: 'stdin', port: '80' });
  const s = await incoming;
  assert.deepEqual(s.headers, { streamtype: 'stdin', port: '80' });
  assert.equal(s.id, 1);
  await s.reply({ ok: 'yes' });
  const c = await opening;
  assert.deepEqual(c.replyHeaders, { ok: 'yes' });
  c.end('ping from client');
  assert.equal(await readAll(s), 'ping from client');
  // The server side can still write after the client half-closed.
  s.end('pong from server');
  assert.equal(await readAll(c), 'pong from server');
  await new Promise((r) => setImmediate(r));
  assert.equal(server.streamCount, 0);
  assert.equal(client.streamCount, 0);
});

test('a reset stream ends for both sides and rejects a pending open', async (t) => {
  const { client, server } = await pair(t);
  server.once('stream', (s) => s.reset(RstStatus.RefusedStream));
  await assert.rejects(client.openStream({ streamtype: 'data' }), /reset \(status 3\)/);
  const incoming = nextStream(server);
  const opening = client.openStream({ streamtype: 'data' });
  const s = await incoming;
  await s.reply();
  const c = await opening;
  const closed = once(s, 'close');
  c.reset();
  await closed;
  assert.equal(s.resetStatus, RstStatus.Cancel);
  assert.equal(server.streamCount, 0);
});

test('pings are answered by the peer', async (t) => {
  const { client, server } = await pair(t);
  assert.ok(await client.ping() >= 0);
  assert.ok(await server.ping() >= 0);
});

test('large writes arrive intact in order', async (t) => {
  const { client, server } = await pair(t);
  const incoming = nextStream(server);
  const opening = client.openStream({});
  const s = await incoming;
  await s.reply();
  const c = await opening;
  const big = Buffer.alloc(3 * 1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = i % 251;
  const received = (async () => { const parts: Buffer[] = []; for await (const x of s) parts.push(x as Buffer); return Buffer.concat(parts); })();
  c.end(big);
  assert.ok((await received).equals(big));
});

test('with flow control a sender stops at the peer window until the reader consumes', async (t) => {
  const { client, server } = await pair(t, { flow: 'always' });
  const incoming = nextStream(server);
  const opening = client.openStream({});
  const s = await incoming;
  await s.reply();
  const c = await opening;
  s.pause();
  const total = DEFAULT_WINDOW * 3;
  let written = false;
  c.end(Buffer.alloc(total, 7), () => { written = true; });
  await new Promise((r) => setTimeout(r, 200));
  // Only one window's worth could be sent while nobody reads.
  assert.equal(s.readableLength, DEFAULT_WINDOW);
  assert.equal(written, false);
  let got = 0;
  s.on('data', (d: Buffer) => { got += d.length; });
  s.resume();
  await once(s, 'end');
  assert.equal(got, total);
});

test('close sends GOAWAY and the peer refuses no further streams of its own', async (t) => {
  const { client, server } = await pair(t);
  const away = once(client, 'goaway');
  const closing = server.close();
  await away;
  await assert.rejects(client.openStream({}), /closing|closed/);
  await closing;
  await client.closed;
});

test('close sends what streams were given just before, then their FIN', async (t) => {
  const { client, server } = await pair(t);
  const incoming = nextStream(server);
  const opening = client.openStream({ streamtype: 'error' });
  const s = await incoming;
  await s.reply();
  const c = await opening;
  s.end('{"status":"Failure"}');
  void server.close();
  assert.equal(await readAll(c), '{"status":"Failure"}');
});
