// Reading request bodies: size limit (413), media type (415), and JSON/YAML decoding (400).
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { errors } from '../../api/status.ts';
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

/** The body format of a create/update request, or a 415. No Content-Type reads as JSON, as upstream. */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  if (!contentType) return 'json';
  const t = parseMediaType(contentType).type;
  if (t === 'application/json' || t === '*/*' || t === '') return 'json';
  if (t === 'application/yaml' || t === 'application/x-yaml' || t === 'text/yaml') return 'yaml';
  if (t === 'application/vnd.kubernetes.protobuf') return 'protobuf';
  throw errors.unsupportedMediaType(t, ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']);
}

/** Parses JSON (or YAML) into an object; malformed input is a 400 in upstream's words. */
export function parseObject(buf: Buffer, format: 'json' | 'yaml'): Record<string, any> {
  const text = buf.toString('utf8');
  let value: unknown;
  if (format === 'json') {
    try { value = JSON.parse(text); } catch (e) {
      throw errors.badRequest(`couldn't get version/kind; json parse error: ${jsonErrorText(e as Error)}`);
    }
  } else {
    try { value = parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 }); } catch (e) {
      throw errors.badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  return value as Record<string, any>;
}

function jsonErrorText(e: Error): string {
  const m = e.message;
  if (/Unexpected end of JSON input/i.test(m)) return 'unexpected end of JSON input';
  const tok = /Unexpected token '?(.)'?,?/.exec(m);
  if (tok) return `invalid character '${tok[1]}' looking for beginning of value`;
  return m.charAt(0).toLowerCase() + m.slice(1);
}
