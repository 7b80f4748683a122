// resource.Quantity: fixed-point amounts such as "100m", "1.5Gi", "1e3". Parsing keeps upstream's
// rules (rounding up to nano precision, the three formats, when the original spelling is kept) and
// formatting gives the canonical form the API server returns ("1000m" → "1", "0.5" → "500m").

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

const SPLIT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const QUANTITY_FORMAT_ERROR = `quantities must match the regular expression '${SPLIT_RE}'`;
export const QUANTITY_NUMERIC_ERROR = 'unable to parse numeric part of quantity';
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const NANO = -9;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_SUFFIX_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

interface Interpreted { base: 10 | 2; exponent: number; format: QuantityFormat }

function interpretSuffix(suffix: string): Interpreted | undefined {
  if (Object.hasOwn(DECIMAL_SUFFIXES, suffix)) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix]!, format: 'DecimalSI' };
  if (Object.hasOwn(BINARY_SUFFIXES, suffix)) return { base: 2, exponent: BINARY_SUFFIXES[suffix]!, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const rest = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) return undefined;
    const n = BigInt(rest);
    if (n > INT64_MAX || n < INT64_MIN) return undefined;
    // Upstream keeps the exponent as an int32.
    return { base: 10, exponent: Number(BigInt.asIntN(32, n)), format: 'DecimalExponent' };
  }
  return undefined;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

interface Split { positive: boolean; value: string; num: string; denom: string; suffix: string }

/** Upstream's hand-written scanner (not a regular expression: it accepts a few odd forms like "+"). */
function splitQuantity(str: string): Split {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') { positive = false; pos++; } else if (str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  let num = str.slice(pos, i) || '0';
  pos = i;
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    let j = pos;
    while (j < end && isDigit(str[j])) j++;
    denom = str.slice(pos, j);
    if (j >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = j;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  let k = pos;
  while (k < end && 'eEinumkKMGTP'.includes(str[k]!)) k++;
  if (k >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  if (str[k] === '-' || str[k] === '+') k++;
  while (k < end && isDigit(str[k])) k++;
  if (k >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  throw new QuantityError(QUANTITY_FORMAT_ERROR);
}

/** Divides by 10^digits, rounding the magnitude up (away from zero). */
function divRoundUp(unscaled: bigint, digits: number): bigint {
  if (digits <= 0) return unscaled;
  const abs = unscaled < 0n ? -unscaled : unscaled;
  if (abs === 0n) return 0n;
  // Beyond the number's own length every digit is dropped: the result is one unit.
  if (digits > abs.toString().length) return unscaled < 0n ? -1n : 1n;
  const divisor = 10n ** BigInt(digits);
  let q = abs / divisor;
  if (abs % divisor !== 0n) q += 1n;
  return unscaled < 0n ? -q : q;
}

function stripFactors(value: bigint, base: bigint): [bigint, number] {
  let v = value < 0n ? -value : value;
  let times = 0;
  while (v >= base && v % base === 0n) {
    v /= base;
    times++;
  }
  return [value < 0n ? -v : v, times];
}

export class Quantity {
  /** The amount is unscaled × 10^exp, exactly. */
  readonly unscaled: bigint;
  readonly exp: number;
  readonly format: QuantityFormat;
  /** The spelling kept from parsing when it is already canonical enough (upstream keeps it too). */
  readonly #original: string | undefined;

  constructor(unscaled: bigint, exp: number, format: QuantityFormat, original?: string) {
    this.unscaled = unscaled;
    this.exp = exp;
    this.format = format;
    this.#original = original;
  }

  static parse(str: string): Quantity {
    if (str.length === 0) throw new QuantityError(QUANTITY_FORMAT_ERROR);
    if (str === '0') return new Quantity(0n, 0, 'DecimalSI', str);
    const { positive, value, num, denom, suffix } = splitQuantity(str);
    const interpreted = interpretSuffix(suffix);
    if (!interpreted) throw new QuantityError(QUANTITY_SUFFIX_ERROR);
    let { format } = interpreted;
    const { base, exponent } = interpreted;

    const kept = keptSpelling(str, positive, num, denom, interpreted);

    // The exact amount, then rounded up to nano precision.
    const digits = (num + denom).replace(/^0+(?=.)/, '');
    let unscaled = BigInt(digits) * (positive ? 1n : -1n);
    let exp = -denom.length;
    if (base === 10) exp += exponent;
    else unscaled *= 1n << BigInt(exponent);
    if (exp < NANO) {
      unscaled = divRoundUp(unscaled, NANO - exp);
      exp = NANO;
    }
    if (kept !== undefined) return new Quantity(unscaled, exp, format, kept);
    if (format === 'BinarySI') {
      const q = new Quantity(unscaled, exp, format);
      if (q.cmp(new Quantity(INT64_MAX, 0, format)) > 0) return new Quantity(INT64_MAX, 0, format);
      if (q.cmp(new Quantity(INT64_MIN, 0, format)) < 0) return new Quantity(INT64_MIN, 0, format);
      if (q.sign() > 0 && q.cmp(new Quantity(1n, 0, format)) < 0) format = 'DecimalSI';
    }
    return new Quantity(unscaled, exp, format);
  }

  /** Parses a JSON value as the API server decodes it: strings (trimmed) and plain numbers. */
  static fromJSON(value: unknown): Quantity {
    if (typeof value === 'number') return Quantity.parse(String(value).replace(/e\+/, 'e'));
    if (typeof value === 'string') return Quantity.parse(value.trim());
    throw new QuantityError(QUANTITY_FORMAT_ERROR);
  }

  static fromInt(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), 0, format);
  }

  static fromMilli(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), -3, format);
  }

  sign(): number {
    return this.unscaled === 0n ? 0 : this.unscaled > 0n ? 1 : -1;
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  cmp(other: Quantity): number {
    const e = Math.min(this.exp, other.exp);
    const a = this.unscaled * 10n ** BigInt(this.exp - e);
    const b = other.unscaled * 10n ** BigInt(other.exp - e);
    return a === b ? 0 : a < b ? -1 : 1;
  }

  equals(other: Quantity): boolean {
    return this.cmp(other) === 0;
  }

  /** The sum; a zero left side takes the right side's format, as upstream. */
  add(other: Quantity): Quantity {
    const e = Math.min(this.exp, other.exp);
    const sum = this.unscaled * 10n ** BigInt(this.exp - e) + other.unscaled * 10n ** BigInt(other.exp - e);
    return new Quantity(sum, e, this.isZero() ? other.format : this.format);
  }

  sub(other: Quantity): Quantity {
    return this.add(other.neg()).withFormat(this.isZero() ? other.format : this.format);
  }

  neg(): Quantity {
    return new Quantity(-this.unscaled, this.exp, this.format);
  }

  withFormat(format: QuantityFormat): Quantity {
    return new Quantity(this.unscaled, this.exp, format);
  }

  /** The amount scaled to 10^scale as an integer, rounded away from zero. */
  scaledValue(scale: number): bigint {
    if (this.exp >= scale) return this.unscaled * 10n ** BigInt(this.exp - scale);
    return divRoundUp(this.unscaled, scale - this.exp);
  }

  /** Whole units, rounded up (as upstream Value()). */
  value(): number {
    return Number(this.scaledValue(0));
  }

  /** Thousandths, rounded up (as upstream MilliValue()). */
  milliValue(): number {
    return Number(this.scaledValue(-3));
  }

  asApproximateFloat64(): number {
    return Number(this.unscaled) * 10 ** this.exp;
  }

  /** The form the API server returns: the kept spelling, else the canonical one. */
  toString(): string {
    return this.#original ?? this.canonical();
  }

  toJSON(): string {
    return this.toString();
  }

  /** The canonical spelling regardless of how the quantity was written. */
  canonical(): string {
    if (this.isZero()) return '0';
    let format = this.format;
    let integer: bigint | undefined;
    if (format === 'BinarySI') {
      if (this.cmp(new Quantity(-1024n, 0, format)) > 0 && this.cmp(new Quantity(1024n, 0, format)) < 0) {
        format = 'DecimalSI';
      } else {
        integer = this.scaledValue(0);
        if (!new Quantity(integer, 0, format).equals(this)) format = 'DecimalSI';
      }
    }
    if (format === 'BinarySI') {
      const [amount, times] = stripFactors(integer!, 1024n);
      return `${amount}${BINARY_SUFFIX_BY_EXPONENT.get(times * 10) ?? ''}`;
    }
    let [amount, times] = stripFactors(this.unscaled, 10n);
    let exponent = this.exp + times;
    while (exponent % 3 !== 0) {
      amount *= 10n;
      exponent--;
    }
    if (format === 'DecimalExponent') return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
    // Upstream has no suffix for exponents past E and prints the bare number then.
    return `${amount}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent) ?? ''}`;
  }
}

/**
 * Upstream keeps the caller's spelling only on its int64 fast path and only when canonicalising
 * would not change it; this repeats those conditions.
 */
function keptSpelling(str: string, positive: boolean, num: string, denom: string, s: Interpreted): string | undefined {
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (s.format === 'BinarySI') {
    if (s.exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(s.exponent);
      precision = 15 - num.length - Math.trunc((s.exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = s.exponent;
    precision = 18 - (num.length + denom.length);
  }
  if (precision < 0) return undefined;
  scale -= denom.length;
  if (scale < NANO) return undefined;
  const shifted = num + denom;
  const value = BigInt(shifted);
  const result = value * mantissa * (positive ? 1n : -1n);
  if (result > INT64_MAX || result < INT64_MIN) return undefined;
  if (s.format === 'BinarySI') return s.exponent % 10 === 0 && (value & 7n) !== 0n ? str : undefined;
  return scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0' ? str : undefined;
}

export function parseQuantity(str: string): Quantity {
  return Quantity.parse(str);
}
