// How the API server stores CustomResourceDefinitions (upstream's CRD strategy): a fresh status
// with the storage version recorded on create, v1 defaults, validation, generation on spec
// changes, and the cleanup finalizer plus Terminating condition added on the first delete.
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import type { Admission } from '../rest/context.ts';
import { timestamp } from '../rest/object-meta.ts';
import { CLEANUP_FINALIZER, CRD_GROUP, CRD_PLURAL, storageVersionOf, versionsOf } from './crd-model.ts';
import { validateCustomResourceDefinition } from './crd-validation.ts';
import { setCondition } from './crd-status.ts';

export const isCrdResource = (desc: ResourceDescription) => desc.group === CRD_GROUP && desc.plural === CRD_PLURAL;

function prepareForCreate(crd: KubeObject): void {
  const storage = storageVersionOf(crd);
  crd.status = { conditions: [], acceptedNames: { plural: '', kind: '' }, storedVersions: storage ? [storage] : [] };
}

/** v1 defaults, and (on update) the current storage version recorded as stored. */
export function defaultCustomResourceDefinition(crd: KubeObject): void {
  const spec = (crd.spec ??= {});
  const names = (spec.names ??= {});
  if (!names.singular && names.kind) names.singular = String(names.kind).toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  spec.conversion ??= { strategy: 'None' };
  for (const v of versionsOf(crd)) {
    if (v.served === undefined) (v as { served: boolean }).served = false;
    if (v.storage === undefined) (v as { storage: boolean }).storage = false;
  }
  const storage = storageVersionOf(crd);
  const status = (crd.status ??= {});
  const stored: string[] = Array.isArray(status.storedVersions) ? status.storedVersions : (status.storedVersions = []);
  if (storage && !stored.includes(storage)) stored.push(storage);
}

/** The CRD resource description with upstream's CRD strategy attached. */
export function withCrdStrategy(desc: ResourceDescription): ResourceDescription {
  return {
    ...desc,
    generation: true,
    prepareForCreate,
    defaults: defaultCustomResourceDefinition,
    validate: validateCustomResourceDefinition,
  };
}

/** On the first delete of a CRD: the cleanup finalizer keeps it until its custom resources are gone. */
export function crdDeletionAdmission(now: () => Date): Admission {
  return {
    name: 'CustomResourceDefinitionCleanup',
    async admit(op, desc, obj) {
      if (op !== 'DELETE' || !isCrdResource(desc) || obj.metadata?.deletionTimestamp) return;
      const meta = obj.metadata;
      const finalizers: string[] = meta.finalizers ?? [];
      if (!finalizers.includes(CLEANUP_FINALIZER)) meta.finalizers = [...finalizers, CLEANUP_FINALIZER];
      setCondition(obj, {
        type: 'Terminating', status: 'True', reason: 'InstanceDeletionPending',
        message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
      }, timestamp(now()));
    },
  };
}
