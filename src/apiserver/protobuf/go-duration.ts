// Go's time.Duration text form, which metav1.Duration uses in JSON ("1m30s", "1h0m0s",
// "250ms", "0s"), converted to and from whole nanoseconds.

const NS_PER_US = 1000n;
const NS_PER_MS = 1000_000n;
const NS_PER_S = 1000_000_000n;

/** Formats nanoseconds the way Go's Duration.String does. */
export function formatGoDuration(nanoseconds: bigint | number): string {
  let ns = BigInt(nanoseconds);
  if (ns === 0n) return '0s';
  const negative = ns < 0n;
  if (negative) ns = -ns;
  let text: string;
  if (ns < NS_PER_S) {
    if (ns < NS_PER_US) text = `${ns}ns`;
    else if (ns < NS_PER_MS) text = `${fraction(ns, NS_PER_US)}µs`;
    else text = `${fraction(ns, NS_PER_MS)}ms`;
  } else {
    const hours = ns / (3600n * NS_PER_S);
    const minutes = (ns / (60n * NS_PER_S)) % 60n;
    const seconds = fraction(ns % (60n * NS_PER_S), NS_PER_S);
    text = hours > 0n ? `${hours}h${minutes}m${seconds}s` : minutes > 0n ? `${minutes}m${seconds}s` : `${seconds}s`;
  }
  return negative ? `-${text}` : text;
}

/** `value / unit` as a decimal with trailing zeros removed. */
function fraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return `${whole}`;
  const digits = unit.toString().length - 1;
  return `${whole}.${rest.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: NS_PER_US,
  'µs': NS_PER_US, // U+00B5
  'μs': NS_PER_US, // U+03BC
  ms: NS_PER_MS,
  s: NS_PER_S,
  m: 60n * NS_PER_S,
  h: 3600n * NS_PER_S,
};

/** Parses a Go duration string ("1h30m", "1.5s", "-2ms", "0") into nanoseconds. */
export function parseGoDuration(text: string): bigint {
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw new Error(`time: invalid duration "${text}"`);
  let total = 0n;
  const part = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;
  while (s.length > 0) {
    const m = part.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw new Error(`time: invalid duration "${text}"`);
    const unit = UNITS[m[3]!];
    if (unit === undefined) throw new Error(`time: unknown unit "${m[3]}" in duration "${text}"`);
    total += BigInt(m[1] || '0') * unit;
    const frac = m[2] ?? '';
    if (frac) total += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    s = s.slice(m[0].length);
  }
  return negative ? -total : total;
}
