// The sockets of the cluster DNS: UDP and TCP (RFC 1035 length-prefixed, several queries per
// connection, answered as they complete) on one host and port. Port 0 picks a port free for
// both. Every message goes to a handler; a failing handler or a broken peer costs that one
// message or connection, never the process.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import type { Logger } from '../base/log.ts';
import type { Transport } from './query-handler.ts';

export type MessageHandler = (msg: Buffer, transport: Transport) => Promise<Buffer | undefined>;

export interface DnsServerOptions {
  host: string;
  port: number;
  handler: MessageHandler;
  log: Logger;
  /** Close a TCP connection idle this long (ms); default 10 s. */
  tcpIdleMs?: number;
  /** At most this many TCP connections at once (older ones beyond it are refused); default 256. */
  maxTcpConnections?: number;
}

export interface BoundAddress { host: string; port: number }

const BIND_ATTEMPTS = 20;

export class DnsServer {
  readonly #opts: DnsServerOptions;
  #udp: UdpSocket | undefined;
  #tcp: Server | undefined;
  readonly #conns = new Set<Socket>();
  #address: BoundAddress | undefined;

  constructor(opts: DnsServerOptions) {
    this.#opts = opts;
  }

  /** Where it listens, once listening. */
  get address(): BoundAddress | undefined { return this.#address; }

  /** Binds UDP and TCP on the same port (retrying with another when port 0's pick is taken for TCP). */
  async listen(): Promise<BoundAddress> {
    const { host, port } = this.#opts;
    for (let attempt = 1; ; attempt++) {
      const udp = await this.#bindUdp(host, port);
      const chosen = udp.address().port;
      try {
        this.#tcp = await this.#bindTcp(host, chosen);
      } catch (err) {
        udp.close();
        if (port === 0 && (err as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < BIND_ATTEMPTS) continue;
        throw err;
      }
      this.#udp = udp;
      this.#address = { host, port: chosen };
      return this.#address;
    }
  }

  async close(): Promise<void> {
    const udp = this.#udp, tcp = this.#tcp;
    this.#udp = undefined;
    this.#tcp = undefined;
    for (const c of this.#conns) c.destroy();
    this.#conns.clear();
    await Promise.all([
      udp && new Promise<void>((r) => udp.close(() => r())),
      tcp && new Promise<void>((r) => tcp.close(() => r())),
    ]);
  }

  #bindUdp(host: string, port: number): Promise<UdpSocket> {
    return new Promise((resolve, reject) => {
      const sock = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4' });
      sock.once('error', reject);
      sock.bind(port, host, () => {
        sock.off('error', reject);
        sock.on('error', (err) => this.#opts.log.warn('dns udp socket error', { err }));
        sock.on('message', (msg, rinfo) => {
          this.#opts.handler(msg, 'udp').then(
            (reply) => { if (reply && this.#udp === sock) sock.send(reply, rinfo.port, rinfo.address, (err) => { if (err) this.#opts.log.debug('dns udp send failed', { err }); }); },
            (err) => this.#opts.log.warn('dns query handler failed', { err }),
          );
        });
        resolve(sock);
      });
    });
  }

  #bindTcp(host: string, port: number): Promise<Server> {
    return new Promise((resolve, reject) => {
      // Half-open: a client may send its query and end its side; the answer still goes back.
      const server = createServer({ allowHalfOpen: true }, (socket) => this.#serve(socket));
      server.maxConnections = this.#opts.maxTcpConnections ?? 256;
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', (err) => this.#opts.log.warn('dns tcp server error', { err }));
        resolve(server);
      });
    });
  }

  #serve(socket: Socket): void {
    this.#conns.add(socket);
    socket.setTimeout(this.#opts.tcpIdleMs ?? 10_000, () => socket.destroy());
    socket.on('close', () => this.#conns.delete(socket));
    socket.on('error', () => socket.destroy());
    let buf = Buffer.alloc(0);
    let pending = 0;
    let ended = false;
    socket.on('end', () => { ended = true; if (pending === 0) socket.end(); });
    socket.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      while (buf.length >= 2) {
        const n = buf.readUInt16BE(0);
        if (buf.length < 2 + n) break;
        const msg = Buffer.from(buf.subarray(2, 2 + n));
        buf = buf.subarray(2 + n);
        pending++;
        this.#opts.handler(msg, 'tcp').then(
          (reply) => {
            if (!reply || socket.destroyed) return;
            const len = Buffer.alloc(2);
            len.writeUInt16BE(reply.length);
            socket.write(Buffer.concat([len, reply]));
          },
          (err) => this.#opts.log.warn('dns query handler failed', { err }),
        ).finally(() => { if (--pending === 0 && ended && !socket.destroyed) socket.end(); });
      }
    });
  }
}
