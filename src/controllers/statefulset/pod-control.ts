// The StatefulSet controller's writes (upstream stateful_pod_control.go): claims before pods,
// identity fixes, deletions, claim owner references for the retention policy, and the Events
// that report each (`create Pod web-0 in StatefulSet web successful`).
import type { ApiClient, KubeObject, ResourceRef } from '../../client/api-client.ts';
import type { EventRecorder } from '../../client/event-recorder.ts';
import type { Informer } from '../../client/informer.ts';
import { isAlreadyExists, isNotFound } from '../../api/status.ts';
import { claimsFor, identityMatches, ordinalOf, storageMatches, updateIdentity, POD_INDEX_LABEL, POD_NAME_LABEL } from './identity.ts';
import { claimOwnerRefsFor, claimOwnersMatch, hasStaleOwnerRef, hasUnexpectedController, retentionPolicy } from './claim-retention.ts';

export const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
export const CLAIMS: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };

const title = (verb: string) => verb[0]!.toUpperCase() + verb.slice(1);
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class StatefulPodControl {
  readonly #client: ApiClient;
  readonly #recorder: EventRecorder;
  readonly #claims: Informer;
  /** Told of each pod this control created or deleted, so the controller can wait for its cache. */
  readonly #onWrite: (set: KubeObject, op: 'create' | 'delete', pod: KubeObject) => void;

  constructor(client: ApiClient, recorder: EventRecorder, claims: Informer, onWrite: (set: KubeObject, op: 'create' | 'delete', pod: KubeObject) => void) {
    this.#client = client;
    this.#recorder = recorder;
    this.#claims = claims;
    this.#onWrite = onWrite;
  }

  #event(set: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.#recorder.event({ ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' }, type, reason, message);
  }

  #podEvent(verb: string, set: KubeObject, pod: KubeObject, err?: unknown): void {
    if (err === undefined) this.#event(set, 'Normal', `Successful${title(verb)}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    else this.#event(set, 'Warning', `Failed${title(verb)}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${messageOf(err)}`);
  }

  #claimEvent(verb: string, set: KubeObject, pod: KubeObject, claim: KubeObject, err?: unknown): void {
    if (err === undefined) this.#event(set, 'Normal', `Successful${title(verb)}`, `${verb} Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
    else this.#event(set, 'Warning', `Failed${title(verb)}`, `${verb} Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${messageOf(err)}`);
  }

  #cachedClaim(namespace: string, name: string): KubeObject | undefined {
    return this.#claims.get(`${namespace}/${name}`);
  }

  /** Creates the pod's claims, then the pod, then points the claims at their owners. */
  async createStatefulPod(set: KubeObject, pod: KubeObject): Promise<void> {
    try {
      await this.createMissingClaims(set, pod);
    } catch (e) {
      this.#podEvent('create', set, pod, e);
      throw e;
    }
    let created: KubeObject;
    try {
      created = await this.#client.create(PODS, set.metadata.namespace, pod);
      this.#onWrite(set, 'create', created);
    } catch (e) {
      if (!isAlreadyExists(e)) this.#podEvent('create', set, pod, e);
      throw e;
    }
    try {
      await this.updateClaimsForRetentionPolicy(set, created);
    } catch (e) {
      this.#podEvent('update', set, created, e);
      throw e;
    }
    this.#podEvent('create', set, pod);
  }

  /** Creates the claims of pod's ordinal that do not exist yet. */
  async createMissingClaims(set: KubeObject, pod: KubeObject): Promise<void> {
    const errors: string[] = [];
    for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
      const existing = this.#cachedClaim(claim.metadata.namespace, claim.metadata.name);
      if (existing) {
        if (existing.metadata.deletionTimestamp) errors.push(`pvc ${claim.metadata.name} is being deleted`);
        continue;
      }
      const owners = claimOwnerRefsFor(claim, set, pod);
      if (owners) claim.metadata.ownerReferences = owners;
      try {
        await this.#client.create(CLAIMS, claim.metadata.namespace, claim);
        this.#claimEvent('create', set, pod, claim);
      } catch (e) {
        // Made meanwhile (the cache lags): it exists, which is all that matters here.
        if (isAlreadyExists(e)) continue;
        errors.push(`failed to create PVC ${claim.metadata.name}: ${messageOf(e)}`);
        this.#claimEvent('create', set, pod, claim, e);
      }
    }
    if (errors.length) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
  }

  /** Restores identity labels, missing claims and claim ownership of an existing pod. */
  async updateStatefulPod(set: KubeObject, pod: KubeObject): Promise<void> {
    try {
      if (!storageMatches(set, pod)) await this.createMissingClaims(set, pod);
      if (!this.claimsMatchRetentionPolicy(set, pod)) await this.updateClaimsForRetentionPolicy(set, pod);
      if (!identityMatches(set, pod)) {
        const fixed = structuredClone(pod);
        updateIdentity(set, fixed);
        await this.#client.patch(PODS, pod.metadata.namespace, pod.metadata.name, {
          metadata: { uid: pod.metadata.uid, labels: { [POD_NAME_LABEL]: fixed.metadata.labels[POD_NAME_LABEL], [POD_INDEX_LABEL]: fixed.metadata.labels[POD_INDEX_LABEL] } },
        }, 'strategic');
        this.#podEvent('update', set, pod);
      }
    } catch (e) {
      this.#podEvent('update', set, pod, e);
      throw e;
    }
  }

  async deleteStatefulPod(set: KubeObject, pod: KubeObject): Promise<void> {
    try {
      await this.#client.delete(PODS, pod.metadata.namespace, pod.metadata.name, { preconditions: { uid: pod.metadata.uid } });
      this.#onWrite(set, 'delete', pod);
    } catch (e) {
      this.#podEvent('delete', set, pod, e);
      throw e;
    }
    this.#podEvent('delete', set, pod);
  }

  /** Whether every existing claim of pod has the owners the retention policy asks for. */
  claimsMatchRetentionPolicy(set: KubeObject, pod: KubeObject): boolean {
    for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
      const existing = this.#cachedClaim(claim.metadata.namespace, claim.metadata.name);
      if (existing && !claimOwnersMatch(existing, set, pod)) return false;
    }
    return true;
  }

  async updateClaimsForRetentionPolicy(set: KubeObject, pod: KubeObject): Promise<void> {
    for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
      const existing = this.#cachedClaim(claim.metadata.namespace, claim.metadata.name);
      if (!existing || hasUnexpectedController(existing, set, pod)) continue;
      const owners = claimOwnerRefsFor(existing, set, pod);
      if (!owners) continue;
      try {
        await this.#client.patch(CLAIMS, existing.metadata.namespace, existing.metadata.name, { metadata: { ownerReferences: owners, resourceVersion: existing.metadata.resourceVersion } }, 'merge');
      } catch (e) {
        if (isNotFound(e)) continue;
        throw new Error(`could not update claim ${existing.metadata.name} for delete policy ownerRefs: ${messageOf(e)}`);
      }
    }
  }

  /** A claim still owned by an earlier pod of this name must be collected before the pod is made anew. */
  podClaimIsStale(set: KubeObject, pod: KubeObject): boolean {
    if (retentionPolicy(set).whenScaled === 'Retain') return false;
    for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
      const existing = this.#cachedClaim(claim.metadata.namespace, claim.metadata.name);
      if (existing && hasStaleOwnerRef(existing, pod)) return true;
    }
    return false;
  }
}
