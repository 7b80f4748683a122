// Matching claims to volumes (upstream component-helpers/storage/volume and the PV controller's
// index): storage class, access modes, volume mode, capacity (smallest that fits), selector,
// node affinity, and pre-binding in either direction.
import type { KubeObject } from '../../client/api-client.ts';
import { Quantity } from '../../api/quantity/index.ts';
import { labelSelectorFromObject } from '../../api/selectors/index.ts';

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
export const ANN_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
export const ANN_BETA_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';

/** The class a claim asks for: the beta annotation wins over spec.storageClassName; "" is none. */
export const claimClass = (claim: KubeObject): string =>
  claim.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? claim.spec?.storageClassName ?? '';
export const volumeClass = (pv: KubeObject): string =>
  pv.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? pv.spec?.storageClassName ?? '';
/** Whether the claim names a class at all (an explicit "" counts). */
export const claimHasClass = (claim: KubeObject): boolean =>
  claim.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] !== undefined || (claim.spec?.storageClassName !== undefined && claim.spec?.storageClassName !== null);

export const isDefaultClass = (sc: KubeObject): boolean =>
  sc.metadata?.annotations?.[ANN_DEFAULT_CLASS] === 'true' || sc.metadata?.annotations?.[ANN_BETA_DEFAULT_CLASS] === 'true';

/** The default StorageClass: the newest of those marked default, then by name. */
export function defaultClass(classes: KubeObject[]): KubeObject | undefined {
  const defaults = classes.filter(isDefaultClass);
  defaults.sort((a, b) => {
    const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
    return ta !== tb ? tb - ta : a.metadata.name < b.metadata.name ? -1 : 1;
  });
  return defaults[0];
}

const storageOf = (list: KubeObject | undefined): Quantity => {
  const v = list?.storage;
  try { return v === undefined ? Quantity.fromInt(0) : Quantity.parse(String(v)); } catch { return Quantity.fromInt(0); }
};
export const requestedStorage = (claim: KubeObject): Quantity => storageOf(claim.spec?.resources?.requests);
export const volumeCapacity = (pv: KubeObject): Quantity => storageOf(pv.spec?.capacity);

export function isVolumeBoundToClaim(pv: KubeObject, claim: KubeObject): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

export const volumeModeMismatch = (claim: KubeObject, pv: KubeObject): boolean =>
  (claim.spec?.volumeMode ?? 'Filesystem') !== (pv.spec?.volumeMode ?? 'Filesystem');

export const accessModesSatisfied = (claim: KubeObject, pv: KubeObject): boolean => {
  const have = new Set<string>(pv.spec?.accessModes ?? []);
  return (claim.spec?.accessModes ?? []).every((m: string) => have.has(m));
};

function requirementMatches(req: KubeObject, value: string | undefined): boolean {
  const values: string[] = req.values ?? [];
  switch (req.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': return value !== undefined && /^-?\d+$/.test(value) && Number(value) > Number(values[0]);
    case 'Lt': return value !== undefined && /^-?\d+$/.test(value) && Number(value) < Number(values[0]);
    default: return false;
  }
}

/** Whether a volume's required node affinity admits this node (no affinity admits every node). */
export function nodeAffinityAdmits(pv: KubeObject, node: KubeObject): boolean {
  const terms: KubeObject[] | undefined = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms) return true;
  const labels: Record<string, string> = node.metadata?.labels ?? {};
  return terms.some((t) => {
    const exprs: KubeObject[] = t.matchExpressions ?? [];
    const fields: KubeObject[] = t.matchFields ?? [];
    if (!exprs.length && !fields.length) return false;
    return exprs.every((r) => requirementMatches(r, labels[r.key]))
      && fields.every((r) => requirementMatches(r, r.key === 'metadata.name' ? node.metadata.name : undefined));
  });
}

/** Why a volume cannot serve a claim that asked for it by name, in upstream's words; undefined when it can. */
export function volumeMismatch(pv: KubeObject, claim: KubeObject): string | undefined {
  if (pv.metadata.deletionTimestamp) return `the volume is marked for deletion "${pv.metadata.name}"`;
  if (volumeCapacity(pv).cmp(requestedStorage(claim)) < 0) return 'requested PV is too small';
  if (volumeClass(pv) !== claimClass(claim)) return 'storageClassName does not match';
  if ((pv.spec?.volumeAttributesClassName ?? '') !== (claim.spec?.volumeAttributesClassName ?? '')) return 'volumeAttributesClassName does not match';
  if (volumeModeMismatch(claim, pv)) return 'incompatible volumeMode';
  if (!accessModesSatisfied(claim, pv)) return 'incompatible accessMode';
  return undefined;
}

/**
 * The volume for a claim: one pre-bound to it if any, else the smallest Available volume of its
 * class, access modes (fewest extra modes first), mode, size and selector. With delayed binding
 * unbound volumes are considered only for a chosen node, whose labels they must admit.
 */
export function findBestMatch(claim: KubeObject, volumes: KubeObject[], delayBinding: boolean, node?: KubeObject): KubeObject | undefined {
  const requested = requestedStorage(claim);
  const cls = claimClass(claim);
  const selector = claim.spec?.selector ? labelSelectorFromObject(claim.spec.selector) : undefined;
  const wanted: string[] = claim.spec?.accessModes ?? [];
  // Upstream indexes volumes by access-mode set and tries the smallest sets that cover the request first.
  const groups = new Map<string, KubeObject[]>();
  for (const pv of volumes) {
    if (!accessModesSatisfied(claim, pv) && !isVolumeBoundToClaim(pv, claim)) continue;
    const k = [...new Set<string>(pv.spec?.accessModes ?? [])].sort().join(',');
    groups.set(k, [...(groups.get(k) ?? []), pv]);
  }
  const order = [...groups.keys()].sort((a, b) => a.split(',').length - b.split(',').length);
  // A volume pre-bound to this claim wins over any size match.
  for (const pv of volumes) {
    if (!isVolumeBoundToClaim(pv, claim) || pv.metadata.deletionTimestamp) continue;
    if (volumeCapacity(pv).cmp(requested) < 0 || volumeModeMismatch(claim, pv)) continue;
    if (node && !nodeAffinityAdmits(pv, node)) return undefined;
    return pv;
  }
  if (wanted.length === 0) return undefined;
  for (const k of order) {
    let best: KubeObject | undefined;
    for (const pv of groups.get(k)!) {
      if (pv.spec?.claimRef) continue;
      if (volumeCapacity(pv).cmp(requested) < 0 || volumeModeMismatch(claim, pv) || pv.metadata.deletionTimestamp) continue;
      if (delayBinding && !node) continue;
      if (pv.status?.phase !== 'Available') continue;
      if (selector && !selector.matches(pv.metadata.labels ?? {})) continue;
      if (volumeClass(pv) !== cls) continue;
      if (node && !nodeAffinityAdmits(pv, node)) continue;
      if (!best || volumeCapacity(best).cmp(volumeCapacity(pv)) > 0) best = pv;
    }
    if (best) return best;
  }
  return undefined;
}
