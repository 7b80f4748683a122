// authorization.k8s.io/v1: the access reviews kubectl auth can-i sends.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api 1.33 (generated.proto, types.go).
import type { GroupVersionKind, TypeDefs } from '../model.ts';
import { META, arrayOf, field, mapOf, objectHeader, ref } from '../model.ts';

const AUTHORIZATION = 'io.k8s.api.authorization.v1';
const gvk = (kind: string): GroupVersionKind => ({ group: 'authorization.k8s.io', version: 'v1', kind });

export const authorizationV1Types: TypeDefs = {
  [`${AUTHORIZATION}.SubjectAccessReview`]: {
    description: 'Asks whether a user or group may perform an action.',
    gvk: [gvk('SubjectAccessReview')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${AUTHORIZATION}.SubjectAccessReviewSpec`), 2, 'The request being evaluated.', { required: true }),
      status: field(ref(`${AUTHORIZATION}.SubjectAccessReviewStatus`), 3, 'The answer, filled in by the server.'),
    },
  },
  [`${AUTHORIZATION}.SelfSubjectAccessReview`]: {
    description: 'Asks whether the current user may perform an action; an empty namespace means all namespaces.',
    gvk: [gvk('SelfSubjectAccessReview')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${AUTHORIZATION}.SelfSubjectAccessReviewSpec`), 2, 'The request being evaluated; user and groups are taken from the requester.', { required: true }),
      status: field(ref(`${AUTHORIZATION}.SubjectAccessReviewStatus`), 3, 'The answer, filled in by the server.'),
    },
  },
  [`${AUTHORIZATION}.LocalSubjectAccessReview`]: {
    description: 'Asks whether a user or group may perform an action in one namespace; lets namespace admins check access there.',
    gvk: [gvk('LocalSubjectAccessReview')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${AUTHORIZATION}.SubjectAccessReviewSpec`), 2, "The request being evaluated; its namespace must match the review's, or be empty.", { required: true }),
      status: field(ref(`${AUTHORIZATION}.SubjectAccessReviewStatus`), 3, 'The answer, filled in by the server.'),
    },
  },
  [`${AUTHORIZATION}.ResourceAttributes`]: {
    description: 'The attributes of a resource request, for an authorizer.',
    fields: {
      namespace: field('string', 1, 'The namespace of the action; "" means all namespaces for namespaced actions and none for cluster-scoped ones.'),
      verb: field('string', 2, 'A Kubernetes resource API verb such as get, list, watch, create or delete; "*" means all.'),
      group: field('string', 3, 'The API group of the resource; "*" means all.'),
      version: field('string', 4, 'The API version of the resource; "*" means all.'),
      resource: field('string', 5, 'A resource type name; "*" means all.'),
      subresource: field('string', 6, 'A subresource; "" means none.'),
      name: field('string', 7, 'The name of the resource being got, updated or deleted; "" means all.'),
      fieldSelector: field(ref(`${AUTHORIZATION}.FieldSelectorAttributes`), 8, 'The field selector of a list or watch request; honoured only by authorizers that support it.'),
      labelSelector: field(ref(`${AUTHORIZATION}.LabelSelectorAttributes`), 9, 'The label selector of a list or watch request; honoured only by authorizers that support it.'),
    },
  },
  [`${AUTHORIZATION}.LabelSelectorAttributes`]: {
    description: 'A label selector of a request, as raw text or parsed requirements (not both).',
    fields: {
      rawSelector: field('string', 1, 'The selector exactly as written in the query string.'),
      requirements: field(arrayOf(ref(`${META}.LabelSelectorRequirement`)), 2, 'The parsed requirements of the selector.', { listType: 'atomic' }),
    },
  },
  [`${AUTHORIZATION}.FieldSelectorAttributes`]: {
    description: 'A field selector of a request, as raw text or parsed requirements (not both).',
    fields: {
      rawSelector: field('string', 1, 'The selector exactly as written in the query string.'),
      requirements: field(arrayOf(ref(`${META}.FieldSelectorRequirement`)), 2, 'The parsed requirements of the selector.', { listType: 'atomic' }),
    },
  },
  [`${AUTHORIZATION}.NonResourceAttributes`]: {
    description: 'The attributes of a request for a non-resource URL.',
    fields: {
      path: field('string', 1, 'The URL path of the request.'),
      verb: field('string', 2, 'The HTTP verb of the request.'),
    },
  },
  [`${AUTHORIZATION}.SubjectAccessReviewSpec`]: {
    description: 'The request to evaluate; exactly one of resourceAttributes and nonResourceAttributes is set.',
    fields: {
      resourceAttributes: field(ref(`${AUTHORIZATION}.ResourceAttributes`), 1, 'The resource request to evaluate.'),
      nonResourceAttributes: field(ref(`${AUTHORIZATION}.NonResourceAttributes`), 2, 'The non-resource request to evaluate.'),
      user: field('string', 3, 'The user to check; if both user and groups are empty, the user is unauthenticated.'),
      groups: field(arrayOf('string'), 4, 'The groups to check.', { listType: 'atomic' }),
      extra: field(mapOf(arrayOf('string')), 5, 'Extra attributes of the user, as from the authenticator.'),
      uid: field('string', 6, 'The UID of the user.'),
    },
  },
  [`${AUTHORIZATION}.SelfSubjectAccessReviewSpec`]: {
    description: 'The request to evaluate for the current user; exactly one member is set.',
    fields: {
      resourceAttributes: field(ref(`${AUTHORIZATION}.ResourceAttributes`), 1, 'The resource request to evaluate.'),
      nonResourceAttributes: field(ref(`${AUTHORIZATION}.NonResourceAttributes`), 2, 'The non-resource request to evaluate.'),
    },
  },
  [`${AUTHORIZATION}.SubjectAccessReviewStatus`]: {
    description: 'The answer to an access review.',
    fields: {
      allowed: field('boolean', 1, 'Whether the action is allowed.', { required: true }),
      denied: field('boolean', 4, 'Whether the action is denied outright, whatever other authorizers say; never true together with allowed.'),
      reason: field('string', 2, 'Why the request was allowed or denied.'),
      evaluationError: field('string', 3, 'An error met while evaluating; the authorizer may still have answered.'),
    },
  },
  [`${AUTHORIZATION}.SelfSubjectRulesReview`]: {
    description: 'Lists the actions the current user may take in a namespace. The list may be incomplete and must not drive authorization decisions.',
    gvk: [gvk('SelfSubjectRulesReview')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${AUTHORIZATION}.SelfSubjectRulesReviewSpec`), 2, 'The namespace to list rules for.', { required: true }),
      status: field(ref(`${AUTHORIZATION}.SubjectRulesReviewStatus`), 3, 'The rules, filled in by the server.'),
    },
  },
  [`${AUTHORIZATION}.SelfSubjectRulesReviewSpec`]: {
    description: 'The scope of a rules review.',
    fields: {
      namespace: field('string', 1, 'The namespace to list rules for.'),
    },
  },
  [`${AUTHORIZATION}.SubjectRulesReviewStatus`]: {
    description: 'The actions a user may take in a namespace, possibly incomplete.',
    fields: {
      resourceRules: field(arrayOf(ref(`${AUTHORIZATION}.ResourceRule`)), 1, 'The resource actions allowed; order does not matter.', { required: true, listType: 'atomic' }),
      nonResourceRules: field(arrayOf(ref(`${AUTHORIZATION}.NonResourceRule`)), 2, 'The non-resource actions allowed; order does not matter.', { required: true, listType: 'atomic' }),
      incomplete: field('boolean', 3, 'Whether the list is incomplete, for example because an authorizer cannot enumerate rules.', { required: true }),
      evaluationError: field('string', 4, 'An error met while listing; the rules may still be partly filled in.'),
    },
  },
  [`${AUTHORIZATION}.ResourceRule`]: {
    description: 'Resource actions allowed; the list may not be complete.',
    fields: {
      verbs: field(arrayOf('string'), 1, 'The verbs allowed; "*" means all.', { required: true, listType: 'atomic' }),
      apiGroups: field(arrayOf('string'), 2, 'The API groups of the resources; "*" means all.', { listType: 'atomic' }),
      resources: field(arrayOf('string'), 3, 'The resources; "*" means all, "*/foo" a subresource of all.', { listType: 'atomic' }),
      resourceNames: field(arrayOf('string'), 4, 'An optional allow list of names; "*" means all.', { listType: 'atomic' }),
    },
  },
  [`${AUTHORIZATION}.NonResourceRule`]: {
    description: 'Non-resource actions allowed.',
    fields: {
      verbs: field(arrayOf('string'), 1, 'The verbs allowed, such as get or post; "*" means all.', { required: true, listType: 'atomic' }),
      nonResourceURLs: field(arrayOf('string'), 2, 'The URL paths; a trailing "*" matches a prefix, "*" means all.', { listType: 'atomic' }),
    },
  },
};
