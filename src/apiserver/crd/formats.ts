// The string formats custom resource schemas are checked against (upstream keeps a fixed set
// of go-openapi's formats; any other format is not enforced).
import { isIPv4, isIPv6 } from 'node:net';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/;
const BYTE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HOSTNAME = /^(?=.{1,255}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;
const MAC = /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/;
const DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w))+$/;

function validDate(s: string): boolean {
  const d = new Date(`${s.slice(0, 10)}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s.slice(0, 10);
}

const CHECKS: Record<string, (v: string) => boolean> = {
  uuid: (v) => UUID.test(v),
  uuid3: (v) => UUID.test(v),
  uuid4: (v) => UUID.test(v),
  uuid5: (v) => UUID.test(v),
  date: (v) => DATE.test(v) && validDate(v),
  'date-time': (v) => DATE_TIME.test(v) && validDate(v),
  datetime: (v) => DATE_TIME.test(v) && validDate(v),
  byte: (v) => BYTE.test(v),
  ipv4: (v) => isIPv4(v),
  ipv6: (v) => isIPv6(v),
  cidr: (v) => { const [ip, bits, extra] = v.split('/'); const n = Number(bits); return extra === undefined && /^\d+$/.test(bits ?? '') && ((isIPv4(ip!) && n <= 32) || (isIPv6(ip!) && n <= 128)); },
  hostname: (v) => HOSTNAME.test(v),
  email: (v) => EMAIL.test(v),
  mac: (v) => MAC.test(v),
  duration: (v) => DURATION.test(v),
};

/** true/false for a checked format; undefined when the format is not enforced. */
export function formatValid(format: string, value: string): boolean | undefined {
  const check = CHECKS[format];
  return check ? check(value) : undefined;
}
