// A SPDY/3.1 session over any byte Duplex (a TLS socket, or a WebSocket tunnel): stream
// creation and replies, half-close, resets, PING, SETTINGS, GOAWAY, and flow control.
//
// Flow control: SPDY/3.1 windows are kept per stream and for the session. What the peer sends
// is credited back with WINDOW_UPDATE as the reader consumes it. What this side sends waits for
// the peer's window only once the peer shows it does flow control (a WINDOW_UPDATE or an
// INITIAL_WINDOW_SIZE setting): Go's spdystream, which kubectl uses, never sends WINDOW_UPDATE,
// so enforcing its windows would stall every stream after 64 KiB. A peer that ignores our
// windows is slowed instead by pausing the socket while a stream holds too much unread data.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { encode, FrameParser, GoAwayStatus, RstStatus, SettingsId, FLAG_FIN, type Frame } from './frames.ts';
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './header-block.ts';
import { SpdyStream, type StreamHost } from './stream.ts';

export const DEFAULT_WINDOW = 64 * 1024;
/** Largest DATA frame this side sends. */
const MAX_DATA_FRAME = 16 * 1024;
/** Unread bytes one stream may hold before the socket is paused. */
const MAX_UNREAD = 1024 * 1024;

export interface SpdyConnectionOptions {
  /** A server accepts odd stream ids and opens even ones; a client the reverse. */
  role: 'server' | 'client';
  /** 'auto' (default): honour the peer's windows once it shows it uses them. */
  sendFlowControl?: 'auto' | 'always';
  /** How long close() waits for the peer to hang up before destroying the socket (ms). */
  closeTimeoutMs?: number;
}

export interface SpdyConnectionEvents {
  stream: [SpdyStream];
  goaway: [number];
  close: [];
  error: [Error];
}

export class SpdyConnection extends EventEmitter<SpdyConnectionEvents> implements StreamHost {
  readonly #socket: Duplex;
  readonly #role: 'server' | 'client';
  readonly #parser = new FrameParser();
  readonly #compressor = new HeaderCompressor();
  readonly #decompressor = new HeaderDecompressor();
  readonly #streams = new Map<number, SpdyStream>();
  readonly #pendingOpens = new Map<number, { resolve: (s: SpdyStream) => void; reject: (e: Error) => void }>();
  readonly #pings = new Map<number, () => void>();
  readonly #closeTimeoutMs: number;
  #nextStreamId: number;
  #nextPingId: number;
  #lastPeerStreamId = 0;
  #writeQueue: Promise<void> = Promise.resolve();
  #readQueue: Promise<void> = Promise.resolve();
  #enforceSendWindow: boolean;
  #initialSendWindow = DEFAULT_WINDOW;
  #sessionSendWindow = DEFAULT_WINDOW;
  #sessionWaiters: (() => void)[] = [];
  #sessionReceived = 0;
  #sessionCredited = 0;
  #pausedFor: SpdyStream | undefined;
  #goneAway = false;
  #closed = false;
  readonly closed: Promise<void>;

  constructor(socket: Duplex, opts: SpdyConnectionOptions) {
    super();
    this.#socket = socket;
    this.#role = opts.role;
    this.#nextStreamId = opts.role === 'client' ? 1 : 2;
    this.#nextPingId = opts.role === 'client' ? 1 : 2;
    this.#enforceSendWindow = opts.sendFlowControl === 'always';
    this.#closeTimeoutMs = opts.closeTimeoutMs ?? 5000;
    this.closed = new Promise((resolve) => this.once('close', resolve));
    socket.on('data', (chunk: Buffer) => this.#onBytes(chunk));
    // Frames already received are handled before the session is torn down.
    const hangUp = () => { void this.#readQueue.then(() => this.#teardown()); };
    socket.on('end', hangUp);
    socket.on('close', hangUp);
    socket.on('error', hangUp);
  }

  get streamCount(): number { return this.#streams.size; }

  /** Opens a stream (SYN_STREAM) and resolves once the peer replies. */
  openStream(headers: SpdyHeaders, opts: { fin?: boolean } = {}): Promise<SpdyStream> {
    if (this.#closed || this.#goneAway) return Promise.reject(new Error('SPDY connection is closing'));
    const id = this.#nextStreamId;
    this.#nextStreamId += 2;
    const stream = new SpdyStream(this, id, headers, this.#initialSendWindow, { replied: true });
    this.#streams.set(id, stream);
    if (opts.fin) stream.end();
    const opened = new Promise<SpdyStream>((resolve, reject) => this.#pendingOpens.set(id, { resolve, reject }));
    void this.#enqueue(async () => encode.synStream(id, 0, 0, 0, await this.#compressor.compress(headers)));
    return opened;
  }

  /** Round trip of a PING, in ms. */
  ping(): Promise<number> {
    const id = this.#nextPingId;
    this.#nextPingId += 2;
    const started = performance.now();
    const pong = new Promise<number>((resolve) => this.#pings.set(id, () => resolve(performance.now() - started)));
    void this.#enqueue(() => encode.ping(id));
    return pong;
  }

  /** Sends SETTINGS, e.g. the window this side offers. */
  sendSettings(entries: { id: number; value: number }[]): Promise<void> {
    return this.#enqueue(() => encode.settings(entries));
  }

  /**
   * Graceful end: waits for streams that were ended to flush, sends GOAWAY, then hangs up; the
   * socket is destroyed if the peer lingers.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    // What streams were already asked to send goes out before the GOAWAY.
    await Promise.all([...this.#streams.values()].filter((s) => s.writableEnded && !s.writableFinished)
      .map((s) => new Promise((resolve) => { s.once('finish', resolve); s.once('close', resolve); })));
    if (!this.#goneAway) {
      this.#goneAway = true;
      await this.#enqueue(() => encode.goAway(this.#lastPeerStreamId, GoAwayStatus.Ok)).catch(() => undefined);
    }
    await this.#writeQueue.catch(() => undefined);
    this.#socket.end();
    const timer = setTimeout(() => this.#socket.destroy(), this.#closeTimeoutMs);
    timer.unref();
    await this.closed;
    clearTimeout(timer);
  }

  destroy(): void {
    this.#socket.destroy();
    this.#teardown();
  }

  // --- StreamHost ---

  sendReply(stream: SpdyStream, headers: SpdyHeaders): Promise<void> {
    return this.#enqueue(async () => encode.synReply(stream.id, 0, await this.#compressor.compress(headers)));
  }

  async sendData(stream: SpdyStream, data: Buffer, fin: boolean): Promise<void> {
    let offset = 0;
    do {
      if (this.#enforceSendWindow && data.length > 0) {
        await stream.waitWindow();
        await this.#waitSessionWindow();
        if (stream.done || this.#closed) return;
      }
      const room = this.#enforceSendWindow && data.length > 0 ? Math.min(stream.sendWindow, this.#sessionSendWindow) : Infinity;
      const n = Math.min(data.length - offset, MAX_DATA_FRAME, room);
      const piece = data.subarray(offset, offset + n);
      offset += n;
      stream.sendWindow -= n;
      this.#sessionSendWindow -= n;
      const last = offset >= data.length;
      await this.#enqueue(() => encode.data(stream.id, piece, fin && last));
    } while (offset < data.length);
  }

  sendReset(stream: SpdyStream, status: number): void {
    if (this.#closed) return;
    void this.#enqueue(() => encode.rstStream(stream.id, status)).catch(() => undefined);
  }

  consumed(stream: SpdyStream): void {
    const read = stream.received - stream.buffered;
    if (read - stream.credited >= DEFAULT_WINDOW / 2) {
      const delta = read - stream.credited;
      stream.credited = read;
      if (!stream.remoteFin) void this.#enqueue(() => encode.windowUpdate(stream.id, delta)).catch(() => undefined);
    }
    if (this.#pausedFor === stream && stream.buffered < MAX_UNREAD / 2) {
      this.#pausedFor = undefined;
      this.#socket.resume();
    } else if (!this.#pausedFor && stream.buffered > MAX_UNREAD) {
      this.#pausedFor = stream;
      this.#socket.pause();
    }
  }

  finished(stream: SpdyStream): void {
    this.#streams.delete(stream.id);
    if (this.#pausedFor === stream) {
      this.#pausedFor = undefined;
      this.#socket.resume();
    }
  }

  // --- internals ---

  /** Writes frames strictly in order (header compression depends on it), with socket backpressure. */
  #enqueue(frame: () => Buffer | Promise<Buffer>): Promise<void> {
    const next = this.#writeQueue.then(async () => {
      if (this.#socket.destroyed) return;
      const bytes = await frame();
      if (this.#socket.destroyed || this.#socket.writableEnded) return;
      if (!this.#socket.write(bytes)) {
        await new Promise<void>((resolve) => {
          const done = () => { this.#socket.off('drain', done); this.#socket.off('close', done); resolve(); };
          this.#socket.on('drain', done);
          this.#socket.on('close', done);
        });
      }
    });
    this.#writeQueue = next.catch(() => undefined);
    return next;
  }

  #waitSessionWindow(): Promise<void> {
    if (this.#sessionSendWindow > 0 || this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#sessionWaiters.push(resolve));
  }

  #onBytes(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.#parser.push(chunk);
    } catch (e) {
      this.#fail(e as Error);
      return;
    }
    for (const f of frames) {
      // Frames are handled strictly in order: header blocks share one inflate context.
      this.#readQueue = this.#readQueue.then(() => this.#onFrame(f)).catch((e) => this.#fail(e as Error));
    }
  }

  #fail(err: Error): void {
    if (this.#closed) return;
    if (this.listenerCount('error')) this.emit('error', err);
    void this.#enqueue(() => encode.goAway(this.#lastPeerStreamId, GoAwayStatus.ProtocolError)).catch(() => undefined)
      .finally(() => this.#socket.destroy());
  }

  async #onFrame(f: Frame): Promise<void> {
    if (this.#closed) return;
    switch (f.kind) {
      case 'data': {
        this.#sessionReceived += f.data.length;
        const stream = this.#streams.get(f.streamId);
        if (stream) stream.receive(f.data, (f.flags & FLAG_FIN) !== 0);
        this.#creditSession();
        return;
      }
      case 'synStream': {
        const headers = await this.#decompressor.decompress(f.headerBlock);
        const peerParity = this.#role === 'server' ? 1 : 0;
        if (f.streamId % 2 !== peerParity || f.streamId <= this.#lastPeerStreamId) {
          void this.#enqueue(() => encode.rstStream(f.streamId, RstStatus.ProtocolError));
          return;
        }
        this.#lastPeerStreamId = f.streamId;
        if (this.#goneAway) {
          void this.#enqueue(() => encode.rstStream(f.streamId, RstStatus.RefusedStream));
          return;
        }
        const stream = new SpdyStream(this, f.streamId, headers, this.#initialSendWindow, { replied: false });
        this.#streams.set(f.streamId, stream);
        if (f.flags & FLAG_FIN) stream.receiveFin();
        this.emit('stream', stream);
        return;
      }
      case 'synReply': {
        const headers = await this.#decompressor.decompress(f.headerBlock);
        const stream = this.#streams.get(f.streamId);
        const pending = this.#pendingOpens.get(f.streamId);
        this.#pendingOpens.delete(f.streamId);
        if (stream) {
          stream.replyHeaders = headers;
          if (f.flags & FLAG_FIN) stream.receiveFin();
          pending?.resolve(stream);
        }
        return;
      }
      case 'headers': {
        const headers = await this.#decompressor.decompress(f.headerBlock);
        const stream = this.#streams.get(f.streamId);
        if (stream) {
          stream.emit('headers', headers);
          if (f.flags & FLAG_FIN) stream.receiveFin();
        }
        return;
      }
      case 'rstStream': {
        const stream = this.#streams.get(f.streamId);
        const pending = this.#pendingOpens.get(f.streamId);
        this.#pendingOpens.delete(f.streamId);
        pending?.reject(new Error(`stream ${f.streamId} was reset (status ${f.status})`));
        stream?.receiveReset(f.status);
        return;
      }
      case 'settings':
        for (const e of f.entries) {
          if (e.id !== SettingsId.InitialWindowSize) continue;
          const diff = e.value - this.#initialSendWindow;
          this.#initialSendWindow = e.value;
          this.#enforceSendWindow = true;
          for (const s of this.#streams.values()) s.grow(diff);
        }
        return;
      case 'ping': {
        const peerParity = this.#role === 'server' ? 1 : 0;
        if (f.id % 2 === peerParity) void this.#enqueue(() => encode.ping(f.id));
        else {
          this.#pings.get(f.id)?.();
          this.#pings.delete(f.id);
        }
        return;
      }
      case 'goAway':
        this.#goneAway = true;
        for (const [id, p] of this.#pendingOpens) if (id > f.lastGoodStreamId) p.reject(new Error('SPDY connection went away'));
        this.emit('goaway', f.status);
        return;
      case 'windowUpdate':
        this.#enforceSendWindow = true;
        if (f.streamId === 0) {
          this.#sessionSendWindow += f.delta;
          for (const w of this.#sessionWaiters.splice(0)) w();
        } else this.#streams.get(f.streamId)?.grow(f.delta);
        return;
      case 'unknown':
        return;
    }
  }

  /** Credits the session window for data received (the per-stream windows hold back readers). */
  #creditSession(): void {
    const delta = this.#sessionReceived - this.#sessionCredited;
    if (delta >= DEFAULT_WINDOW / 2) {
      this.#sessionCredited = this.#sessionReceived;
      void this.#enqueue(() => encode.windowUpdate(0, delta)).catch(() => undefined);
    }
  }

  #teardown(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of this.#pendingOpens.values()) p.reject(new Error('SPDY connection closed'));
    this.#pendingOpens.clear();
    for (const s of [...this.#streams.values()]) s.receiveReset(RstStatus.Cancel);
    for (const w of this.#sessionWaiters.splice(0)) w();
    this.#compressor.close();
    this.#decompressor.close();
    if (!this.#socket.destroyed) this.#socket.destroy();
    this.emit('close');
  }
}
