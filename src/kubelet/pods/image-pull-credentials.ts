// Registry credentials for a container image from the pod's imagePullSecrets, found the way the
// kubelet's credential keyring finds them (pkg/credentialprovider + its secrets keyring):
// kubernetes.io/dockerconfigjson (`.dockerconfigjson`, {"auths": {...}}) and kubernetes.io/dockercfg
// (`.dockercfg`, the bare map) Secrets; entries keyed by registry host[:port][/path], with or
// without scheme, `/v1/` and `/v2/` ignored, `*` globs per host label, the port exact and the
// path a prefix; `https://index.docker.io/v1/` serves images of docker.io.
import type { KubeObject } from '../../client/index.ts';
import { normalizeReference } from '../images/index.ts';

export const DOCKER_CONFIG_JSON_TYPE = 'kubernetes.io/dockerconfigjson';
export const DOCKER_CFG_TYPE = 'kubernetes.io/dockercfg';
const DOCKER_CONFIG_JSON_KEY = '.dockerconfigjson';
const DOCKER_CFG_KEY = '.dockercfg';
const DEFAULT_REGISTRY_HOST = 'index.docker.io';

/** One set of credentials that may pull the image, with the Secret it came from. */
export interface RegistryCredential {
  username: string;
  password: string;
  /** The config entry's key as the keyring indexes it: host[:port][/path]. */
  registry: string;
  secret: { namespace: string; name: string };
}

export interface PullCredentials {
  /** Candidates in the order to try them (most specific registry key first). */
  credentials: RegistryCredential[];
  /** imagePullSecrets names that do not exist (upstream warns and pulls anyway). */
  missingSecrets: string[];
}

/** A pull secret whose docker config cannot be read; upstream fails the pull with it. */
export class PullSecretError extends Error {
  override name = 'PullSecretError';
}

export type SecretLookup = (namespace: string, name: string) => KubeObject | undefined;

/** The credentials the pod's imagePullSecrets offer for `image` (an image reference as in a pod spec). */
export function imagePullCredentials(pod: KubeObject, image: string, secret: SecretLookup): PullCredentials {
  const namespace: string = pod.metadata?.namespace ?? 'default';
  const keyring = new Keyring();
  const missingSecrets: string[] = [];
  for (const ref of (pod.spec?.imagePullSecrets ?? []) as { name?: string }[]) {
    if (!ref?.name) continue;
    const s = secret(namespace, ref.name);
    if (!s) { missingSecrets.push(ref.name); continue; }
    const config = dockerConfigOf(s);
    if (config) keyring.add(config, { namespace, name: ref.name });
  }
  let repository: string;
  try {
    repository = normalizeReference(image).name;
  } catch {
    return { credentials: [], missingSecrets };
  }
  return { credentials: keyring.lookup(repository), missingSecrets };
}

interface ConfigEntry { username: string; password: string }

/** The registry → entry map of a docker config Secret; undefined for other Secrets (ignored, as upstream). */
export function dockerConfigOf(secret: KubeObject): Map<string, ConfigEntry> | undefined {
  const data: Record<string, string> = secret.data ?? {};
  let json: unknown;
  if (secret.type === DOCKER_CONFIG_JSON_TYPE && data[DOCKER_CONFIG_JSON_KEY]) {
    json = parseJSON(secret, data[DOCKER_CONFIG_JSON_KEY]);
    json = field(json, 'auths') ?? {};
  } else if (secret.type === DOCKER_CFG_TYPE && data[DOCKER_CFG_KEY]) {
    json = parseJSON(secret, data[DOCKER_CFG_KEY]);
  } else {
    return undefined;
  }
  if (!isObject(json)) throw new PullSecretError(`secret ${secret.metadata?.name}: the docker config is not a JSON object`);
  const entries = new Map<string, ConfigEntry>();
  for (const [registry, raw] of Object.entries(json)) {
    if (!isObject(raw)) throw new PullSecretError(`secret ${secret.metadata?.name}: entry "${registry}" is not a JSON object`);
    let username = stringField(raw, 'username');
    let password = stringField(raw, 'password');
    const auth = stringField(raw, 'auth');
    // As the kubelet: a non-empty auth field (base64 of user:password) overrides the other two.
    if (auth) [username, password] = decodeAuthField(auth);
    entries.set(registry, { username, password });
  }
  return entries;
}

function parseJSON(secret: KubeObject, base64: string): unknown {
  try {
    return JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch (e) {
    throw new PullSecretError(`secret ${secret.metadata?.name}: ${(e as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON object field matched as Go's encoding/json does: exact name first, then case-insensitively. */
function field(obj: unknown, name: string): unknown {
  if (!isObject(obj)) return undefined;
  if (name in obj) return obj[name];
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : obj[key];
}

function stringField(obj: Record<string, unknown>, name: string): string {
  const v = field(obj, name);
  return typeof v === 'string' ? v : '';
}

/** base64(username:password), padded (standard) or unpadded (raw), both strictly as Go decodes them. */
export function decodeAuthField(value: string): [username: string, password: string] {
  const padded = value.trim().endsWith('=');
  const bad = padded ? invalidStdBase64At(value) : invalidRawBase64At(value);
  if (bad >= 0) throw new PullSecretError(`illegal base64 data at input byte ${bad}`);
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new PullSecretError('unable to parse auth field, must be formatted as base64(username:password)');
  return [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

const B64 = /[A-Za-z0-9+/]/;

function invalidRawBase64At(s: string): number {
  for (let i = 0; i < s.length; i++) if (!B64.test(s[i]!)) return i;
  return s.length % 4 === 1 ? s.length - 1 : -1;
}

function invalidStdBase64At(s: string): number {
  const body = s.replace(/={1,2}$/, '');
  for (let i = 0; i < body.length; i++) if (!B64.test(body[i]!)) return i;
  if (s.length % 4 !== 0 || body.length % 4 === 1) return Math.min(s.length, body.length);
  return -1;
}

/** The kubelet's basic keyring: entries indexed by host[/path], most specific first. */
class Keyring {
  readonly #creds = new Map<string, RegistryCredential[]>();

  add(config: Map<string, ConfigEntry>, secret: { namespace: string; name: string }): void {
    for (const [location, entry] of config) {
      const key = keyringKey(location);
      if (key === undefined) continue;
      this.#creds.set(key, [...(this.#creds.get(key) ?? []), { ...entry, registry: key, secret }]);
    }
  }

  /** Every credential whose key matches the repository (host/path, no tag), in index order. */
  lookup(repository: string): RegistryCredential[] {
    // Reverse-sorted, so that host/path keys come before their host.
    const index = [...this.#creds.keys()].sort().reverse();
    const found = index.filter((k) => urlsMatch(k, repository)).flatMap((k) => this.#creds.get(k)!);
    if (found.length) return found;
    if (isDefaultRegistryMatch(repository)) return this.#creds.get(DEFAULT_REGISTRY_HOST) ?? [];
    return [];
  }
}

/** The index key of a config entry: `https://` assumed, `/v1/` or `/v2/` dropped, host plus path. */
export function keyringKey(location: string): string | undefined {
  const value = /^https?:\/\//.test(location) ? location : `https://${location}`;
  const u = splitUrl(value.replace(/^https?:\/\//, ''));
  if (!u) return undefined;
  let path = u.path;
  if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3);
  return path && path !== '/' ? u.host + path : u.host;
}

/** host and path of a scheme-less URL (the host keeps its case, as Go's url.Parse does). */
function splitUrl(schemeless: string): { host: string; path: string } | undefined {
  const end = schemeless.search(/[/?#]/);
  let host = end < 0 ? schemeless : schemeless.slice(0, end);
  const rest = end < 0 ? '' : schemeless.slice(end);
  host = host.slice(host.lastIndexOf('@') + 1);
  if (/\s/.test(host)) return undefined;
  const path = rest.startsWith('/') ? rest.replace(/[?#].*$/s, '') : '';
  return { host, path };
}

function hostParts(host: string): { parts: string[]; port: string } {
  const m = /^\[([^\]]*)\]:(\d*)$/.exec(host) ?? /^([^:]*):(\d*)$/.exec(host);
  const name = m ? m[1]! : host;
  return { parts: name.split('.'), port: m ? m[2]! : '' };
}

/** Whether the target (host[:port]/path) matches the glob key: same port, as many labels each matching, path a prefix. */
export function urlsMatch(glob: string, target: string): boolean {
  const g = splitUrl(glob);
  const t = splitUrl(target);
  if (!g || !t) return false;
  const gh = hostParts(g.host);
  const th = hostParts(t.host);
  if (gh.port !== th.port) return false;
  if (gh.parts.length !== th.parts.length) return false;
  if (!t.path.startsWith(g.path)) return false;
  return gh.parts.every((p, i) => globMatch(p, th.parts[i]!));
}

/** Go's filepath.Match for one host label: `*`, `?`, `[...]` classes (`^` negates), `\` escapes. */
function globMatch(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) re += escapeRegex(pattern[++i]!);
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) return false;
      let cls = pattern.slice(i + 1, close);
      const negate = cls.startsWith('^');
      if (negate) cls = cls.slice(1);
      if (!cls) return false;
      re += `[${negate ? '^' : ''}${cls.replace(/[\\\]]/g, '\\$&')}]`;
      i = close;
    } else re += escapeRegex(c);
  }
  try {
    return new RegExp(`^${re}$`).test(name);
  } catch {
    return false;
  }
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Whether the repository lives on Docker Hub by the shape of its name. */
function isDefaultRegistryMatch(repository: string): boolean {
  const i = repository.indexOf('/');
  const first = i < 0 ? repository : repository.slice(0, i);
  if (!first) return false;
  if (i < 0) return true;
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  return !/[.:]/.test(first);
}
