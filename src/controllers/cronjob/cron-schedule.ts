// Cron schedules as CronJobs read them (robfig/cron's standard parser): five fields (minute,
// hour, day of month, month, day of week) with lists, ranges, steps and names, the @-descriptors,
// @every durations and a TZ=/CRON_TZ= prefix; and the next activation after an instant, found by
// stepping wall-clock fields in the schedule's zone as robfig does (so DST gaps skip and
// overlaps repeat).
import { instantOf, normalizeZone, timeZoneError, wallTime, type WallTime } from './time-zone.ts';

export interface CronSchedule {
  /** The first activation strictly after the instant (ms), or 0 when none within five years. */
  next(afterMs: number): number;
}

interface Field { values: Set<number>; star: boolean }
interface Bounds { min: number; max: number; names?: Record<string, number> }

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const SECONDS: Bounds = { min: 0, max: 59 };
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTH: Bounds = { min: 1, max: 12, names: MONTHS };
const DOW: Bounds = { min: 0, max: 6, names: DAYS };

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

const only = (v: number): Field => ({ values: new Set([v]), star: false });
const all = (b: Bounds): Field => ({ values: new Set(range(b.min, b.max, 1)), star: true });
function range(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  for (let i = start; i <= end; i += step) out.push(i);
  return out;
}

/** Parses a schedule; throws an Error carrying the parser's message. */
export function parseCronSchedule(spec: string): CronSchedule {
  if (spec.length === 0) throw new Error('empty spec string');
  let zone = 'UTC';
  let s = spec;
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) {
    const i = s.indexOf(' ');
    const name = s.slice(s.indexOf('=') + 1, i < 0 ? undefined : i);
    const err = timeZoneError(name);
    if (err) throw new Error(`provided bad location ${name}: ${err}`);
    zone = normalizeZone(name);
    s = i < 0 ? '' : s.slice(i).trim();
  }
  if (s.startsWith('@')) return parseDescriptor(s, zone);
  const fields = s.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  return new SpecSchedule({
    second: only(0), minute: parseField(fields[0]!, MINUTES), hour: parseField(fields[1]!, HOURS),
    dom: parseField(fields[2]!, DOM), month: parseField(fields[3]!, MONTH), dow: parseField(fields[4]!, DOW),
  }, zone);
}

function parseDescriptor(s: string, zone: string): CronSchedule {
  const midnight = { second: only(0), minute: only(0), hour: only(0) };
  switch (s) {
    case '@yearly': case '@annually': return new SpecSchedule({ ...midnight, dom: only(1), month: only(1), dow: all(DOW) }, zone);
    case '@monthly': return new SpecSchedule({ ...midnight, dom: only(1), month: all(MONTH), dow: all(DOW) }, zone);
    case '@weekly': return new SpecSchedule({ ...midnight, dom: all(DOM), month: all(MONTH), dow: only(0) }, zone);
    case '@daily': case '@midnight': return new SpecSchedule({ ...midnight, dom: all(DOM), month: all(MONTH), dow: all(DOW) }, zone);
    case '@hourly': return new SpecSchedule({ second: only(0), minute: only(0), hour: all(HOURS), dom: all(DOM), month: all(MONTH), dow: all(DOW) }, zone);
  }
  if (s.startsWith('@every ')) {
    const text = s.slice('@every '.length);
    const ms = parseGoDuration(text);
    if (ms === undefined) throw new Error(`failed to parse duration ${s}: time: invalid duration ${JSON.stringify(text)}`);
    // Sub-second delays round to whole seconds, at least one.
    return new ConstantDelaySchedule(ms < SEC ? SEC : ms - (ms % SEC));
  }
  throw new Error(`unrecognized descriptor: ${s}`);
}

function parseField(field: string, b: Bounds): Field {
  const out: Field = { values: new Set(), star: false };
  for (const expr of field.split(',')) {
    const r = parseRange(expr, b);
    for (const v of r.values) out.values.add(v);
    if (r.star) out.star = true;
  }
  return out;
}

function parseRange(expr: string, b: Bounds): Field {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = parseValue(lowAndHigh[0]!, b);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseValue(lowAndHigh[1]!, b);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseIntField(rangeAndStep[1]!);
    // "N/step" means "N-max/step".
    if (singleDigit) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new Error(`too many slashes: ${expr}`);
  }
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  return { values: new Set(range(start, end, step)), star };
}

function parseValue(expr: string, b: Bounds): number {
  const named = b.names?.[expr.toLowerCase()];
  return named !== undefined ? named : parseIntField(expr);
}

function parseIntField(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number.parseInt(expr, 10);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: SEC, m: MIN, h: HOUR };

/** Go's time.ParseDuration, in ms; undefined when invalid. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) { if (s[0] === '-') sign = -1; s = s.slice(1); }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  const re = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (s.length) {
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNITS[m[2]!]!;
    s = s.slice(m[0].length);
  }
  return sign * total;
}

class ConstantDelaySchedule implements CronSchedule {
  readonly #delayMs: number;
  constructor(delayMs: number) { this.#delayMs = delayMs; }
  next(afterMs: number): number { return Math.floor(afterMs / SEC) * SEC + this.#delayMs; }
}

interface Fields { second: Field; minute: Field; hour: Field; dom: Field; month: Field; dow: Field }

class SpecSchedule implements CronSchedule {
  readonly #f: Fields;
  readonly #zone: string;
  constructor(f: Fields, zone: string) { this.#f = f; this.#zone = zone; }

  #dayMatches(w: WallTime): boolean {
    const dom = this.#f.dom.values.has(w.day);
    const dow = this.#f.dow.values.has(w.weekday);
    // Both restricted: either may match (cron's classic rule); otherwise both must.
    if (this.#f.dom.star || this.#f.dow.star) return dom && dow;
    return dom || dow;
  }

  next(afterMs: number): number {
    const zone = this.#zone;
    const f = this.#f;
    const wall = (t: number) => wallTime(t, zone);
    const date = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => instantOf(zone, y, mo, d, h, mi, s);
    let t = Math.floor(afterMs / SEC) * SEC + SEC;
    let added = false;
    let w = wall(t);
    const yearLimit = w.year + 5;
    wrap: for (;;) {
      w = wall(t);
      if (w.year > yearLimit) return 0;
      while (!f.month.values.has(w.month)) {
        if (!added) { added = true; t = date(w.year, w.month, 1); w = wall(t); }
        t = date(w.year, w.month + 1, w.day, w.hour, w.minute, w.second);
        w = wall(t);
        if (w.month === 1) continue wrap;
      }
      while (!this.#dayMatches(w)) {
        if (!added) { added = true; t = date(w.year, w.month, w.day); w = wall(t); }
        t = date(w.year, w.month, w.day + 1, w.hour, w.minute, w.second);
        w = wall(t);
        // Stay at midnight across DST changes.
        if (w.hour !== 0) {
          t += w.hour > 12 ? (24 - w.hour) * HOUR : -w.hour * HOUR;
          w = wall(t);
        }
        if (w.day === 1) continue wrap;
      }
      while (!f.hour.values.has(w.hour)) {
        if (!added) { added = true; t = date(w.year, w.month, w.day, w.hour); w = wall(t); }
        t += HOUR;
        w = wall(t);
        if (w.hour === 0) continue wrap;
      }
      while (!f.minute.values.has(w.minute)) {
        if (!added) { added = true; t = Math.floor(t / MIN) * MIN; }
        t += MIN;
        w = wall(t);
        if (w.minute === 0) continue wrap;
      }
      while (!f.second.values.has(w.second)) {
        if (!added) { added = true; t = Math.floor(t / SEC) * SEC; }
        t += SEC;
        w = wall(t);
        if (w.second === 0) continue wrap;
      }
      return t;
    }
  }
}
