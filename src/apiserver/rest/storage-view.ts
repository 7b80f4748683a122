// Where a resource's objects live in storage and how they convert to the served version.
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import { resourcePrefix, objectKey } from '../watchcache/keys.ts';

export function storagePrefix(desc: ResourceDescription): string {
  return resourcePrefix(desc.storedAs?.group ?? desc.group, desc.storedAs?.plural ?? desc.plural);
}

export function storageKey(desc: ResourceDescription, namespace: string, name: string): string {
  return objectKey(desc.storedAs?.group ?? desc.group, desc.storedAs?.plural ?? desc.plural, desc.scope === 'Namespaced' ? namespace : '', name);
}

/** The stored object in the served version (a new object when converted; cached ones stay untouched). */
export function fromStorage(desc: ResourceDescription, obj: KubeObject): KubeObject {
  return desc.storedAs ? desc.storedAs.fromStored(obj) : obj;
}

export function toStorage(desc: ResourceDescription, obj: KubeObject): KubeObject {
  return desc.storedAs ? desc.storedAs.toStored(obj) : obj;
}
