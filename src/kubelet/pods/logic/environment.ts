// A container's environment as the kubelet builds it (upstream's makeEnvironmentVariables):
// envFrom first (env overrides it), then env in order with $(VAR) expanded against the
// variables defined so far and the service variables, then the service variables not already
// set. The image's own Env goes underneath (mergeImageEnv), as the runtime merges it.
import type { EnvSources, EnvVar, KubeObject, PodEvent } from './types.ts';
import { expand, mappingFor } from './expansion.ts';
import { serviceEnvFor } from './service-env.ts';
import { podFieldValue, resourceFieldValue, type PodAddresses } from './field-ref.ts';

/** A failure the pod shows as CreateContainerConfigError with this message. */
export class ContainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

export interface EnvironmentInput extends PodAddresses {
  pod: KubeObject;
  container: KubeObject;
  sources: EnvSources;
  /** Node allocatable: what resourceFieldRef reads for a missing limit. */
  nodeAllocatable: Record<string, string>;
  /** Accept any printable name but `=` in envFrom keys (RelaxedEnvironmentVariableValidation). */
  relaxedNames?: boolean;
}

export interface Environment {
  env: EnvVar[];
  events: PodEvent[];
}

const STRICT_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const RELAXED_NAME = /^[\x20-\x3c\x3e-\x7e]+$/;

const decodeSecret = (v: unknown) => Buffer.from(String(v ?? ''), 'base64').toString('utf8');

export function containerEnvironment(input: EnvironmentInput): Environment {
  const { pod, container, sources } = input;
  const ns: string = pod.metadata?.namespace ?? 'default';
  const events: PodEvent[] = [];
  const validName = (k: string) => (input.relaxedNames ? RELAXED_NAME : STRICT_NAME).test(k);
  const serviceEnv = serviceEnvFor(ns, pod.spec?.enableServiceLinks !== false, sources.services(ns));

  const configMaps = new Map<string, KubeObject>();
  const secrets = new Map<string, KubeObject>();
  // undefined: missing and optional, so the reference is skipped.
  const configMap = (name: string, optional: boolean): KubeObject | undefined => {
    let cm = configMaps.get(name);
    if (!cm) {
      cm = sources.configMap(ns, name);
      if (!cm) {
        if (optional) return undefined;
        throw new ContainerConfigError(`configmap "${name}" not found`);
      }
      configMaps.set(name, cm);
    }
    return cm;
  };
  const secret = (name: string, optional: boolean): KubeObject | undefined => {
    let s = secrets.get(name);
    if (!s) {
      s = sources.secret(ns, name);
      if (!s) {
        if (optional) return undefined;
        throw new ContainerConfigError(`secret "${name}" not found`);
      }
      secrets.set(name, s);
    }
    return s;
  };

  const vars = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const prefix: string = from.prefix ?? '';
    let kind: 'configMap' | 'secret';
    let name: string;
    let entries: [string, string][];
    if (from.configMapRef) {
      kind = 'configMap';
      name = from.configMapRef.name;
      const cm = configMap(name, from.configMapRef.optional === true);
      if (!cm) continue;
      entries = Object.entries(cm.data ?? {}).map(([k, v]) => [k, String(v)]);
    } else if (from.secretRef) {
      kind = 'secret';
      name = from.secretRef.name;
      const s = secret(name, from.secretRef.optional === true);
      if (!s) continue;
      entries = Object.entries(s.data ?? {}).map(([k, v]) => [k, decodeSecret(v)]);
    } else {
      continue;
    }
    const invalid: string[] = [];
    for (const [key, value] of entries) {
      const k = prefix + key;
      if (!validName(k)) { invalid.push(k); continue; }
      vars.set(k, value);
    }
    if (invalid.length > 0) {
      events.push({
        type: 'Warning', reason: 'InvalidEnvironmentVariableNames',
        message: `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${kind} ${ns}/${name} were skipped since they are considered invalid environment variable names.`,
      });
    }
  }

  const mapping = mappingFor(vars, serviceEnv);
  for (const e of container.env ?? []) {
    let value: string = e.value ?? '';
    if (value !== '') {
      value = expand(value, mapping);
    } else if (e.valueFrom) {
      const resolved = valueFrom(e.valueFrom, input, configMap, secret, ns);
      if (resolved === undefined) continue;
      value = resolved;
    }
    vars.set(e.name, value);
  }

  const env: EnvVar[] = [...vars].map(([name, value]) => ({ name, value }));
  for (const [name, value] of serviceEnv) if (!vars.has(name)) env.push({ name, value });
  return { env, events };
}

/** One valueFrom source; undefined when an optional reference is missing. */
function valueFrom(
  from: KubeObject, input: EnvironmentInput,
  configMap: (name: string, optional: boolean) => KubeObject | undefined,
  secret: (name: string, optional: boolean) => KubeObject | undefined,
  ns: string,
): string | undefined {
  try {
    if (from.fieldRef) return podFieldValue(input.pod, from.fieldRef, input);
    if (from.resourceFieldRef) return resourceFieldValue(input.pod, input.container, from.resourceFieldRef, input.nodeAllocatable);
  } catch (e) {
    throw new ContainerConfigError((e as Error).message);
  }
  if (from.configMapKeyRef) {
    const { name, key } = from.configMapKeyRef;
    const optional = from.configMapKeyRef.optional === true;
    const cm = configMap(name, optional);
    if (!cm) return undefined;
    const v = cm.data?.[key];
    if (v === undefined) {
      if (optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${ns}/${name}`);
    }
    return String(v);
  }
  if (from.secretKeyRef) {
    const { name, key } = from.secretKeyRef;
    const optional = from.secretKeyRef.optional === true;
    const s = secret(name, optional);
    if (!s) return undefined;
    const v = s.data?.[key];
    if (v === undefined) {
      if (optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${key} in Secret ${ns}/${name}`);
    }
    return decodeSecret(v);
  }
  return '';
}

/**
 * The final `NAME=value` list: the image's Env with values the pod sets replaced in place,
 * then the pod's own variables (the runtime's merge).
 */
export function mergeImageEnv(imageEnv: string[], env: EnvVar[]): string[] {
  const own = new Map(env.map((e) => [e.name, e.value]));
  const out: string[] = [];
  const seen = new Set<string>();
  for (const kv of imageEnv) {
    const eq = kv.indexOf('=');
    const name = eq < 0 ? kv : kv.slice(0, eq);
    if (own.has(name)) {
      out.push(`${name}=${own.get(name)}`);
      seen.add(name);
    } else {
      out.push(kv);
    }
  }
  for (const e of env) if (!seen.has(e.name)) out.push(`${e.name}=${e.value}`);
  return out;
}
