// kubectl-style JSONPath (client-go util/jsonpath) over JSON objects, enough for printer
// columns: `.spec.cronSpec`, `.items[0]`, `.a[*].b`, `.a['dotted.key']`, `..name`, slices and
// filters such as `.status.conditions[?(@.type=="Ready")].status`. Missing keys give no result.

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'recursive'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'filter'; left: string[]; op?: string; right?: unknown };

export class JSONPathError extends Error {}

const FIELD_CHAR = /[^.[\]\s'"]/;

/** Parses a path like `.spec.replicas` (with or without surrounding `{}`). */
export function parseJSONPath(text: string): Step[] {
  let s = text.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim();
  if (s.startsWith('$')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  const readName = () => {
    const start = i;
    while (i < s.length && FIELD_CHAR.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  while (i < s.length) {
    const c = s[i]!;
    if (s.startsWith('..', i)) {
      i += 2;
      const name = readName();
      if (!name) throw new JSONPathError(`invalid recursive descent at ${i}`);
      steps.push({ kind: 'recursive', name });
    } else if (c === '.') {
      i++;
      if (s[i] === '*') { i++; steps.push({ kind: 'wildcard' }); continue; }
      const name = readName();
      if (name) steps.push({ kind: 'field', name });
    } else if (c === '[') {
      const close = findClose(s, i);
      steps.push(parseBracket(s.slice(i + 1, close).trim()));
      i = close + 1;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      const name = readName();
      if (!name) throw new JSONPathError(`unrecognized character in action: ${JSON.stringify(c)}`);
      steps.push({ kind: 'field', name });
    }
  }
  return steps;
}

function findClose(s: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote) { if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') { depth--; if (depth === 0 && c === ']') return i; }
  }
  throw new JSONPathError('unterminated array');
}

function unquote(t: string): string | undefined {
  const m = /^(['"])(.*)\1$/s.exec(t);
  return m ? m[2] : undefined;
}

function parseBracket(inner: string): Step {
  if (inner === '*') return { kind: 'wildcard' };
  const quoted = unquote(inner);
  if (quoted !== undefined) return { kind: 'field', name: quoted };
  if (inner.startsWith('?')) {
    const m = /^\?\((.*)\)$/s.exec(inner);
    if (!m) throw new JSONPathError(`invalid filter ${inner}`);
    const expr = m[1]!.trim();
    const cmp = /^(@[^<>=!\s]*)\s*(==|!=|<=|>=|<|>|=)?\s*(.*)$/s.exec(expr);
    if (!cmp) throw new JSONPathError(`invalid filter ${inner}`);
    const left = parseFieldChain(cmp[1]!.slice(1));
    if (!cmp[2]) return { kind: 'filter', left };
    return { kind: 'filter', left, op: cmp[2] === '=' ? '==' : cmp[2], right: parseLiteral(cmp[3]!.trim()) };
  }
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const slice = /^(-?\d*)\s*:\s*(-?\d*)\s*(?::\s*(-?\d*))?$/.exec(inner);
  if (slice) {
    const n = (x: string | undefined) => (x === undefined || x === '' ? undefined : Number(x));
    return { kind: 'slice', start: n(slice[1]), end: n(slice[2]), step: n(slice[3]) };
  }
  throw new JSONPathError(`invalid array index ${inner}`);
}

function parseFieldChain(s: string): string[] {
  return s.split('.').filter((p) => p !== '');
}

function parseLiteral(t: string): unknown {
  const q = unquote(t);
  if (q !== undefined) return q;
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t.startsWith('@')) return { ref: parseFieldChain(t.slice(1)) };
  throw new JSONPathError(`unrecognized literal ${t}`);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function get(v: unknown, chain: string[]): { found: boolean; value?: unknown } {
  let cur = v;
  for (const k of chain) {
    if (!isObj(cur) || !Object.hasOwn(cur, k)) return { found: false };
    cur = cur[k];
  }
  return { found: true, value: cur };
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return typeof a === 'number' && typeof b === 'number' && a < b;
    case '>': return typeof a === 'number' && typeof b === 'number' && a > b;
    case '<=': return typeof a === 'number' && typeof b === 'number' && a <= b;
    case '>=': return typeof a === 'number' && typeof b === 'number' && a >= b;
  }
  return false;
}

function recurse(v: unknown, name: string, out: unknown[]): void {
  if (isObj(v)) {
    if (Object.hasOwn(v, name)) out.push(v[name]);
    for (const x of Object.values(v)) recurse(x, name, out);
  } else if (Array.isArray(v)) for (const x of v) recurse(x, name, out);
}

/** All values the path selects (empty when a key is missing). */
export function evaluateJSONPath(steps: Step[], root: unknown): unknown[] {
  let cur: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      switch (step.kind) {
        case 'field':
          if (isObj(v) && Object.hasOwn(v, step.name)) next.push(v[step.name]);
          break;
        case 'recursive': recurse(v, step.name, next); break;
        case 'wildcard':
          if (Array.isArray(v)) next.push(...v);
          else if (isObj(v)) next.push(...Object.keys(v).sort().map((k) => v[k]));
          break;
        case 'index':
          if (Array.isArray(v)) {
            const i = step.index < 0 ? v.length + step.index : step.index;
            if (i >= 0 && i < v.length) next.push(v[i]);
          }
          break;
        case 'slice':
          if (Array.isArray(v)) {
            const len = v.length;
            const norm = (x: number | undefined, d: number) => (x === undefined ? d : x < 0 ? Math.max(0, len + x) : Math.min(x, len));
            const st = step.step ?? 1;
            for (let i = norm(step.start, 0); i < norm(step.end, len); i += st > 0 ? st : 1) next.push(v[i]);
          }
          break;
        case 'filter': {
          const items = Array.isArray(v) ? v : isObj(v) ? Object.values(v) : [];
          for (const item of items) {
            const left = get(item, step.left);
            if (!step.op) { if (left.found) next.push(item); continue; }
            if (!left.found) continue;
            const r = step.right;
            const right = isObj(r) && Array.isArray((r as { ref?: unknown }).ref) ? get(item, (r as { ref: string[] }).ref).value : r;
            if (compare(left.value, step.op, right)) next.push(item);
          }
          break;
        }
      }
    }
    cur = next;
  }
  return cur;
}

/** A value as client-go's JSONPath printer writes it: strings bare, objects and lists as JSON. */
export function jsonPathText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
