// Authenticates a bearer token as a service account, as upstream's service account token
// authenticator does: our issuer, our signature, one of the API server's audiences, within its
// lifetime (one minute of leeway), and the account — and the pod, secret or node it is bound
// to — still there with the same uid.
import type { ApiContext, UserInfo } from '../rest/context.ts';
import type { KubeObject } from '../../api/registry/resource.ts';
import { objectKey } from '../watchcache/keys.ts';
import { decodeObject } from '../watchcache/watch-cache.ts';
import { parseJwt, verifyJwt } from './jwt.ts';
import type { SigningKey } from './signing-key.ts';
import { serviceAccountGroups, serviceAccountUsername, type KubernetesClaim } from './claims.ts';

export interface TokenSettings {
  key: SigningKey;
  /** The `iss` of the tokens this server issues and accepts. */
  issuer: string;
  /** The API server's own audiences: tokens are issued for them by default and must name one to be accepted. */
  audiences: string[];
}

export type TokenAuthentication = { ok: true; user: UserInfo } | { ok: false; reason: string };

export const POD_NAME_EXTRA = 'authentication.kubernetes.io/pod-name';
export const POD_UID_EXTRA = 'authentication.kubernetes.io/pod-uid';
export const NODE_NAME_EXTRA = 'authentication.kubernetes.io/node-name';
export const NODE_UID_EXTRA = 'authentication.kubernetes.io/node-uid';
export const CREDENTIAL_ID_EXTRA = 'authentication.kubernetes.io/credential-id';

const LEEWAY_SECONDS = 60;
const INVALIDATED = 'service account token has been invalidated';

/** An object from the watch cache, or from storage when the cache has not seen it (yet). */
async function lookup(ctx: ApiContext, plural: string, namespace: string, name: string): Promise<KubeObject | undefined> {
  const key = objectKey('', plural, namespace, name);
  const cached = ctx.cache.get(key)?.obj;
  if (cached) return cached;
  const kv = await ctx.store.get(key);
  return kv ? decodeObject(kv) : undefined;
}

const deletedBefore = (obj: KubeObject, limit: number) =>
  !!obj.metadata?.deletionTimestamp && Date.parse(obj.metadata.deletionTimestamp) < limit;

const rejected = (reason: string): TokenAuthentication => ({ ok: false, reason });

export async function authenticateServiceAccountToken(ctx: ApiContext, settings: TokenSettings, token: string): Promise<TokenAuthentication> {
  const jwt = parseJwt(token);
  // Not a JWT, or another issuer's: not a service account token at all.
  if (!jwt || jwt.claims.iss !== settings.issuer) return rejected('invalid bearer token');
  if (!verifyJwt(settings.key, jwt)) return rejected('invalid signature');
  const claims = jwt.claims;
  const audiences: string[] = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.filter((a: unknown) => typeof a === 'string') : [];
  if (!audiences.some((a) => settings.audiences.includes(a))) {
    return rejected(`token audiences ${JSON.stringify(audiences)} is invalid for the target audiences ${JSON.stringify(settings.audiences)}`);
  }
  const nowMs = ctx.now().getTime();
  const now = nowMs / 1000;
  if (typeof claims.exp === 'number' && now >= claims.exp + LEEWAY_SECONDS) return rejected('service account token has expired');
  if (typeof claims.nbf === 'number' && now + LEEWAY_SECONDS < claims.nbf) return rejected('service account token is not valid yet');
  if (typeof claims.iat === 'number' && now + LEEWAY_SECONDS < claims.iat) return rejected('service account token is issued in the future');

  const k8s = claims['kubernetes.io'] as KubernetesClaim | undefined;
  const namespace = typeof k8s?.namespace === 'string' ? k8s.namespace : '';
  const saRef = k8s?.serviceaccount;
  if (!namespace || typeof saRef?.name !== 'string') return rejected('service account token claims are incomplete');
  const limit = nowMs - LEEWAY_SECONDS * 1000;

  const sa = await lookup(ctx, 'serviceaccounts', namespace, saRef.name);
  if (!sa) return rejected(`serviceaccounts "${saRef.name}" not found`);
  if (sa.metadata.uid !== saRef.uid) return rejected(`service account UID (${sa.metadata.uid}) does not match claim (${saRef.uid})`);
  if (deletedBefore(sa, limit)) return rejected(`service account ${namespace}/${saRef.name} has been deleted`);

  if (k8s!.secret) {
    const secret = await lookup(ctx, 'secrets', namespace, k8s!.secret.name);
    if (!secret || deletedBefore(secret, limit)) return rejected(INVALIDATED);
    if (secret.metadata.uid !== k8s!.secret.uid) return rejected(`secret UID (${secret.metadata.uid}) does not match service account secret ref claim (${k8s!.secret.uid})`);
  }
  const extra: Record<string, string[]> = {};
  if (k8s!.pod) {
    const pod = await lookup(ctx, 'pods', namespace, k8s!.pod.name);
    if (!pod || deletedBefore(pod, limit)) return rejected(INVALIDATED);
    if (pod.metadata.uid !== k8s!.pod.uid) return rejected(`pod UID (${pod.metadata.uid}) does not match service account pod ref claim (${k8s!.pod.uid})`);
    extra[POD_NAME_EXTRA] = [k8s!.pod.name];
    extra[POD_UID_EXTRA] = [k8s!.pod.uid ?? ''];
    // A pod-bound token names its node for information only: the node is not looked up.
    if (k8s!.node) {
      extra[NODE_NAME_EXTRA] = [k8s!.node.name];
      if (k8s!.node.uid) extra[NODE_UID_EXTRA] = [k8s!.node.uid];
    }
  } else if (k8s!.node) {
    const node = await lookup(ctx, 'nodes', '', k8s!.node.name);
    if (!node || deletedBefore(node, limit)) return rejected(INVALIDATED);
    if (node.metadata.uid !== k8s!.node.uid) return rejected(`node UID (${node.metadata.uid}) does not match service account node ref claim (${k8s!.node.uid})`);
    extra[NODE_NAME_EXTRA] = [k8s!.node.name];
    if (k8s!.node.uid) extra[NODE_UID_EXTRA] = [k8s!.node.uid];
  }
  if (typeof claims.jti === 'string' && claims.jti) extra[CREDENTIAL_ID_EXTRA] = [`JTI=${claims.jti}`];
  const user: UserInfo = {
    username: serviceAccountUsername(namespace, saRef.name),
    uid: saRef.uid,
    groups: [...serviceAccountGroups(namespace), 'system:authenticated'],
  };
  if (Object.keys(extra).length) user.extra = extra;
  return { ok: true, user };
}
