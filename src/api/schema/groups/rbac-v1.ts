// rbac.authorization.k8s.io/v1: Role, ClusterRole and their bindings.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api 1.33 (generated.proto, types.go).
import type { GroupVersionKind, TypeDefs } from '../model.ts';
import { META, arrayOf, field, listType, objectHeader, ref } from '../model.ts';

const RBAC = 'io.k8s.api.rbac.v1';
const gvk = (kind: string): GroupVersionKind => ({ group: 'rbac.authorization.k8s.io', version: 'v1', kind });

export const rbacV1Types: TypeDefs = {
  [`${RBAC}.PolicyRule`]: {
    description: 'Actions a subject may take on resources or non-resource URLs.',
    fields: {
      verbs: field(arrayOf('string'), 1, 'The verbs allowed, such as get, list or create; "*" allows all.', { required: true, listType: 'atomic' }),
      apiGroups: field(arrayOf('string'), 2, 'The API groups of the resources; "" is the core group and "*" means all groups.', { listType: 'atomic' }),
      resources: field(arrayOf('string'), 3, 'The resources the rule applies to; "*" means all, and "pods/log" names a subresource.', { listType: 'atomic' }),
      resourceNames: field(arrayOf('string'), 4, 'An optional allow list of object names; empty allows all names.', { listType: 'atomic' }),
      nonResourceURLs: field(arrayOf('string'), 5, 'URL paths, such as "/healthz" or "/api/*", the rule applies to; only valid in ClusterRoles bound by ClusterRoleBindings.', { listType: 'atomic' }),
    },
  },
  [`${RBAC}.Subject`]: {
    description: 'A user, group or service account a binding grants a role to.',
    structType: 'atomic',
    fields: {
      kind: field('string', 1, 'User, Group or ServiceAccount.', { required: true }),
      apiGroup: field('string', 2, 'The API group of the subject: "" for ServiceAccount, "rbac.authorization.k8s.io" for User and Group.'),
      name: field('string', 3, "The subject's name.", { required: true }),
      namespace: field('string', 4, 'The namespace of a ServiceAccount subject; must be empty for users and groups.'),
    },
  },
  [`${RBAC}.RoleRef`]: {
    description: 'The role a binding grants.',
    structType: 'atomic',
    fields: {
      apiGroup: field('string', 1, 'The API group of the role.', { required: true }),
      kind: field('string', 2, 'Role or ClusterRole.', { required: true }),
      name: field('string', 3, "The role's name.", { required: true }),
    },
  },
  [`${RBAC}.Role`]: {
    description: 'A namespaced set of permissions, granted through RoleBindings.',
    gvk: [gvk('Role')],
    fields: {
      ...objectHeader(),
      rules: field(arrayOf(ref(`${RBAC}.PolicyRule`)), 2, 'The permissions of the role.', { listType: 'atomic' }),
    },
  },
  [`${RBAC}.RoleBinding`]: {
    description: 'Grants the permissions of a Role, or of a ClusterRole within this namespace, to subjects.',
    gvk: [gvk('RoleBinding')],
    fields: {
      ...objectHeader(),
      subjects: field(arrayOf(ref(`${RBAC}.Subject`)), 2, 'The users, groups and service accounts granted the role.', { listType: 'atomic' }),
      roleRef: field(ref(`${RBAC}.RoleRef`), 3, 'The Role in this namespace, or the ClusterRole, that is granted; cannot change.', { required: true }),
    },
  },
  [`${RBAC}.RoleBindingList`]: listType(`${RBAC}.RoleBinding`, gvk('RoleBindingList'), 'A list of RoleBindings.'),
  [`${RBAC}.RoleList`]: listType(`${RBAC}.Role`, gvk('RoleList'), 'A list of Roles.'),
  [`${RBAC}.ClusterRole`]: {
    description: 'A cluster-wide set of permissions, granted through RoleBindings or ClusterRoleBindings.',
    gvk: [gvk('ClusterRole')],
    fields: {
      ...objectHeader(),
      rules: field(arrayOf(ref(`${RBAC}.PolicyRule`)), 2, 'The permissions of the role.', { listType: 'atomic' }),
      aggregationRule: field(ref(`${RBAC}.AggregationRule`), 3, 'When set, the rules are filled by the controller from the ClusterRoles it selects; direct edits are overwritten.'),
    },
  },
  [`${RBAC}.AggregationRule`]: {
    description: 'Selects ClusterRoles whose rules are combined into another.',
    fields: {
      clusterRoleSelectors: field(arrayOf(ref(`${META}.LabelSelector`)), 1, 'Label selectors; the rules of every ClusterRole matched by any of them are combined.', { listType: 'atomic' }),
    },
  },
  [`${RBAC}.ClusterRoleBinding`]: {
    description: 'Grants the permissions of a ClusterRole to subjects across the cluster.',
    gvk: [gvk('ClusterRoleBinding')],
    fields: {
      ...objectHeader(),
      subjects: field(arrayOf(ref(`${RBAC}.Subject`)), 2, 'The users, groups and service accounts granted the role.', { listType: 'atomic' }),
      roleRef: field(ref(`${RBAC}.RoleRef`), 3, 'The ClusterRole that is granted; cannot change.', { required: true }),
    },
  },
  [`${RBAC}.ClusterRoleBindingList`]: listType(`${RBAC}.ClusterRoleBinding`, gvk('ClusterRoleBindingList'), 'A list of ClusterRoleBindings.'),
  [`${RBAC}.ClusterRoleList`]: listType(`${RBAC}.ClusterRole`, gvk('ClusterRoleList'), 'A list of ClusterRoles.'),
};
