// One SPDY stream as a Node Duplex: what the peer sends on it is readable, what is written is
// sent as DATA frames. end() half-closes (FIN); reset() aborts it with RST_STREAM. The stream is
// done for the protocol once both sides sent FIN (or either reset), whether or not its readable
// side was consumed.
import { Duplex } from 'node:stream';
import type { SpdyHeaders } from './header-block.ts';
import { RstStatus } from './frames.ts';

/** What a stream needs from its connection. */
export interface StreamHost {
  sendReply(stream: SpdyStream, headers: SpdyHeaders): Promise<void>;
  sendData(stream: SpdyStream, data: Buffer, fin: boolean): Promise<void>;
  sendReset(stream: SpdyStream, status: number): void;
  /** The reader took bytes out of the stream's buffer: credit the peer's window. */
  consumed(stream: SpdyStream): void;
  finished(stream: SpdyStream): void;
}

export class SpdyStream extends Duplex {
  readonly id: number;
  /** Headers of the SYN_STREAM that opened it. */
  readonly headers: SpdyHeaders;
  /** Headers of the SYN_REPLY (for streams this side opened). */
  replyHeaders: SpdyHeaders = {};
  /** The RST_STREAM status when the peer reset the stream. */
  resetStatus: number | undefined;

  readonly #host: StreamHost;
  #replied: Promise<void> | undefined;
  #localFin = false;
  #remoteFin = false;
  #done = false;
  /** Bytes received from the peer, and bytes of them already credited back by WINDOW_UPDATE. */
  received = 0;
  credited = 0;
  /** What this side may still send before the peer opens its window further. */
  sendWindow: number;
  readonly #windowWaiters: (() => void)[] = [];

  constructor(host: StreamHost, id: number, headers: SpdyHeaders, sendWindow: number, opts: { replied: boolean }) {
    super({ allowHalfOpen: true });
    this.#host = host;
    this.id = id;
    this.headers = headers;
    this.sendWindow = sendWindow;
    if (opts.replied) this.#replied = Promise.resolve();
  }

  get localFin(): boolean { return this.#localFin; }
  get remoteFin(): boolean { return this.#remoteFin; }
  /** Both sides closed, or reset: the connection forgets the stream. */
  get done(): boolean { return this.#done; }

  /** Accepts a stream the peer opened (SYN_REPLY); data written before waits for it. */
  reply(headers: SpdyHeaders = {}): Promise<void> {
    this.#replied ??= this.#host.sendReply(this, headers);
    return this.#replied;
  }

  /** Aborts the stream (RST_STREAM) and destroys it. */
  reset(status: number = RstStatus.Cancel): void {
    if (!this.#done) this.#host.sendReset(this, status);
    this.#finish();
    this.destroy();
  }

  /** Bytes this side has taken in but the reader has not consumed yet. */
  get buffered(): number { return this.readableLength; }

  // --- called by the connection ---

  /** DATA from the peer. */
  receive(data: Buffer, fin: boolean): void {
    if (this.#remoteFin) return;
    if (data.length) {
      this.received += data.length;
      if (!this.destroyed) this.push(data);
      this.#host.consumed(this);
    }
    if (fin) this.receiveFin();
  }

  receiveFin(): void {
    if (this.#remoteFin) return;
    this.#remoteFin = true;
    if (!this.destroyed) this.push(null);
    if (this.#localFin) this.#finish();
  }

  /** The peer reset the stream, or the connection went away. */
  receiveReset(status: number): void {
    this.resetStatus = status;
    this.#remoteFin = true;
    this.#localFin = true;
    this.#finish();
    this.#wake();
    this.destroy();
  }

  /** The peer granted more window. */
  grow(delta: number): void {
    this.sendWindow += delta;
    this.#wake();
  }

  /** Resolves when the send window is open (or the stream is gone). */
  waitWindow(): Promise<void> {
    if (this.sendWindow > 0 || this.#done) return Promise.resolve();
    return new Promise((resolve) => this.#windowWaiters.push(resolve));
  }

  #wake(): void {
    for (const w of this.#windowWaiters.splice(0)) w();
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#wake();
    this.#host.finished(this);
  }

  // --- Duplex ---

  override _read(): void {
    this.#host.consumed(this);
  }

  // Every way of consuming (flowing, pipe, async iteration) goes through read(): credit what it took.
  override read(size?: number): any {
    const chunk = super.read(size);
    if (chunk !== null) this.#host.consumed(this);
    return chunk;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.#send(chunk, false).then(() => cb(), cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.#send(Buffer.alloc(0), true).then(() => {
      this.#localFin = true;
      if (this.#remoteFin) this.#finish();
      cb();
    }, cb);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    // Destroyed while still open: tell the peer, so it does not wait for us.
    if (!this.#done) {
      this.#host.sendReset(this, RstStatus.Cancel);
      this.#finish();
    }
    cb(err);
  }

  async #send(data: Buffer, fin: boolean): Promise<void> {
    // Writes after a reset are dropped: the peer no longer wants them.
    if (this.#done) return;
    await (this.#replied ?? this.reply());
    if (this.#done) return;
    await this.#host.sendData(this, data, fin);
  }
}
