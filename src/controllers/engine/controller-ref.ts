// Adoption and release of children by a controller (upstream's ControllerRefManager): a child
// that matches the owner's selector and has no controller is adopted; a child the owner controls
// but no longer selects is released. Ownership changes are strategic merge patches carrying the
// child's uid, so they never apply to a different object of the same name.
import type { ApiClient, KubeObject, ResourceRef } from '../../client/api-client.ts';
import { isConflict, isNotFound } from '../../api/status.ts';

export interface OwnerRef { apiVersion: string; kind: string; name: string; uid: string; controller: true; blockOwnerDeletion: true }

export function controllerRefOf(obj: KubeObject): KubeObject | undefined {
  return (obj.metadata?.ownerReferences ?? []).find((r: KubeObject) => r.controller);
}

export function ownerRefFor(owner: KubeObject): OwnerRef {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

export interface ClaimOptions {
  client: ApiClient;
  owner: KubeObject;
  /** The child resource (pods, replicasets, controllerrevisions…). */
  childResource: ResourceRef;
  /** Whether a child belongs by selector. */
  matches(child: KubeObject): boolean;
  /** Re-reads the owner before adopting (must still exist with the same uid and not be deleting). */
  canAdopt(): Promise<boolean>;
}

/** The children the owner controls after adopting and releasing. Others' children are untouched. */
export async function claimChildren(opts: ClaimOptions, candidates: KubeObject[]): Promise<KubeObject[]> {
  const { owner, client, childResource } = opts;
  const claimed: KubeObject[] = [];
  let adoptionChecked: boolean | undefined;
  for (const child of candidates) {
    const ref = controllerRefOf(child);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (opts.matches(child)) { claimed.push(child); continue; }
      if (owner.metadata.deletionTimestamp) continue;
      await patchOwnership(client, childResource, child, [{ $patch: 'delete', uid: owner.metadata.uid }]);
      continue;
    }
    if (!opts.matches(child) || owner.metadata.deletionTimestamp || child.metadata.deletionTimestamp) continue;
    adoptionChecked ??= await opts.canAdopt();
    if (!adoptionChecked) continue;
    const adopted = await patchOwnership(client, childResource, child, [ownerRefFor(owner)]);
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

async function patchOwnership(client: ApiClient, r: ResourceRef, child: KubeObject, refs: KubeObject[]): Promise<KubeObject | undefined> {
  try {
    return await client.patch(r, child.metadata.namespace, child.metadata.name, { metadata: { ownerReferences: refs, uid: child.metadata.uid } }, 'strategic');
  } catch (e) {
    // Gone or replaced meanwhile: nothing to own.
    if (isNotFound(e) || isConflict(e) || (e as { code?: number }).code === 422) return undefined;
    throw e;
  }
}
