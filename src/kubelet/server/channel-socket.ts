// The v5.channel.k8s.io framing on a WebSocket: every binary message starts with its channel
// byte; [255, c] closes channel c for the sender (half-close). Channels become Node streams:
// readable ones are fed by incoming messages, writable ones send messages with backpressure.
import { Readable, Writable } from 'node:stream';
import type { WebSocket, RawData } from 'ws';

export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;
export const CHANNEL_PROTOCOL_V5 = 'v5.channel.k8s.io';
export const CHANNEL_PROTOCOL_V4 = 'v4.channel.k8s.io';

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export class ChannelSocket {
  readonly ws: WebSocket;
  readonly #readers = new Map<number, Readable>();
  readonly #handlers = new Map<number, (data: Buffer) => void>();

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data, isBinary) => {
      const buf = toBuffer(data);
      if (!isBinary || buf.length === 0) return;
      const ch = buf[0];
      if (ch === Channel.close) {
        if (buf.length > 1) this.#readers.get(buf[1])?.push(null);
        return;
      }
      const payload = buf.subarray(1);
      const reader = this.#readers.get(ch);
      if (reader?.destroyed) return;
      if (reader) {
        // The peer outruns the reader: stop reading the socket until it catches up.
        if (payload.length && !reader.push(payload)) ws.pause();
        return;
      }
      this.#handlers.get(ch)?.(payload);
    });
    ws.on('close', () => {
      for (const r of this.#readers.values()) if (!r.readableEnded) r.push(null);
    });
  }

  /** What the peer sends on channel ch, ended by its close signal or the socket closing. */
  readable(ch: number): Readable {
    const r = new Readable({ read: () => { if (this.ws.isPaused) this.ws.resume(); } });
    this.#readers.set(ch, r);
    return r;
  }

  /** Messages on ch handed to fn as they come (e.g. resize events). */
  onMessage(ch: number, fn: (data: Buffer) => void): void {
    this.#handlers.set(ch, fn);
  }

  /** Writes become messages on channel ch; ending it sends the close signal when closeSignal is set. */
  writable(ch: number, opts: { closeSignal?: boolean } = {}): Writable {
    return new Writable({
      write: (chunk: Buffer, _enc, cb) => this.send(ch, chunk).then(() => cb(), cb),
      final: (cb) => {
        if (!opts.closeSignal) { cb(); return; }
        this.#sendRaw(Buffer.from([Channel.close, ch])).then(() => cb(), cb);
      },
    });
  }

  /** One message on channel ch; resolves when handed to the socket (dropped once it closed). */
  send(ch: number, data: Buffer | string): Promise<void> {
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    return this.#sendRaw(Buffer.concat([Buffer.from([ch]), body]));
  }

  #sendRaw(message: Buffer): Promise<void> {
    if (this.ws.readyState !== this.ws.OPEN) return Promise.resolve();
    return new Promise((resolve) => this.ws.send(message, { binary: true }, () => resolve()));
  }

  /**
   * Normal closure (1000), after everything queued was sent. Input nobody reads any more is
   * dropped, and the socket read again, so the peer's closing handshake is seen.
   */
  close(): void {
    for (const r of this.#readers.values()) r.destroy();
    if (this.ws.isPaused) this.ws.resume();
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(1000);
  }
}
