// SPDY/3.1 frame layout: encoding of each frame kind and an incremental parser that cuts a
// byte stream into frames. Header blocks stay compressed here (header-block.ts owns them).
export const SPDY_VERSION = 3;

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

/** FLAG_FIN on data and stream frames; FLAG_UNIDIRECTIONAL on SYN_STREAM. */
export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

export const RstStatus = {
  ProtocolError: 1,
  InvalidStream: 2,
  RefusedStream: 3,
  UnsupportedVersion: 4,
  Cancel: 5,
  InternalError: 6,
  FlowControlError: 7,
  StreamInUse: 8,
  StreamAlreadyClosed: 9,
  FrameTooLarge: 11,
} as const;

export const SettingsId = { MaxConcurrentStreams: 4, InitialWindowSize: 7 } as const;

export const GoAwayStatus = { Ok: 0, ProtocolError: 1, InternalError: 2 } as const;

/** Largest payload a frame length field (24 bits) can carry. */
export const MAX_FRAME_PAYLOAD = 0xffffff;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'synStream'; streamId: number; associatedId: number; priority: number; flags: number; headerBlock: Buffer }
  | { kind: 'synReply'; streamId: number; flags: number; headerBlock: Buffer }
  | { kind: 'headers'; streamId: number; flags: number; headerBlock: Buffer }
  | { kind: 'rstStream'; streamId: number; status: number }
  | { kind: 'settings'; flags: number; entries: { flags: number; id: number; value: number }[] }
  | { kind: 'ping'; id: number }
  | { kind: 'goAway'; lastGoodStreamId: number; status: number }
  | { kind: 'windowUpdate'; streamId: number; delta: number }
  | { kind: 'unknown'; type: number; flags: number; payload: Buffer };

export class SpdyProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpdyProtocolError';
  }
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new SpdyProtocolError(`frame payload of ${payload.length} bytes is too large`);
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24 | payload.length) >>> 0, 4);
  return Buffer.concat([head, payload]);
}

function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

export const encode = {
  data(streamId: number, data: Buffer, fin: boolean): Buffer {
    if (data.length > MAX_FRAME_PAYLOAD) throw new SpdyProtocolError(`data frame of ${data.length} bytes is too large`);
    const head = Buffer.alloc(8);
    head.writeUInt32BE(streamId & 0x7fffffff, 0);
    head.writeUInt32BE(((fin ? FLAG_FIN : 0) << 24 | data.length) >>> 0, 4);
    return Buffer.concat([head, data]);
  },
  synStream(streamId: number, associatedId: number, priority: number, flags: number, headerBlock: Buffer): Buffer {
    const fixed = Buffer.alloc(10);
    fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
    fixed.writeUInt32BE(associatedId & 0x7fffffff, 4);
    fixed.writeUInt8((priority & 0x7) << 5, 8);
    return controlFrame(FrameType.SynStream, flags, Buffer.concat([fixed, headerBlock]));
  },
  synReply(streamId: number, flags: number, headerBlock: Buffer): Buffer {
    return controlFrame(FrameType.SynReply, flags, Buffer.concat([u32(streamId & 0x7fffffff), headerBlock]));
  },
  headers(streamId: number, flags: number, headerBlock: Buffer): Buffer {
    return controlFrame(FrameType.Headers, flags, Buffer.concat([u32(streamId & 0x7fffffff), headerBlock]));
  },
  rstStream(streamId: number, status: number): Buffer {
    return controlFrame(FrameType.RstStream, 0, u32(streamId & 0x7fffffff, status));
  },
  settings(entries: { flags?: number; id: number; value: number }[]): Buffer {
    const body = [u32(entries.length)];
    for (const e of entries) body.push(u32(((e.flags ?? 0) << 24 | (e.id & 0xffffff)) >>> 0, e.value));
    return controlFrame(FrameType.Settings, 0, Buffer.concat(body));
  },
  ping(id: number): Buffer {
    return controlFrame(FrameType.Ping, 0, u32(id));
  },
  goAway(lastGoodStreamId: number, status: number): Buffer {
    return controlFrame(FrameType.GoAway, 0, u32(lastGoodStreamId & 0x7fffffff, status));
  },
  windowUpdate(streamId: number, delta: number): Buffer {
    return controlFrame(FrameType.WindowUpdate, 0, u32(streamId & 0x7fffffff, delta & 0x7fffffff));
  },
};

function need(payload: Buffer, n: number, what: string): void {
  if (payload.length < n) throw new SpdyProtocolError(`${what} frame too short (${payload.length} bytes)`);
}

function decodeControl(type: number, flags: number, p: Buffer): Frame {
  switch (type) {
    case FrameType.SynStream:
      need(p, 10, 'SYN_STREAM');
      return { kind: 'synStream', streamId: p.readUInt32BE(0) & 0x7fffffff, associatedId: p.readUInt32BE(4) & 0x7fffffff, priority: p[8] >> 5, flags, headerBlock: p.subarray(10) };
    case FrameType.SynReply:
      need(p, 4, 'SYN_REPLY');
      return { kind: 'synReply', streamId: p.readUInt32BE(0) & 0x7fffffff, flags, headerBlock: p.subarray(4) };
    case FrameType.Headers:
      need(p, 4, 'HEADERS');
      return { kind: 'headers', streamId: p.readUInt32BE(0) & 0x7fffffff, flags, headerBlock: p.subarray(4) };
    case FrameType.RstStream:
      need(p, 8, 'RST_STREAM');
      return { kind: 'rstStream', streamId: p.readUInt32BE(0) & 0x7fffffff, status: p.readUInt32BE(4) };
    case FrameType.Settings: {
      need(p, 4, 'SETTINGS');
      const n = p.readUInt32BE(0);
      need(p, 4 + n * 8, 'SETTINGS');
      const entries = [];
      for (let i = 0; i < n; i++) {
        const word = p.readUInt32BE(4 + i * 8);
        entries.push({ flags: word >>> 24, id: word & 0xffffff, value: p.readUInt32BE(8 + i * 8) });
      }
      return { kind: 'settings', flags, entries };
    }
    case FrameType.Ping:
      need(p, 4, 'PING');
      return { kind: 'ping', id: p.readUInt32BE(0) };
    case FrameType.GoAway:
      need(p, 4, 'GOAWAY');
      return { kind: 'goAway', lastGoodStreamId: p.readUInt32BE(0) & 0x7fffffff, status: p.length >= 8 ? p.readUInt32BE(4) : 0 };
    case FrameType.WindowUpdate:
      need(p, 8, 'WINDOW_UPDATE');
      return { kind: 'windowUpdate', streamId: p.readUInt32BE(0) & 0x7fffffff, delta: p.readUInt32BE(4) & 0x7fffffff };
    default:
      return { kind: 'unknown', type, flags, payload: p };
  }
}

/** Cuts bytes into frames as they arrive; frames may span chunks. */
export class FrameParser {
  #buf: Buffer = Buffer.alloc(0);

  /** Adds bytes and returns every frame now complete. */
  push(chunk: Buffer): Frame[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.#buf.length >= 8) {
      const word = this.#buf.readUInt32BE(0);
      const flagsLen = this.#buf.readUInt32BE(4);
      const len = flagsLen & 0xffffff;
      if (this.#buf.length < 8 + len) break;
      const payload = Buffer.from(this.#buf.subarray(8, 8 + len));
      this.#buf = this.#buf.subarray(8 + len);
      const flags = flagsLen >>> 24;
      if (word & 0x80000000) {
        const version = (word >>> 16) & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        frames.push(decodeControl(word & 0xffff, flags, payload));
      } else {
        frames.push({ kind: 'data', streamId: word & 0x7fffffff, flags, data: payload });
      }
    }
    return frames;
  }
}
