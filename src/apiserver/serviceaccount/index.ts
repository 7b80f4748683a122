// Service account tokens: the signing key, the JWT form, the claims, issuing and authenticating.
export { loadOrCreateSigningKey, signingKeyFrom, type SigningKey } from './signing-key.ts';
export { signJwt, parseJwt, verifyJwt, type ParsedJwt } from './jwt.ts';
export {
  DEFAULT_ISSUER, WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, EXPIRATION_EXTENSION_SECONDS,
  serviceAccountClaims, serviceAccountUsername, serviceAccountGroups,
  type ServiceAccountClaims, type KubernetesClaim, type ObjectRef, type ClaimsInput,
} from './claims.ts';
export { issueToken } from './token-issuer.ts';
export {
  authenticateServiceAccountToken, POD_NAME_EXTRA, POD_UID_EXTRA, NODE_NAME_EXTRA, NODE_UID_EXTRA, CREDENTIAL_ID_EXTRA,
  type TokenSettings, type TokenAuthentication,
} from './token-authenticator.ts';
