// The PVC retention policy (upstream's StatefulSetAutoDeletePVC): the controller expresses
// whenDeleted/whenScaled=Delete as owner references on the claims (to the set, or to a condemned
// pod) and lets the garbage collector delete them. Claims controlled by someone else are left alone.
import type { KubeObject } from '../../client/api-client.ts';
import { inOrdinalRange } from './identity.ts';

export interface RetentionPolicy { whenDeleted: 'Retain' | 'Delete'; whenScaled: 'Retain' | 'Delete' }

export function retentionPolicy(set: KubeObject): RetentionPolicy {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  return { whenDeleted: p.whenDeleted === 'Delete' ? 'Delete' : 'Retain', whenScaled: p.whenScaled === 'Delete' ? 'Delete' : 'Retain' };
}

const refs = (o: KubeObject): KubeObject[] => o.metadata?.ownerReferences ?? [];
const hasOwnerRef = (target: KubeObject, owner: KubeObject): boolean => !!owner.metadata?.uid && refs(target).some((r) => r.uid === owner.metadata.uid);

/** A controller reference to something other than the set or the pod. */
export function hasUnexpectedController(claim: KubeObject, set: KubeObject, pod: KubeObject): boolean {
  return refs(claim).some((r) => r.controller && r.uid !== set.metadata.uid && r.uid !== pod.metadata?.uid);
}

/** A reference to an earlier pod of the same name (its claim is waiting for garbage collection). */
export function hasStaleOwnerRef(claim: KubeObject, pod: KubeObject): boolean {
  return refs(claim).some((r) => r.kind === 'Pod' && r.name === pod.metadata.name && r.uid !== pod.metadata?.uid);
}

/** Which of set and pod should own the claim under the policy. */
function wantedOwners(set: KubeObject, pod: KubeObject): { set: boolean; pod: boolean } {
  const p = retentionPolicy(set);
  const scaledDown = !inOrdinalRange(pod, set);
  if (p.whenScaled === 'Retain') return { set: p.whenDeleted === 'Delete', pod: false };
  if (p.whenDeleted === 'Retain') return { set: false, pod: scaledDown };
  return { set: !scaledDown, pod: scaledDown };
}

export function claimOwnersMatch(claim: KubeObject, set: KubeObject, pod: KubeObject): boolean {
  if (hasUnexpectedController(claim, set, pod)) return true;
  const want = wantedOwners(set, pod);
  if (want.set !== hasOwnerRef(claim, set)) return false;
  // A pod not created yet cannot be referenced; it is fixed up once it exists.
  if (pod.metadata?.uid && want.pod !== hasOwnerRef(claim, pod)) return false;
  return true;
}

/** The claim's owner references under the policy, or undefined when they are already right. */
export function claimOwnerRefsFor(claim: KubeObject, set: KubeObject, pod: KubeObject): KubeObject[] | undefined {
  if (claimOwnersMatch(claim, set, pod)) return undefined;
  const want = wantedOwners(set, pod);
  let out = refs(claim).filter((r) => r.uid !== set.metadata.uid && (!pod.metadata?.uid || r.uid !== pod.metadata.uid));
  if (want.set) out = [...out, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name, uid: set.metadata.uid }];
  if (want.pod && pod.metadata?.uid) out = [...out, { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid }];
  return out;
}
