// Forwarding of names outside the cluster to the host's resolvers (the nameservers of
// /etc/resolv.conf): the query as the client sent it, over UDP, again over TCP when the
// answer comes back truncated. Upstreams are tried in order, each next one started after a
// short stagger or as soon as the previous fails; the first usable answer wins. Within the
// deadline (2 s by default) or never: the caller answers SERVFAIL, no client hangs.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, isIP } from 'node:net';
import { randomInt } from 'node:crypto';
import type { Logger } from '../base/log.ts';

export interface Upstream { host: string; port: number }

export interface ForwarderOptions {
  upstreams: Upstream[];
  /** Give up after this long (ms) over all upstreams; default 2000. */
  timeoutMs?: number;
  /** Start the next upstream after this long without an answer (ms); default 400. */
  staggerMs?: number;
  log: Logger;
}

export const DEFAULT_FORWARD_TIMEOUT_MS = 2000;

/** The nameservers of a resolv.conf text, port 53 (glibc's default 127.0.0.1 when it names none). */
export function upstreamsFromResolvConf(text: string): Upstream[] {
  const out: Upstream[] = [];
  for (const line of text.split('\n')) {
    const f = line.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (f[0] !== 'nameserver' || !f[1]) continue;
    const host = f[1].replace(/%.*$/, '');
    if (isIP(host)) out.push({ host, port: 53 });
  }
  return out.length ? out : [{ host: '127.0.0.1', port: 53 }];
}

/** RFC 1035 rcodes an upstream may answer that mean "ask another". */
const RETRY_RCODES = new Set([2 /* SERVFAIL */, 4 /* NOTIMP */, 5 /* REFUSED */]);

const rcodeOf = (msg: Buffer) => msg.readUInt16BE(2) & 0xf;
const truncated = (msg: Buffer) => (msg.readUInt16BE(2) & 0x0200) !== 0;

/** The question section's bytes (to match an answer to its query), or undefined when unreadable. */
function questionBytes(msg: Buffer): Buffer | undefined {
  if (msg.length < 12 || msg.readUInt16BE(4) !== 1) return undefined;
  let o = 12;
  while (o < msg.length) {
    const len = msg[o]!;
    if (len === 0) { o += 1; break; }
    if ((len & 0xc0) !== 0) return undefined;
    o += 1 + len;
  }
  if (o + 4 > msg.length) return undefined;
  return msg.subarray(12, o + 4);
}

export class Forwarder {
  readonly #upstreams: Upstream[];
  readonly #timeoutMs: number;
  readonly #staggerMs: number;
  readonly #log: Logger;

  constructor(opts: ForwarderOptions) {
    this.#upstreams = opts.upstreams;
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS;
    this.#staggerMs = opts.staggerMs ?? 400;
    this.#log = opts.log;
  }

  get upstreams(): readonly Upstream[] { return this.#upstreams; }

  /**
   * The upstream's answer to a raw query, carrying the query's id; undefined when no upstream
   * answered usably in time. A SERVFAIL/REFUSED is returned only when nothing better came.
   */
  forward(query: Buffer): Promise<Buffer | undefined> {
    const question = questionBytes(query);
    if (!question || this.#upstreams.length === 0) return Promise.resolve(undefined);
    const id = query.readUInt16BE(0);
    return new Promise((resolve) => {
      const attempts: { cancel(): void }[] = [];
      let next = 0;
      let pending = 0;
      let fallback: Buffer | undefined;
      let done = false;
      let stagger: NodeJS.Timeout | undefined;
      const finish = (answer: Buffer | undefined) => {
        if (done) return;
        done = true;
        clearTimeout(deadline);
        clearTimeout(stagger);
        for (const a of attempts) a.cancel();
        if (answer) answer.writeUInt16BE(id, 0);
        resolve(answer);
      };
      const launch = () => {
        clearTimeout(stagger);
        if (done || next >= this.#upstreams.length) {
          if (!done && pending === 0) finish(fallback);
          return;
        }
        const upstream = this.#upstreams[next++]!;
        pending++;
        attempts.push(this.#ask(upstream, query, question, (answer) => {
          pending--;
          if (done) return;
          if (answer && !RETRY_RCODES.has(rcodeOf(answer))) { finish(answer); return; }
          if (answer) fallback ??= answer;
          launch();
        }));
        stagger = setTimeout(launch, this.#staggerMs);
      };
      const deadline = setTimeout(() => finish(fallback), this.#timeoutMs);
      launch();
    });
  }

  /** One upstream: UDP, then TCP when truncated. Calls back once (undefined on failure), unless cancelled. */
  #ask(upstream: Upstream, query: Buffer, question: Buffer, cb: (answer: Buffer | undefined) => void): { cancel(): void } {
    let cancelled = false;
    let udp: UdpSocket | undefined;
    let tcpCancel: (() => void) | undefined;
    let called = false;
    const once = (answer: Buffer | undefined) => {
      if (called || cancelled) return;
      called = true;
      cleanup();
      cb(answer);
    };
    const cleanup = () => { try { udp?.close(); } catch { /* closed already */ } udp = undefined; };
    const id = randomInt(0, 0x10000);
    const msg = Buffer.from(query);
    msg.writeUInt16BE(id, 0);
    const fail = (err: unknown) => {
      this.#log.debug('upstream failed', { upstream: `${upstream.host}:${upstream.port}`, err });
      once(undefined);
    };
    try {
      udp = createSocket(isIP(upstream.host) === 6 ? 'udp6' : 'udp4');
      udp.on('error', fail);
      udp.on('message', (reply) => {
        if (reply.length < 12 || reply.readUInt16BE(0) !== id || (reply.readUInt16BE(2) & 0x8000) === 0) return;
        const q = questionBytes(reply);
        if (q && !q.equals(question)) return;
        if (!truncated(reply)) { once(reply); return; }
        cleanup();
        tcpCancel = this.#askTcp(upstream, msg, id, (answer) => once(answer ?? reply));
      });
      // A failed connect (no route to the upstream) comes to this callback, not to 'error'.
      udp.connect(upstream.port, upstream.host, (err?: Error) => {
        if (err) { fail(err); return; }
        if (cancelled || !udp) return;
        udp.send(msg, (err) => { if (err) fail(err); });
      });
    } catch (err) {
      queueMicrotask(() => fail(err));
    }
    return { cancel: () => { cancelled = true; cleanup(); tcpCancel?.(); } };
  }

  #askTcp(upstream: Upstream, msg: Buffer, id: number, cb: (answer: Buffer | undefined) => void): () => void {
    let buf = Buffer.alloc(0);
    let called = false;
    const socket = connect({ host: upstream.host, port: upstream.port });
    const once = (answer: Buffer | undefined) => { if (!called) { called = true; socket.destroy(); cb(answer); } };
    socket.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(msg.length);
      socket.end(Buffer.concat([len, msg]));
    });
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 2) return;
      const n = buf.readUInt16BE(0);
      if (buf.length < 2 + n) return;
      const reply = buf.subarray(2, 2 + n);
      once(reply.length >= 12 && reply.readUInt16BE(0) === id ? Buffer.from(reply) : undefined);
    });
    socket.on('error', () => once(undefined));
    socket.on('close', () => once(undefined));
    return () => { called = true; socket.destroy(); };
  }
}
