// Generic object metadata validation (upstream's ValidateObjectMeta) for every resource.
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import { fieldErrors, type FieldError } from '../../api/validation/field-error.ts';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../api/validation/names.ts';
import { validateLabels } from '../../api/selectors/index.ts';

const TOTAL_ANNOTATION_SIZE = 256 * 1024;

function pathSegmentErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  for (const bad of ['/', '%']) if (name.includes(bad)) return [`may not contain '${bad}'`];
  return [];
}

/** Name checks; with prefix=true (generateName) a trailing '-' is fine, as upstream. */
export function nameErrors(desc: ResourceDescription, name: string, prefix = false): string[] {
  const n = prefix ? name.replace(/-$/, 'a') : name;
  switch (desc.nameValidation ?? 'subdomain') {
    case 'label': return isDNS1123Label(n);
    case 'path-segment': return pathSegmentErrors(n);
    default: return isDNS1123Subdomain(n);
  }
}

export function validateObjectMeta(desc: ResourceDescription, obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const meta = obj.metadata ?? {};
  if (meta.generateName && !old) {
    for (const msg of nameErrors(desc, meta.generateName, true)) errs.push(fieldErrors.invalid('metadata.generateName', meta.generateName, msg));
  }
  if (!meta.name) {
    errs.push(fieldErrors.required('metadata.name', 'name or generateName is required'));
  } else if (!old) {
    for (const msg of nameErrors(desc, meta.name)) errs.push(fieldErrors.invalid('metadata.name', meta.name, msg));
  }
  if (desc.scope === 'Namespaced' && !meta.namespace) errs.push(fieldErrors.required('metadata.namespace', ''));
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  let size = 0;
  for (const [k, v] of Object.entries<string>(meta.annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldErrors.invalid('metadata.annotations', k, msg));
    size += k.length + String(v).length;
  }
  if (size > TOTAL_ANNOTATION_SIZE) errs.push(fieldErrors.tooLong('metadata.annotations', TOTAL_ANNOTATION_SIZE));
  (meta.finalizers ?? []).forEach((f: string, i: number) => {
    for (const msg of isQualifiedName(f)) errs.push(fieldErrors.invalid(`metadata.finalizers[${i}]`, f, msg));
  });
  (meta.ownerReferences ?? []).forEach((r: KubeObject, i: number) => {
    const p = `metadata.ownerReferences[${i}]`;
    if (!r.apiVersion) errs.push(fieldErrors.invalid(`${p}.apiVersion`, r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) errs.push(fieldErrors.invalid(`${p}.kind`, r.kind ?? '', 'kind must not be empty'));
    if (!r.name) errs.push(fieldErrors.invalid(`${p}.name`, r.name ?? '', 'name must not be empty'));
    if (!r.uid) errs.push(fieldErrors.invalid(`${p}.uid`, r.uid ?? '', 'uid must not be empty'));
  });
  const controllers = (meta.ownerReferences ?? []).filter((r: KubeObject) => r.controller);
  if (controllers.length > 1) {
    errs.push(fieldErrors.invalid('metadata.ownerReferences', meta.ownerReferences, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.map((r: KubeObject) => `${r.kind}/${r.name}`).join(' and ')}`));
  }
  return errs;
}
