// Issues a service account token: the claims for the account and bound object, signed.
import { serviceAccountClaims, type ClaimsInput } from './claims.ts';
import { signJwt } from './jwt.ts';
import type { TokenSettings } from './token-authenticator.ts';

export function issueToken(settings: TokenSettings, input: Omit<ClaimsInput, 'issuer'>): string {
  return signJwt(settings.key, { ...serviceAccountClaims({ ...input, issuer: settings.issuer }) });
}
