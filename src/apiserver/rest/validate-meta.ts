// Generic object metadata validation for kinds without a validator of their own (kinds with
// one validate their metadata themselves, as upstream's per-kind validation does).
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import type { FieldError } from '../../api/validation/field-error.ts';
import {
  validateObjectMeta as validateMeta, validateObjectMetaUpdate, nameIsDNSSubdomain, nameIsDNSLabel, validatePathSegmentName,
} from '../../api/validation/object-meta.ts';

const NAME_VALIDATORS = { subdomain: nameIsDNSSubdomain, label: nameIsDNSLabel, 'path-segment': validatePathSegmentName };

export function validateObjectMeta(desc: ResourceDescription, obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  if (desc.validate) return [];
  if (old) return validateObjectMetaUpdate(obj.metadata, old.metadata, { builtin: !desc.crd });
  return validateMeta(obj.metadata, { requiresNamespace: desc.scope === 'Namespaced', nameFn: NAME_VALIDATORS[desc.nameValidation ?? 'subdomain'], builtin: !desc.crd });
}
