// authentication.k8s.io/v1: TokenRequest, TokenReview and SelfSubjectReview.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api 1.33 (generated.proto, types.go).
import type { GroupVersionKind, TypeDefs } from '../model.ts';
import { arrayOf, field, mapOf, objectHeader, ref } from '../model.ts';

const AUTHENTICATION = 'io.k8s.api.authentication.v1';
const gvk = (kind: string): GroupVersionKind => ({ group: 'authentication.k8s.io', version: 'v1', kind });

export const authenticationV1Types: TypeDefs = {
  [`${AUTHENTICATION}.TokenReview`]: {
    description: 'Asks the server to authenticate a token; results may be cached.',
    gvk: [gvk('TokenReview')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${AUTHENTICATION}.TokenReviewSpec`), 2, 'The token to check.', { required: true }),
      status: field(ref(`${AUTHENTICATION}.TokenReviewStatus`), 3, 'The result, filled in by the server.'),
    },
  },
  [`${AUTHENTICATION}.TokenReviewSpec`]: {
    description: 'The token to authenticate.',
    fields: {
      token: field('string', 1, 'The opaque bearer token.'),
      audiences: field(arrayOf('string'), 2, "The audiences the token must be valid for; defaults to the API server's audiences.", { listType: 'atomic' }),
    },
  },
  [`${AUTHENTICATION}.TokenReviewStatus`]: {
    description: 'The result of a token review.',
    fields: {
      authenticated: field('boolean', 1, 'Whether the token belongs to a known user.'),
      user: field(ref(`${AUTHENTICATION}.UserInfo`), 2, 'The user the token belongs to.'),
      audiences: field(arrayOf('string'), 4, "The audiences from the spec the token is valid for, or the API server's audiences when none were given.", { listType: 'atomic' }),
      error: field('string', 3, 'Why the token could not be checked.'),
    },
  },
  [`${AUTHENTICATION}.UserInfo`]: {
    description: 'The identity of a user, as an authenticator sees it.',
    fields: {
      username: field('string', 1, "The user's name, unique among active users."),
      uid: field('string', 2, 'An identifier that stays unique over time, unlike username.'),
      groups: field(arrayOf('string'), 3, 'The groups the user belongs to.', { listType: 'atomic' }),
      extra: field(mapOf(arrayOf('string')), 4, 'Further information the authenticator provides.'),
    },
  },
  [`${AUTHENTICATION}.TokenRequest`]: {
    description: 'Asks for a token for a service account; created through the serviceaccounts/token subresource.',
    gvk: [gvk('TokenRequest')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${AUTHENTICATION}.TokenRequestSpec`), 2, 'The properties of the requested token.', { required: true }),
      status: field(ref(`${AUTHENTICATION}.TokenRequestStatus`), 3, 'The issued token, filled in by the server.'),
    },
  },
  [`${AUTHENTICATION}.TokenRequestSpec`]: {
    description: 'The properties of a requested token.',
    fields: {
      audiences: field(arrayOf('string'), 1, "The audiences the token is for; a token is rejected by a recipient not among them. Defaults to the API server's audiences.", { required: true, listType: 'atomic' }),
      expirationSeconds: field('int64', 4, 'The requested lifetime; the issuer may return a different one, reported in status.'),
      boundObjectRef: field(ref(`${AUTHENTICATION}.BoundObjectReference`), 3, 'An object the token is bound to; the token stops working when the object is deleted.'),
    },
  },
  [`${AUTHENTICATION}.TokenRequestStatus`]: {
    description: 'The issued token.',
    fields: {
      token: field('string', 1, 'The opaque bearer token.', { required: true }),
      expirationTimestamp: field('date-time', 2, 'When the token expires.', { required: true }),
    },
  },
  [`${AUTHENTICATION}.BoundObjectReference`]: {
    description: 'An object a token is bound to.',
    fields: {
      kind: field('string', 1, 'The kind of the referent: Pod, Node or Secret.'),
      apiVersion: field('string', 2, 'The API version of the referent.'),
      name: field('string', 3, 'The name of the referent.'),
      uid: field('string', 4, 'The UID of the referent.'),
    },
  },
  [`${AUTHENTICATION}.SelfSubjectReview`]: {
    description: 'Returns the attributes the API server sees for the user making the request.',
    gvk: [gvk('SelfSubjectReview')],
    fields: {
      ...objectHeader(),
      status: field(ref(`${AUTHENTICATION}.SelfSubjectReviewStatus`), 2, "The user's attributes, filled in by the server."),
    },
  },
  [`${AUTHENTICATION}.SelfSubjectReviewStatus`]: {
    description: 'The result of a self subject review.',
    fields: {
      userInfo: field(ref(`${AUTHENTICATION}.UserInfo`), 1, "The user's attributes."),
    },
  },
};
