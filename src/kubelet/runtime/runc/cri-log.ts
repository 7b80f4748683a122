// One record of the CRI log format conmon writes (`k8s-file`):
//   2026-11-23T22:47:46.029045941+00:00 stdout F text
// `P` marks a partial line (the rest follows in the next records of the same stream), `F` a
// full one. Timestamps carry nanoseconds, which a JS Date cannot hold: they are kept as text.

export type LogStream = 'stdout' | 'stderr';

export interface CriLogRecord {
  stream: LogStream;
  /** The timestamp as written by the runtime (any RFC 3339 offset). */
  time: string;
  /** Milliseconds since the epoch, with the sub-millisecond part as a fraction. */
  timeMs: number;
  partial: boolean;
  content: Buffer;
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

interface ParsedTime { secondMs: number; fraction: string }

function parseTime(text: string): ParsedTime | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone] = m;
  let offsetMin = 0;
  if (zone !== 'Z') {
    const sign = zone!.startsWith('-') ? -1 : 1;
    offsetMin = sign * (Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(4, 6)));
  }
  const secondMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetMin * 60_000;
  return Number.isNaN(secondMs) ? undefined : { secondMs, fraction: frac };
}

/** Parses one log line (without its newline); undefined for a line that is not a CRI record. */
export function parseCriLine(line: Buffer): CriLogRecord | undefined {
  const s1 = line.indexOf(0x20);
  const s2 = s1 < 0 ? -1 : line.indexOf(0x20, s1 + 1);
  if (s2 < 0) return undefined;
  const time = line.toString('latin1', 0, s1);
  const stream = line.toString('latin1', s1 + 1, s2);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const parsed = parseTime(time);
  if (!parsed) return undefined;
  // The tag field may hold several tags separated by ':'; the first says partial or full.
  let s3 = line.indexOf(0x20, s2 + 1);
  if (s3 < 0) s3 = line.length;
  const tags = line.toString('latin1', s2 + 1, s3).split(':');
  return {
    stream, time, timeMs: parsed.secondMs + Number(`0.${parsed.fraction || '0'}`) * 1000,
    partial: tags[0] === 'P', content: line.subarray(Math.min(s3 + 1, line.length)),
  };
}

/**
 * The timestamp as the kubelet prints it with `--timestamps`: RFC 3339 with nanoseconds in UTC,
 * trailing zeros of the fraction dropped (Go's RFC3339Nano), e.g. `2026-11-23T22:47:46.029045941Z`.
 */
export function formatLogTime(time: string): string {
  const parsed = parseTime(time);
  if (!parsed) return time;
  const base = new Date(parsed.secondMs).toISOString().slice(0, 19);
  const fraction = parsed.fraction.slice(0, 9).replace(/0+$/, '');
  return `${base}${fraction ? `.${fraction}` : ''}Z`;
}
