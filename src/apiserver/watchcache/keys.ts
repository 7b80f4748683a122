// Storage keys of API objects: /registry/<group or "core">/<plural>/[<namespace>/]<name>.
// The first three segments name the resource, so one watch over /registry/ can be split per resource.
export const REGISTRY_PREFIX = '/registry/';

export function resourcePrefix(group: string, plural: string): string {
  return `${REGISTRY_PREFIX}${group || 'core'}/${plural}/`;
}

export function objectKey(group: string, plural: string, namespace: string, name: string): string {
  return namespace ? `${resourcePrefix(group, plural)}${namespace}/${name}` : `${resourcePrefix(group, plural)}${name}`;
}

/** The resource prefix a key belongs to. */
export function prefixOfKey(key: string): string {
  let slashes = 0;
  for (let i = 0; i < key.length; i++) {
    if (key.charCodeAt(i) === 47 && ++slashes === 4) return key.slice(0, i + 1);
  }
  return key;
}
