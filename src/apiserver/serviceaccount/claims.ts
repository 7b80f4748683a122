// The claims of a service account token, as upstream's pkg/serviceaccount writes them: the
// registered JWT claims plus a private `kubernetes.io` claim naming the account and the object
// the token is bound to (a pod and its node, a secret, or a node).
import { randomUUID } from 'node:crypto';

/** Upstream's default issuer (kubeadm's --service-account-issuer); also the default audience. */
export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** The lifetime the ServiceAccount admission asks for; a pod-bound token with it is extended (see below). */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 60 * 60 + 7;

/** How long such a token really lives (one year), warning after the 3607 s it asked for. */
export const EXPIRATION_EXTENSION_SECONDS = 24 * 365 * 60 * 60;

export interface ObjectRef { name: string; uid?: string }

export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  /** Seconds since the epoch after which using the token is reported stale. */
  warnafter?: number;
}

export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': KubernetesClaim;
}

export interface ClaimsInput {
  issuer: string;
  namespace: string;
  serviceAccount: ObjectRef;
  audiences: string[];
  expirationSeconds: number;
  /** Seconds after issue when the token counts as stale (0: never). */
  warnAfterSeconds?: number;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  now: Date;
}

export const serviceAccountUsername = (namespace: string, name: string) => `system:serviceaccount:${namespace}:${name}`;

/** The groups every service account of a namespace is in (system:authenticated is added by authentication). */
export const serviceAccountGroups = (namespace: string) => ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];

const ref = (r: ObjectRef): ObjectRef => (r.uid ? { name: r.name, uid: r.uid } : { name: r.name });

export function serviceAccountClaims(input: ClaimsInput): ServiceAccountClaims {
  const now = Math.floor(input.now.getTime() / 1000);
  const k8s: KubernetesClaim = { namespace: input.namespace, serviceaccount: ref(input.serviceAccount) };
  if (input.pod) {
    k8s.pod = ref(input.pod);
    if (input.node) k8s.node = ref(input.node);
  } else if (input.secret) k8s.secret = ref(input.secret);
  else if (input.node) k8s.node = ref(input.node);
  if (input.warnAfterSeconds) k8s.warnafter = now + input.warnAfterSeconds;
  return {
    aud: [...input.audiences],
    exp: now + input.expirationSeconds,
    iat: now,
    iss: input.issuer,
    jti: randomUUID(),
    'kubernetes.io': k8s,
    nbf: now,
    sub: serviceAccountUsername(input.namespace, input.serviceAccount.name),
  };
}
