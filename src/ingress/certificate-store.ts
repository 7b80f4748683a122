// Certificates for TLS termination, chosen by SNI: spec.tls[].hosts of our Ingresses name the
// kubernetes.io/tls Secret (tls.crt, tls.key, in the Ingress's namespace) that serves each host;
// a tls entry without hosts serves the names in its certificate (as Traefik does). An exact
// host wins over a wildcard (`*.example.com`, one label), the older Ingress over a newer one,
// and a missing or broken secret falls through to the next candidate and finally to the
// default certificate, which also answers clients without SNI.
import { createSecureContext, type SecureContext } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { KubeObject } from '../client/api-client.ts';
import { normalizeHost, wildcardFor } from './route-table.ts';

export interface TlsBinding {
  /** namespace/name of the Secret. */
  secret: string;
  /** The hosts it serves; undefined: the DNS names in its certificate. */
  hosts?: string[];
}

/** The tls entries of our Ingresses (oldest first), as bindings of hosts to secrets. */
export function tlsBindings(oursOldestFirst: readonly KubeObject[]): TlsBinding[] {
  const out: TlsBinding[] = [];
  for (const ing of oursOldestFirst) {
    for (const t of ing.spec?.tls ?? []) {
      if (!t?.secretName) continue;
      const secret = `${ing.metadata.namespace}/${t.secretName}`;
      const hosts = (t.hosts ?? []).map((h: string) => normalizeHost(h)).filter(Boolean);
      out.push(hosts.length ? { secret, hosts } : { secret });
    }
  }
  return out;
}

interface Loaded {
  context?: SecureContext;
  /** DNS names of the certificate (lower case). */
  names: string[];
  error?: string;
}

export type Selection = { secret: string; context: SecureContext } | { secret: undefined; context: SecureContext };

const b64 = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : '');

/** Loads a TLS secret: a secure context, or why it cannot serve. */
export function loadTlsSecret(secret: KubeObject): Loaded {
  const cert = b64(secret.data?.['tls.crt']) || (secret.stringData?.['tls.crt'] ?? '');
  const key = b64(secret.data?.['tls.key']) || (secret.stringData?.['tls.key'] ?? '');
  if (!cert || !key) return { names: [], error: 'the secret has no tls.crt or tls.key' };
  try {
    const context = createSecureContext({ cert, key });
    let names: string[] = [];
    try {
      const x = new X509Certificate(cert);
      names = (x.subjectAltName ?? '').split(/,\s*/).filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4).toLowerCase());
      if (names.length === 0) {
        const cn = /(?:^|\n)CN=([^\n]+)/.exec(x.subject)?.[1];
        if (cn) names = [cn.toLowerCase()];
      }
    } catch { /* names stay empty: only explicit hosts use it */ }
    return { context, names };
  } catch (err) {
    return { names: [], error: (err as Error).message };
  }
}

function coveredBy(names: readonly string[], host: string): boolean {
  const wild = wildcardFor(host);
  return names.some((n) => n === host || (wild !== undefined && n === wild));
}

export class CertificateStore {
  readonly #default: SecureContext;
  readonly #secrets = new Map<string, Loaded>();
  /** host (or `*.domain`) → secrets in order of preference. */
  #explicit = new Map<string, string[]>();
  /** Secrets of tls entries without hosts, in order of preference. */
  #implicit: string[] = [];

  constructor(defaultPem: { cert: string; key: string }) {
    this.#default = createSecureContext(defaultPem);
  }

  /** Loads or reloads a Secret; returns why it cannot serve, if it cannot. */
  setSecret(secret: KubeObject): string | undefined {
    const loaded = loadTlsSecret(secret);
    this.#secrets.set(`${secret.metadata.namespace}/${secret.metadata.name}`, loaded);
    return loaded.error;
  }

  deleteSecret(secret: KubeObject): void {
    this.#secrets.delete(`${secret.metadata.namespace}/${secret.metadata.name}`);
  }

  setBindings(bindings: readonly TlsBinding[]): void {
    const explicit = new Map<string, string[]>();
    const implicit: string[] = [];
    for (const b of bindings) {
      if (!b.hosts) { if (!implicit.includes(b.secret)) implicit.push(b.secret); continue; }
      for (const h of b.hosts) {
        const list = explicit.get(h) ?? [];
        if (!list.includes(b.secret)) list.push(b.secret);
        explicit.set(h, list);
      }
    }
    this.#explicit = explicit;
    this.#implicit = implicit;
  }

  /** Why the secrets named by our Ingresses cannot serve (namespace/name → reason). */
  problems(): Map<string, string> {
    const out = new Map<string, string>();
    const named = new Set([...this.#implicit, ...[...this.#explicit.values()].flat()]);
    for (const s of named) {
      const l = this.#secrets.get(s);
      if (!l) out.set(s, 'the secret does not exist or is not of type kubernetes.io/tls');
      else if (l.error) out.set(s, l.error);
    }
    return out;
  }

  /** The certificate for a server name (SNI); the default one when none is bound or it cannot serve. */
  select(servername: string | undefined): Selection {
    const host = normalizeHost(servername);
    if (host) {
      const wild = wildcardFor(host);
      for (const candidates of [this.#explicit.get(host), wild ? this.#explicit.get(wild) : undefined]) {
        for (const s of candidates ?? []) {
          const l = this.#secrets.get(s);
          if (l?.context) return { secret: s, context: l.context };
        }
      }
      for (const s of this.#implicit) {
        const l = this.#secrets.get(s);
        if (l?.context && coveredBy(l.names, host)) return { secret: s, context: l.context };
      }
    }
    return { secret: undefined, context: this.#default };
  }

  /** For `SNICallback`. */
  sniCallback = (servername: string, cb: (err: Error | null, ctx?: SecureContext) => void): void => {
    try { cb(null, this.select(servername).context); } catch (err) { cb(err as Error); }
  };
}
