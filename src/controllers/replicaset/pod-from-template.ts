// The pod a replica controller creates from its template (upstream's GetPodFromTemplate): the
// template's labels, annotations, finalizers and spec, a generated name "<owner>-", and the
// owner as controller.
import type { KubeObject } from '../../client/api-client.ts';
import type { OwnerRef } from '../engine/controller-ref.ts';

const MAX_NAME_LENGTH = 253;

/** "<name>-", or the bare name when the dash would make the prefix too long to be a valid name. */
export function podNamePrefix(ownerName: string): string {
  return ownerName.length + 1 > MAX_NAME_LENGTH ? ownerName : `${ownerName}-`;
}

export function podFromTemplate(template: KubeObject, ownerName: string, controllerRef: OwnerRef): KubeObject {
  const meta = template.metadata ?? {};
  const metadata: KubeObject = { generateName: podNamePrefix(ownerName) };
  if (meta.labels && Object.keys(meta.labels).length) metadata.labels = { ...meta.labels };
  if (meta.annotations && Object.keys(meta.annotations).length) metadata.annotations = { ...meta.annotations };
  if (meta.finalizers?.length) metadata.finalizers = [...meta.finalizers];
  metadata.ownerReferences = [{ ...controllerRef }];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template.spec ?? {}) };
}
