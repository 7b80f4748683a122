// Decoding of an apply patch body (application/apply-patch+yaml; kubectl sends JSON, which
// is YAML too) into the configuration object, with upstream's 400 on failure.
import { parse } from 'yaml';
import { badRequest } from './errors.ts';

export function parseApplyPatch(body: string | Uint8Array): Record<string, any> {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest(`error decoding patch: json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type map[string]interface {}`);
  }
  return parsed as Record<string, any>;
}
