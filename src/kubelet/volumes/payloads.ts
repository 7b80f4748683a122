// What each API-data volume (configMap, secret, downwardAPI, projected) holds: the files, their
// modes and contents, built in memory from the pod and the objects it references. Errors carry
// the kubelet's wording; optional references to missing objects or keys are skipped.
import type { KubeObject } from '../../client/api-client.ts';
import type { FileProjection, Payload } from './atomic-writer.ts';
import { containerResourceValue, podFieldValue, type NodeAllocatable } from './downward-api.ts';

export const DEFAULT_MODE = 0o644;

/** The API objects and tokens a payload may need; undefined from a getter means "not found". */
export interface PayloadSources {
  configMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  secret(namespace: string, name: string): Promise<KubeObject | undefined>;
  /** A token for the pod's service account; undefined when the server cannot issue one. */
  serviceAccountToken(pod: KubeObject, audience: string | undefined, expirationSeconds: number): Promise<string | undefined>;
  allocatable(): Promise<NodeAllocatable>;
}

/** The ownership the pod asks for (securityContext.fsGroup). */
export interface Ownership {
  fsGroup?: number;
  fsUser?: number;
}

export const configMapNotFound = (name: string) => new Error(`configmap "${name}" not found`);
export const secretNotFound = (name: string) => new Error(`secret "${name}" not found`);

/** One error, or upstream's aggregate form `[a, b]` for several. */
export function aggregate(errors: Error[]): Error | undefined {
  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0];
  return new Error(`[${errors.map((e) => e.message).join(', ')}]`);
}

interface KeyToPath { key: string; path: string; mode?: number }

function keyedPayload(
  entries: Map<string, Buffer>, items: KeyToPath[] | undefined, defaultMode: number, optional: boolean, missingKey: (key: string) => Error,
): Payload {
  const payload: Payload = new Map();
  if (!items?.length) {
    for (const [k, data] of entries) payload.set(k, { data, mode: defaultMode });
    return payload;
  }
  for (const item of items) {
    const data = entries.get(item.key);
    if (data === undefined) {
      if (optional) continue;
      throw missingKey(item.key);
    }
    payload.set(item.path, { data, mode: item.mode ?? defaultMode });
  }
  return payload;
}

function configMapEntries(cm: KubeObject | undefined): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(cm?.data ?? {})) m.set(k, Buffer.from(String(v), 'utf8'));
  for (const [k, v] of Object.entries(cm?.binaryData ?? {})) m.set(k, Buffer.from(String(v), 'base64'));
  return m;
}

function secretEntries(secret: KubeObject | undefined): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(secret?.data ?? {})) m.set(k, Buffer.from(String(v), 'base64'));
  // stringData is write-only on the server; honoured in case an object comes from elsewhere.
  for (const [k, v] of Object.entries(secret?.stringData ?? {})) m.set(k, Buffer.from(String(v), 'utf8'));
  return m;
}

export async function configMapPayload(src: PayloadSources, namespace: string, source: KubeObject, defaultMode: number): Promise<Payload> {
  const optional = source.optional === true;
  const cm = await src.configMap(namespace, source.name ?? '');
  if (!cm && !optional) throw configMapNotFound(source.name ?? '');
  return keyedPayload(configMapEntries(cm), source.items, defaultMode, optional, (k) => new Error(`configmap references non-existent config key: ${k}`));
}

export async function secretPayload(src: PayloadSources, namespace: string, source: KubeObject, nameField: 'secretName' | 'name', defaultMode: number): Promise<Payload> {
  const optional = source.optional === true;
  const name: string = source[nameField] ?? '';
  const secret = await src.secret(namespace, name);
  if (!secret && !optional) throw secretNotFound(name);
  return keyedPayload(secretEntries(secret), source.items, defaultMode, optional, (k) => new Error(`references non-existent secret key: ${k}`));
}

export async function downwardApiPayload(src: PayloadSources, pod: KubeObject, items: KubeObject[] | undefined, defaultMode: number): Promise<Payload> {
  const payload: Payload = new Map();
  const errors: Error[] = [];
  for (const item of items ?? []) {
    const mode: number = item.mode ?? defaultMode;
    try {
      let text: string;
      if (item.fieldRef) text = podFieldValue(pod, item.fieldRef.fieldPath ?? '');
      else if (item.resourceFieldRef) {
        const r = item.resourceFieldRef;
        text = containerResourceValue(pod, r.containerName ?? '', r.resource ?? '', r.divisor, await src.allocatable());
      } else continue;
      payload.set(item.path, { data: Buffer.from(text, 'utf8'), mode });
    } catch (e) {
      errors.push(e as Error);
    }
  }
  const err = aggregate(errors);
  if (err) throw err;
  return payload;
}

/** All sources of a projected volume merged into one payload; every source's error reported. */
export async function projectedPayload(src: PayloadSources, pod: KubeObject, source: KubeObject, owner: Ownership): Promise<Payload> {
  const defaultMode: number = source.defaultMode ?? DEFAULT_MODE;
  const namespace: string = pod.metadata.namespace;
  const payload: Payload = new Map();
  const errors: Error[] = [];
  const merge = (p: Payload) => { for (const [k, v] of p) payload.set(k, v); };
  for (const s of source.sources ?? []) {
    try {
      if (s.configMap) merge(await configMapPayload(src, namespace, s.configMap, defaultMode));
      else if (s.secret) merge(await secretPayload(src, namespace, s.secret, 'name', defaultMode));
      else if (s.downwardAPI) merge(await downwardApiPayload(src, pod, s.downwardAPI.items, defaultMode));
      else if (s.serviceAccountToken) {
        const t = s.serviceAccountToken;
        const token = await src.serviceAccountToken(pod, t.audience || undefined, t.expirationSeconds ?? 3600);
        if (token === undefined) continue;
        // With an fsGroup the token starts private; the group read bit comes with the ownership.
        const file: FileProjection = { data: Buffer.from(token, 'utf8'), mode: owner.fsGroup !== undefined || owner.fsUser !== undefined ? 0o600 : defaultMode };
        if (owner.fsUser !== undefined) file.uid = owner.fsUser;
        payload.set(t.path, file);
      }
    } catch (e) {
      errors.push(e as Error);
    }
  }
  const err = aggregate(errors);
  if (err) throw err;
  return payload;
}
