// Definition names the OpenAPI documents use beyond the model's own type names: the
// apimachinery types operations refer to, the named scalars, and custom resource types.
import { META, type GroupVersionKind } from '../../api/schema/model.ts';
import type { ResourceDescription } from '../../api/registry/resource.ts';

export const STATUS = `${META}.Status`;
export const DELETE_OPTIONS = `${META}.DeleteOptions`;
export const WATCH_EVENT = `${META}.WatchEvent`;
export const PATCH = `${META}.Patch`;
export const OBJECT_META = `${META}.ObjectMeta`;
export const LIST_META = `${META}.ListMeta`;
export const SCALE = 'io.k8s.api.autoscaling.v1.Scale';
export const SCALE_GVK: GroupVersionKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

/** Named scalar types: upstream publishes them as string definitions that fields $ref. */
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const TIME = `${META}.Time`;
export const MICRO_TIME = `${META}.MicroTime`;

/** The definition name of a custom resource's kind: the group reversed, as upstream names CRD schemas. */
export function customTypeName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

/** The object type a resource serves. */
export function resourceTypeName(r: ResourceDescription): string {
  return r.schema ?? customTypeName(r.group, r.version, r.kind);
}

/** The list type a resource's list operations return (the object type's package plus listKind). */
export function resourceListTypeName(r: ResourceDescription): string {
  const item = resourceTypeName(r);
  return `${item.slice(0, item.length - r.kind.length)}${r.listKind}`;
}

/** Whether the resource is built in (served with strategic merge patch) rather than custom. */
export function isBuiltIn(r: ResourceDescription): boolean {
  return r.schema !== undefined;
}

/** The path prefix of a group/version: /api/v1 or /apis/<group>/<version>. */
export function groupVersionPrefix(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** The /openapi/v3 key of a group/version: api/v1 or apis/<group>/<version>. */
export function groupVersionPath(group: string, version: string): string {
  return groupVersionPrefix(group, version).slice(1);
}

/** Group name as it appears in operation ids: '' → Core, rbac.authorization.k8s.io → RbacAuthorization. */
export function groupIdentifier(group: string): string {
  if (group === '') return 'Core';
  const trimmed = group.endsWith('.k8s.io') ? group.slice(0, -'.k8s.io'.length) : group;
  return trimmed
    .split(/[.-]/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** The operation tag of a group/version: core_v1, apps_v1, rbacAuthorization_v1. */
export function groupVersionTag(group: string, version: string): string {
  const id = groupIdentifier(group);
  return `${id[0]!.toLowerCase()}${id.slice(1)}_${version}`;
}
