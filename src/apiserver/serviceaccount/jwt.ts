// Compact JWS (JWT) with RS256, the only form service account tokens take: sign claims with the
// signing key, and read back a token whose signature that key made.
import { sign, verify } from 'node:crypto';
import type { SigningKey } from './signing-key.ts';

export interface ParsedJwt {
  header: Record<string, unknown>;
  claims: Record<string, any>;
  /** `header.payload`, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

/** JSON with object keys sorted at every level (undefined members left out). */
function sortedJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${sortedJson(x)}`).join(',')}}`;
}

/** A signed token; claims are written with sorted keys, as upstream's JSON of merged claim maps. */
export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const input = `${b64url(JSON.stringify({ alg: 'RS256', kid: key.keyId }))}.${b64url(sortedJson(claims))}`;
  return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;

function decodeSegment(seg: string): Record<string, any> | undefined {
  try {
    const v = JSON.parse(Buffer.from(seg, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch { return undefined; }
}

/** The parts of a compact JWS, or undefined when the string is not one (so not a token of ours). */
export function parseJwt(token: string): ParsedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p)) || !parts[0] || !parts[1]) return undefined;
  const header = decodeSegment(parts[0]);
  const claims = decodeSegment(parts[1]);
  if (!header || !claims) return undefined;
  return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
}

/** Whether the key signed this token with RS256 (any other algorithm, "none" included, fails). */
export function verifyJwt(key: SigningKey, jwt: ParsedJwt): boolean {
  if (jwt.header.alg !== 'RS256') return false;
  try {
    return verify('sha256', Buffer.from(jwt.signingInput), key.publicKey, jwt.signature);
  } catch { return false; }
}
