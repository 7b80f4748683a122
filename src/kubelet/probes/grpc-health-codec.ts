// The wire form of grpc.health.v1.Health/Check: gRPC's length-prefixed message framing and the
// two tiny protobuf messages, by hand (HealthCheckRequest{string service = 1},
// HealthCheckResponse{ServingStatus status = 1}).

export const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';

export const SERVING_STATUS: Record<number, string> = { 0: 'UNKNOWN', 1: 'SERVING', 2: 'NOT_SERVING', 3: 'SERVICE_UNKNOWN' };

/** gRPC status code names as grpc-go prints them (`rpc error: code = Unavailable desc = ...`). */
export const GRPC_CODES = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists',
  'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange',
  'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated',
];

export function codeName(code: number): string {
  return GRPC_CODES[code] ?? `Code(${code})`;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) { out.push((n & 0x7f) | 0x80); n = Math.floor(n / 128); }
  out.push(n);
  return Buffer.from(out);
}

/** One uncompressed gRPC message: flag 0, 4-byte big-endian length, payload. */
export function frame(payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

export function encodeHealthCheckRequest(service: string): Buffer {
  if (service === '') return Buffer.alloc(0); // proto3 leaves default values out
  const bytes = Buffer.from(service, 'utf8');
  return Buffer.concat([Buffer.from([0x0a]), varint(bytes.length), bytes]);
}

export function encodeHealthCheckResponse(status: number): Buffer {
  return status === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x08]), varint(status)]);
}

export class CodecError extends Error {}

function readVarint(buf: Buffer, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new CodecError('unexpected EOF');
    const b = buf[pos++];
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return [value, pos];
  }
  throw new CodecError('proto: integer overflow');
}

/** Walks a message's fields; `onField` gets varint values and length-delimited bytes. */
function decodeFields(buf: Buffer, onField: (field: number, value: number | Buffer) => void): void {
  let pos = 0;
  while (pos < buf.length) {
    let key;
    [key, pos] = readVarint(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      let v;
      [v, pos] = readVarint(buf, pos);
      onField(field, v);
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 2) {
      let len;
      [len, pos] = readVarint(buf, pos);
      if (pos + len > buf.length) throw new CodecError('unexpected EOF');
      onField(field, buf.subarray(pos, pos + len));
      pos += len;
    } else if (wire === 5) {
      pos += 4;
    } else {
      throw new CodecError(`proto: cannot parse invalid wire-format data`);
    }
    if (pos > buf.length) throw new CodecError('unexpected EOF');
  }
}

export function decodeHealthCheckResponse(buf: Buffer): number {
  let status = 0;
  decodeFields(buf, (field, value) => { if (field === 1 && typeof value === 'number') status = value; });
  return status;
}

export function decodeHealthCheckRequest(buf: Buffer): string {
  let service = '';
  decodeFields(buf, (field, value) => { if (field === 1 && Buffer.isBuffer(value)) service = value.toString('utf8'); });
  return service;
}

/** The first complete message of a gRPC body; throws when the body holds none. */
export function unframe(body: Buffer): Buffer {
  if (body.length < 5) throw new CodecError('unexpected EOF');
  if (body[0] !== 0) throw new CodecError('compressed message received but no compression was negotiated');
  const len = body.readUInt32BE(1);
  if (body.length < 5 + len) throw new CodecError('unexpected EOF');
  return body.subarray(5, 5 + len);
}
