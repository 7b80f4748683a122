// Creating and deleting an owner's pods, with the Events upstream's PodControl records:
// SuccessfulCreate "Created pod: <name>", FailedCreate "Error creating: <err>",
// SuccessfulDelete "Deleted pod: <name>", FailedDelete "Error deleting: <err>".
import type { ApiClient, KubeObject, ResourceRef } from '../../client/api-client.ts';
import type { EventRecorder } from '../../client/event-recorder.ts';
import type { OwnerRef } from '../engine/controller-ref.ts';
import { isNotFound, isStatusError } from '../../api/status.ts';
import { podFromTemplate } from './pod-from-template.ts';

const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Creating in a namespace being deleted fails for every pod; upstream treats it as nothing to do. */
function isNamespaceTerminating(err: unknown): boolean {
  if (!isStatusError(err)) return false;
  return (err.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating') || /because it is being terminated/.test(err.message);
}

export class PodControl {
  readonly #client: ApiClient;
  readonly #recorder: EventRecorder;

  constructor(client: ApiClient, recorder: EventRecorder) {
    this.#client = client;
    this.#recorder = recorder;
  }

  /** One pod from the owner's template; throws the API's error (after a FailedCreate event). */
  async createPod(owner: KubeObject, ref: OwnerRef): Promise<void> {
    const pod = podFromTemplate(owner.spec?.template ?? {}, owner.metadata.name, ref);
    if (!pod.metadata.labels) throw new Error('unable to create pods, no labels');
    let created: KubeObject;
    try {
      created = await this.#client.create(PODS, owner.metadata.namespace, pod);
    } catch (err) {
      if (isNamespaceTerminating(err)) return;
      this.#recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${messageOf(err)}`);
      throw err;
    }
    this.#recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
  }

  /** Deletes one pod; a pod already gone rethrows NotFound without an event. */
  async deletePod(owner: KubeObject, pod: KubeObject): Promise<void> {
    const name = pod.metadata.name;
    try {
      await this.#client.delete(PODS, owner.metadata.namespace, name);
    } catch (err) {
      if (isNotFound(err)) throw err;
      this.#recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${messageOf(err)}`);
      throw new Error(`unable to delete pods: ${messageOf(err)}`);
    }
    this.#recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }
}
