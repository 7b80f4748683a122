// Reading request bodies: size limit (413), media type (415), and JSON/YAML decoding (400), with
// the words of upstream's decoders (Go's encoding/json syntax errors, go-yaml's parse errors).
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { errors, StatusError } from '../../api/status.ts';
import { goQuote } from '../../api/validation/go-format.ts';
import { parseMediaType } from './negotiate.ts';

/** Upstream's default maximum request body size (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) { req.resume(); reject(errors.tooLarge(limit)); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) { failed = true; reject(errors.tooLarge(limit)); req.resume(); return; }
      chunks.push(c);
    });
    req.on('end', () => { if (!failed) resolve(Buffer.concat(chunks)); });
    req.on('error', (e) => { if (!failed) reject(e); });
  });
}

export type BodyFormat = 'json' | 'yaml' | 'protobuf';

export const BODY_MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/**
 * The body format of a create/update request, or a 415. No Content-Type reads as JSON; any other
 * type must be one of the serializers' exactly, as upstream (so text/yaml and * / * are refused).
 */
export function bodyFormat(contentType: string | undefined, accepted: readonly string[] = BODY_MEDIA_TYPES): BodyFormat {
  if (!contentType) return 'json';
  const t = parseMediaType(contentType).type;
  if (accepted.includes(t)) {
    if (t === 'application/json') return 'json';
    if (t === 'application/yaml') return 'yaml';
    if (t === 'application/vnd.kubernetes.protobuf') return 'protobuf';
  }
  // Upstream's Status for this carries no details.
  throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

/** A body that cannot be read as an object at all, in the decoder's words; the caller words the 400. */
export class BodyDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyDecodeError';
  }
}

/** Upstream's summary of a body in decode errors: JSON objects as text, anything else as hex, 30 bytes at most. */
export function summarizeBody(buf: Buffer, max = 30): string {
  if (buf.length === 0) return '<empty>';
  const head = buf.subarray(0, max);
  const text = buf[0] === 0x7b ? head.toString('latin1') : head.toString('hex');
  return buf.length > max ? `${text} ...` : text;
}

/**
 * Decodes JSON (or YAML) into an object the way upstream's serializer reads the type header:
 * malformed input and a top level that is not an object throw BodyDecodeError; `null` is an
 * empty object.
 */
export function decodeBody(buf: Buffer, format: 'json' | 'yaml'): Record<string, any> {
  let value: unknown;
  if (format === 'json') {
    const syntax = goJsonSyntaxError(buf);
    if (syntax) throw new BodyDecodeError(`couldn't get version/kind; json parse error: ${syntax}`);
    value = JSON.parse(buf.toString('utf8'));
  } else {
    const text = buf.toString('utf8');
    try { value = parseYaml(text, { uniqueKeys: false, maxAliasCount: 100 }); } catch (e) {
      throw new BodyDecodeError(goYamlMessage(e as Error, text));
    }
    if (value === undefined) value = null;
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new BodyDecodeError(`couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonType(value)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  const obj = value as Record<string, any>;
  for (const key of Object.keys(obj)) {
    if ((key === 'apiVersion' || key === 'kind') && obj[key] !== null && typeof obj[key] !== 'string') {
      throw new BodyDecodeError(`couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonType(obj[key])} into Go struct field .${key} of type string`);
    }
  }
  if (typeof obj.apiVersion === 'string' && obj.apiVersion !== '/' && obj.apiVersion.split('/').length > 2) {
    throw new BodyDecodeError(`unexpected GroupVersion string: ${obj.apiVersion}`);
  }
  return obj;
}

/**
 * Parses a body into an object; malformed input is a 400. With the kind the URL expects, worded
 * as upstream's create and update handlers word it; without, the decoder's words alone.
 */
export function parseObject(buf: Buffer, format: 'json' | 'yaml', expectedKind?: string): Record<string, any> {
  try {
    return decodeBody(buf, format);
  } catch (e) {
    if (!(e instanceof BodyDecodeError)) throw e;
    if (expectedKind === undefined) throw errors.badRequest(e.message);
    throw errors.badRequest(`the object provided is unrecognized (must be of type ${expectedKind}): ${e.message} (${summarizeBody(buf)})`);
  }
}

/** The JSON type names of Go's unmarshal errors. */
export function goJsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** Go's quoteChar: a byte in single quotes, escaped as strconv.Quote would. */
function quoteByte(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  return `'${goQuote(String.fromCharCode(c)).slice(1, -1)}'`;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

class GoSyntaxError extends Error {}

/** The first syntax error of a JSON text as Go's encoding/json words it, or undefined when it is valid. */
export function goJsonSyntaxError(buf: Uint8Array): string | undefined {
  let i = 0;
  const EOF = -1;
  const peek = () => (i < buf.length ? buf[i] : EOF);
  const fail = (c: number, context: string): never => {
    throw new GoSyntaxError(c === EOF ? 'unexpected end of JSON input' : `invalid character ${quoteByte(c)} ${context}`);
  };
  const skipSpace = () => { while (i < buf.length && isSpace(buf[i])) i++; };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      const c = peek();
      if (c !== word.charCodeAt(k)) fail(c, `in literal ${word} (expecting '${word[k]}')`);
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      const c = peek();
      if (c === EOF) fail(c, '');
      i++;
      if (c === 0x22) return;
      if (c === 0x5c) {
        const e = peek();
        if (e === EOF) fail(e, '');
        i++;
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) { const h = peek(); if (!isHex(h)) fail(h, 'in \\u hexadecimal character escape'); i++; }
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) fail(e, 'in string escape code');
      } else if (c < 0x20) fail(c, 'in string literal');
    }
  };
  const number = () => {
    if (peek() === 0x2d) { i++; if (!isDigit(peek())) fail(peek(), 'in numeric literal'); }
    if (peek() === 0x30) i++;
    else while (isDigit(peek())) i++;
    if (peek() === 0x2e) {
      i++;
      if (!isDigit(peek())) fail(peek(), 'after decimal point in numeric literal');
      while (isDigit(peek())) i++;
    }
    if (peek() === 0x65 || peek() === 0x45) {
      i++;
      if (peek() === 0x2b || peek() === 0x2d) i++;
      if (!isDigit(peek())) fail(peek(), 'in exponent of numeric literal');
      while (isDigit(peek())) i++;
    }
  };
  const value = () => {
    skipSpace();
    const c = peek();
    if (c === 0x7b) {
      i++;
      skipSpace();
      if (peek() === 0x7d) { i++; return; }
      for (;;) {
        skipSpace();
        if (peek() !== 0x22) fail(peek(), 'looking for beginning of object key string');
        string();
        skipSpace();
        if (peek() !== 0x3a) fail(peek(), 'after object key');
        i++;
        value();
        skipSpace();
        const n = peek();
        if (n === 0x2c) { i++; continue; }
        if (n === 0x7d) { i++; return; }
        fail(n, 'after object key:value pair');
      }
    }
    if (c === 0x5b) {
      i++;
      skipSpace();
      if (peek() === 0x5d) { i++; return; }
      for (;;) {
        value();
        skipSpace();
        const n = peek();
        if (n === 0x2c) { i++; continue; }
        if (n === 0x5d) { i++; return; }
        fail(n, 'after array element');
      }
    }
    if (c === 0x22) return string();
    if (c === 0x2d || isDigit(c)) return number();
    if (c === 0x74) { i++; return literal('true'); }
    if (c === 0x66) { i++; return literal('false'); }
    if (c === 0x6e) { i++; return literal('null'); }
    fail(c, 'looking for beginning of value');
  };
  try {
    value();
    skipSpace();
    if (i < buf.length) fail(buf[i], 'after top-level value');
    return undefined;
  } catch (e) {
    if (e instanceof GoSyntaxError) return e.message;
    throw e;
  }
}

/**
 * go-yaml's wording for the common YAML mistakes (as upstream's YAML serializer reports them):
 * scanner errors name the 1-based line unless it is the first; errors found at the end of the
 * stream name the line after the last one. Others keep the parser's own words.
 */
function goYamlMessage(e: Error, text: string): string {
  if (!(e instanceof YAMLParseError)) return `yaml: ${e.message}`;
  const line = e.linePos?.[0].line ?? 1;
  const scannerLine = (n: number) => (n > 1 ? `line ${n}: ` : '');
  const newlines = (text.match(/\n/g) ?? []).length;
  const endLine = newlines + (text.endsWith('\n') ? 0 : 1);
  const first = e.message.split('\n')[0];
  switch (e.code) {
    case 'TAB_AS_INDENT': return `yaml: ${scannerLine(line)}found character that cannot start any token`;
    case 'BLOCK_AS_IMPLICIT_KEY': {
      // go-yaml stops at the ':' that follows the value, which may be lines later.
      const colon = text.slice(e.pos[0]).search(/:(\s|$)/);
      const at = colon < 0 ? line : lineOf(text, e.pos[0] + colon);
      return `yaml: ${scannerLine(at)}mapping values are not allowed in this context`;
    }
  }
  if (/^Flow sequence .*end with a \]/.test(first)) return `yaml: line ${endLine}: did not find expected ',' or ']'`;
  if (/^Flow map must end with a \}/.test(first)) return `yaml: line ${endLine}: did not find expected ',' or '}'`;
  if (/^Missing closing .?quote/.test(first)) return `yaml: ${scannerLine(newlines + 1)}found unexpected end of stream`;
  return `yaml: line ${line}: ${first.replace(/ at line \d+, column \d+:?$/, '')}`;
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let k = 0; k < offset && k < text.length; k++) if (text.charCodeAt(k) === 0x0a) n++;
  return n;
}
