// Renders values the way Go's fmt does in upstream error messages (%q for strings, %#v for the
// rest), so messages built from a bad value read exactly as the Kubernetes API server writes them.

const NAMED_ESCAPES: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\',
};

function isGoPrintable(cp: number): boolean {
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp >= 0x80 && cp <= 0x9f) return false;
  if (cp === 0xad || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return true;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** Go's strconv.Quote / fmt %q of a string. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const named = NAMED_ESCAPES[ch];
    if (named) { out += named; continue; }
    const cp = ch.codePointAt(0)!;
    if (isGoPrintable(cp)) out += ch;
    else if (cp < 0x80) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + '"';
}

/** A value already written in Go syntax (a typed struct as upstream prints it). */
export class GoLiteral {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** metav1.LabelSelector as %#v prints it (the bad value of selector errors). */
export function goLabelSelector(sel: unknown): GoLiteral | null {
  if (sel === null || sel === undefined || typeof sel !== 'object') return null;
  const s = sel as { matchLabels?: Record<string, string> | null; matchExpressions?: { key?: string; operator?: string; values?: string[] | null }[] | null };
  const labels = s.matchLabels ? goSyntax(s.matchLabels) : 'map[string]string(nil)';
  const exprs = s.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions
        .map((e) => `v1.LabelSelectorRequirement{Key:${goQuote(e.key ?? '')}, Operator:${goQuote(e.operator ?? '')}, Values:${e.values ? goSyntax(e.values) : '[]string(nil)'}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoLiteral(`v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${exprs}}`);
}

/** intstr.IntOrString as %#v prints it. */
export function goIntOrString(v: unknown): GoLiteral {
  if (typeof v === 'number') return new GoLiteral(`intstr.IntOrString{Type:0, IntVal:${v}, StrVal:""}`);
  return new GoLiteral(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(String(v ?? ''))}}`);
}

/** Go's %#v of a JSON-like value, as far as JSON values allow (arrays of strings become []string{...}). */
export function goSyntax(value: unknown): string {
  if (value instanceof GoLiteral) return value.text;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) {
    const elementType = value.length > 0 && value.every((v) => typeof v === 'string') ? 'string'
      : value.length > 0 && value.every((v) => typeof v === 'number' && Number.isInteger(v)) ? 'int' : value.length === 0 ? 'string' : 'interface {}';
    return `[]${elementType}{${value.map(goSyntax).join(', ')}}`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.every(([, v]) => typeof v === 'string')) {
      const sorted = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `map[string]string{${sorted.map(([k, v]) => `${goQuote(k)}:${goQuote(v as string)}`).join(', ')}}`;
    }
    return JSON.stringify(value);
  }
  return String(value);
}
