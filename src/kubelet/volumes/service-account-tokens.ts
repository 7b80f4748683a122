// Bound service account tokens for projected volumes, through the TokenRequest API
// (POST .../serviceaccounts/{name}/token), cached per pod and audience and renewed as upstream's
// token manager does: past 80% of the lifetime, or after 24 hours.
import type { ApiClient, KubeObject } from '../../client/api-client.ts';
import { isStatusError } from '../../api/status.ts';
import type { Logger } from '../../base/log.ts';

const MAX_TTL_MS = 24 * 3600 * 1000;

interface CachedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

export class ServiceAccountTokens {
  readonly #client: ApiClient;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #cache = new Map<string, CachedToken>();
  /** Set once the server answered that it does not serve TokenRequest. */
  #unsupported = false;

  constructor(client: ApiClient, log: Logger, now: () => number = Date.now) {
    this.#client = client;
    this.#log = log;
    this.#now = now;
  }

  get supported(): boolean { return !this.#unsupported; }

  /** A token for the pod's service account, or undefined when the server cannot issue tokens. */
  async token(pod: KubeObject, audience: string | undefined, expirationSeconds: number): Promise<string | undefined> {
    if (this.#unsupported) return undefined;
    const ns: string = pod.metadata.namespace;
    const sa: string = pod.spec?.serviceAccountName || pod.spec?.serviceAccount || 'default';
    const key = `${pod.metadata.uid}|${ns}|${sa}|${audience ?? ''}|${expirationSeconds}`;
    const cached = this.#cache.get(key);
    const now = this.#now();
    if (cached && !this.#needsRefresh(cached, now)) return cached.token;
    const request = {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
      spec: {
        audiences: audience ? [audience] : [],
        expirationSeconds,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid },
      },
    };
    let answer: KubeObject;
    try {
      answer = await this.#client.request('POST', `/api/v1/namespaces/${encodeURIComponent(ns)}/serviceaccounts/${encodeURIComponent(sa)}/token`, request);
    } catch (e) {
      if (isStatusError(e) && (e.code === 405 || (e.code === 404 && e.status.details?.name === undefined && /could not find the requested resource/.test(e.message)))) {
        this.#unsupported = true;
        this.#log.warn('the API server does not serve TokenRequest; projected service account tokens are left out');
        return undefined;
      }
      // A token still valid beats none while the API is unreachable.
      if (cached && cached.expiresAt > now) return cached.token;
      throw e;
    }
    const token: string = answer.status?.token ?? '';
    const expiresAt = answer.status?.expirationTimestamp ? Date.parse(answer.status.expirationTimestamp) : now + expirationSeconds * 1000;
    this.#cache.set(key, { token, issuedAt: now, expiresAt });
    return token;
  }

  #needsRefresh(t: CachedToken, now: number): boolean {
    if (now - t.issuedAt > MAX_TTL_MS) return true;
    return now > t.issuedAt + 0.8 * (t.expiresAt - t.issuedAt);
  }

  forget(uid: string): void {
    for (const key of this.#cache.keys()) if (key.startsWith(`${uid}|`)) this.#cache.delete(key);
  }
}
