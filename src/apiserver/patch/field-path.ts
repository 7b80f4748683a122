// Field paths and sets of them, the currency of server-side apply ownership, with the
// FieldsV1 wire form: `f:<field>`, `k:<json of key fields>` for list-map items, `v:<json>`
// for set items, `i:<index>` for positions, and `.` for a node that is itself owned as
// well as having owned children. Ordering and rendering follow structured-merge-diff.

export type PathElement =
  | { field: string }
  | { key: [string, unknown][] } // sorted by name
  | { value: unknown }
  | { index: number };
export type FieldPath = PathElement[];

/** A list-map item's key element: the key fields sorted by name. */
export function keyElement(fields: Record<string, unknown>): PathElement {
  return { key: Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
}

/** FieldsV1 key of an element, e.g. `f:spec`, `k:{"name":"app"}`, `v:"x"`, `i:0`. */
export function serializeElement(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  if ('key' in pe) return `k:{${pe.key.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
  if ('value' in pe) return `v:${JSON.stringify(pe.value)}`;
  return `i:${pe.index}`;
}

export function parseElement(s: string): PathElement {
  const kind = s.slice(0, 2);
  const rest = s.slice(2);
  switch (kind) {
    case 'f:':
      return { field: rest };
    case 'v:':
      return { value: JSON.parse(rest) };
    case 'k:': {
      const obj = JSON.parse(rest) as unknown;
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new Error(`expected a key object: ${s}`);
      return keyElement(obj as Record<string, unknown>);
    }
    case 'i:': {
      const n = Number(rest);
      if (!Number.isInteger(n)) throw new Error(`bad index: ${s}`);
      return { index: n };
    }
    default:
      throw new Error(s.length < 2 ? 'key must be 2 characters long:' : 'unknown path element type');
  }
}

// Total order of values: numbers, strings, booleans, lists, maps, null.
function rank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5;
}
const cmp = <T extends string | number>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);

export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return cmp(ra, rb);
  if (typeof a === 'number' || typeof a === 'string') return cmp(a, b as typeof a);
  if (typeof a === 'boolean') return cmp(Number(a), Number(b));
  if (Array.isArray(a)) {
    const bl = b as unknown[];
    for (let i = 0; i < Math.min(a.length, bl.length); i++) {
      const c = compareValues(a[i], bl[i]);
      if (c) return c;
    }
    return cmp(a.length, bl.length);
  }
  if (ra === 4) {
    const ea = Object.entries(a as object).sort(([x], [y]) => cmp(x, y));
    const eb = Object.entries(b as object).sort(([x], [y]) => cmp(x, y));
    return compareKeys(ea, eb);
  }
  return 0;
}

function compareKeys(a: [string, unknown][], b: [string, unknown][]): number {
  for (let i = 0; ; i++) {
    if (i >= a.length && i >= b.length) return 0;
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const c = cmp(a[i]![0], b[i]![0]) || compareValues(a[i]![1], b[i]![1]);
    if (c) return c;
  }
}

function kindRank(pe: PathElement): number {
  return 'field' in pe ? 0 : 'key' in pe ? 1 : 'value' in pe ? 2 : 3;
}

export function compareElements(a: PathElement, b: PathElement): number {
  const k = cmp(kindRank(a), kindRank(b));
  if (k) return k;
  if ('field' in a) return cmp(a.field, (b as { field: string }).field);
  if ('key' in a) return compareKeys(a.key, (b as { key: [string, unknown][] }).key);
  if ('value' in a) return compareValues(a.value, (b as { value: unknown }).value);
  return cmp(a.index, (b as { index: number }).index);
}

/** A value as structured-merge-diff prints it in paths: strings quoted, others bare. */
function valueString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}=${valueString(x)}`).join(';')}}`;
  return String(v);
}

/** `.spec.containers[name="app"].image`, as conflict messages print paths. */
export function pathString(path: FieldPath): string {
  return path
    .map((pe) => {
      if ('field' in pe) return `.${pe.field}`;
      if ('key' in pe) return `[${pe.key.map(([k, v]) => `${k}=${valueString(v)}`).join(',')}]`;
      if ('value' in pe) return `[=${valueString(pe.value)}]`;
      return `[${pe.index}]`;
    })
    .join('');
}

/** A set of field paths as a trie: members are paths ending here, children go deeper. */
export class FieldSet {
  readonly members = new Map<string, PathElement>();
  readonly children = new Map<string, { pe: PathElement; set: FieldSet }>();

  static of(...paths: FieldPath[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: FieldPath): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.child(path[i]!);
    const last = path[path.length - 1]!;
    node.members.set(serializeElement(last), last);
  }

  /** The child set for an element, created when missing. */
  child(pe: PathElement): FieldSet {
    const key = serializeElement(pe);
    let c = this.children.get(key);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.children.set(key, c);
    }
    return c.set;
  }

  has(path: FieldPath): boolean {
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(serializeElement(path[i]!))?.set;
    return !!node && path.length > 0 && node.members.has(serializeElement(path[path.length - 1]!));
  }

  /** The paths below an element, without the element (empty when none). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializeElement(pe))?.set ?? EMPTY;
  }

  isEmpty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.set.isEmpty()) return false;
    return true;
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const s of [this, other]) {
      for (const [k, pe] of s.members) out.members.set(k, pe);
      for (const [k, c] of s.children) {
        const existing = out.children.get(k);
        out.children.set(k, { pe: c.pe, set: existing ? existing.set.union(c.set) : c.set.union(EMPTY) });
      }
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      if (!o) continue;
      const i = c.set.intersection(o.set);
      if (!i.isEmpty()) out.children.set(k, { pe: c.pe, set: i });
    }
    return out;
  }

  /** Paths of this set not in `other` (a member of `other` does not remove what lies below it). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      const d = o ? c.set.difference(o.set) : c.set.union(EMPTY);
      if (!d.isEmpty()) out.children.set(k, { pe: c.pe, set: d });
    }
    return out;
  }

  /** Paths of this set that are neither in `other` nor below one of its members. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      if (other.members.has(k)) continue;
      const o = other.children.get(k);
      const d = o ? c.set.recursiveDifference(o.set) : c.set.union(EMPTY);
      if (!d.isEmpty()) out.children.set(k, { pe: c.pe, set: d });
    }
    return out;
  }

  /** Every member path: at each level the members first, then the children, each in element order. */
  paths(prefix: FieldPath = []): FieldPath[] {
    const out: FieldPath[] = [];
    for (const pe of [...this.members.values()].sort(compareElements)) out.push([...prefix, pe]);
    for (const c of [...this.children.values()].sort((a, b) => compareElements(a.pe, b.pe))) out.push(...c.set.paths([...prefix, c.pe]));
    return out;
  }

  /** The FieldsV1 object. */
  toFieldsV1(): Record<string, unknown> {
    return this.emit(false);
  }

  private emit(includeSelf: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (includeSelf) out['.'] = {};
    const keys = new Map<string, PathElement>();
    for (const [k, pe] of this.members) keys.set(k, pe);
    for (const [k, c] of this.children) if (!c.set.isEmpty()) keys.set(k, c.pe);
    const ordered = [...keys.entries()].sort((a, b) => compareElements(a[1], b[1]));
    for (const [k] of ordered) {
      const c = this.children.get(k);
      const childEmpty = !c || c.set.isEmpty();
      out[k] = childEmpty ? {} : c.set.emit(this.members.has(k));
    }
    return out;
  }

  static fromFieldsV1(fields: unknown): FieldSet {
    const out = new FieldSet();
    readInto(out, fields);
    return out;
  }
}

function readInto(set: FieldSet, fields: unknown): void {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new Error('expected an object');
  for (const [k, v] of Object.entries(fields)) {
    if (k === '.') continue;
    const pe = parseElement(k);
    const entries = Object.keys(v as object);
    // A leaf `{}` or a node marked `.` is a member; anything below is a child set.
    if (entries.length === 0 || entries.includes('.')) set.members.set(serializeElement(pe), pe);
    if (entries.some((e) => e !== '.')) readInto(set.child(pe), v);
  }
}

const EMPTY = new FieldSet();
