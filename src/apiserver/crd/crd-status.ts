// The status a CRD should have (upstream's naming and establishing controllers): names are
// accepted unless another CRD of the group already uses them; once accepted, the CRD is
// Established.
import type { KubeObject } from '../../api/registry/resource.ts';
import { conditionOf, conditionsOf, namesOf, type CrdCondition } from './crd-model.ts';

/** Sets a condition in place; the transition time changes only when the status does. */
export function setCondition(crd: KubeObject, cond: CrdCondition, now: string): void {
  const status = (crd.status ??= {});
  const list: CrdCondition[] = Array.isArray(status.conditions) ? status.conditions : (status.conditions = []);
  const i = list.findIndex((c) => c.type === cond.type);
  if (i < 0) { list.push({ ...cond, lastTransitionTime: now }); return; }
  const old = list[i]!;
  list[i] = { ...cond, lastTransitionTime: old.status === cond.status && old.lastTransitionTime ? old.lastTransitionTime : now };
}

export interface NamingResult {
  acceptedNames: KubeObject;
  namesAccepted: CrdCondition;
  established: CrdCondition;
}

/** Names the other CRDs of the group have been accepted with: resource names and kinds. */
function usedNames(others: KubeObject[]): { resources: Set<string>; kinds: Set<string> } {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const o of others) {
    const a = o.status?.acceptedNames ?? {};
    for (const n of [a.plural, a.singular, ...(a.shortNames ?? [])]) if (n) resources.add(n);
    for (const k of [a.kind, a.listKind]) if (k) kinds.add(k);
  }
  return { resources, kinds };
}

/** Accepted names and the NamesAccepted/Established conditions, given the group's other CRDs. */
export function computeNaming(crd: KubeObject, others: KubeObject[]): NamingResult {
  const { resources, kinds } = usedNames(others);
  const requested = namesOf(crd);
  const accepted: KubeObject = { ...(crd.status?.acceptedNames ?? {}) };
  let problem: { reason: string; message: string } | undefined;
  const fresh = (want: string | undefined, had: string | undefined, used: Set<string>) => want === had || !want || !used.has(want);
  const conflict = (reason: string, name: string) => { problem = { reason, message: `${JSON.stringify(name)} is already in use` }; };

  if (fresh(requested.plural, accepted.plural, resources)) accepted.plural = requested.plural; else conflict('PluralConflict', requested.plural);
  if (fresh(requested.singular, accepted.singular, resources)) { if (requested.singular) accepted.singular = requested.singular; } else conflict('SingularConflict', requested.singular!);
  const shortNames = requested.shortNames ?? [];
  const had = new Set<string>(accepted.shortNames ?? []);
  const clash = shortNames.filter((s) => !had.has(s) && resources.has(s));
  if (clash.length) problem = { reason: 'ShortNamesConflict', message: clash.map((s) => `${JSON.stringify(s)} is already in use`).join(', ') };
  else if (shortNames.length) accepted.shortNames = [...shortNames]; else delete accepted.shortNames;
  if (fresh(requested.kind, accepted.kind, kinds)) accepted.kind = requested.kind; else conflict('KindConflict', requested.kind);
  if (fresh(requested.listKind, accepted.listKind, kinds)) { if (requested.listKind) accepted.listKind = requested.listKind; } else conflict('ListKindConflict', requested.listKind!);
  if (requested.categories?.length) accepted.categories = [...requested.categories]; else delete accepted.categories;

  const namesAccepted: CrdCondition = problem
    ? { type: 'NamesAccepted', status: 'False', ...problem }
    : { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' };
  const previous = conditionOf(crd, 'Established');
  let established: CrdCondition;
  if (previous?.status === 'True') established = { type: 'Established', status: 'True', reason: previous.reason ?? 'InitialNamesAccepted', message: previous.message ?? 'the initial names have been accepted' };
  else if (!problem) established = { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' };
  else established = { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' };
  return { acceptedNames: accepted, namesAccepted, established };
}

/** The CRD's status with the naming result applied (a copy). */
export function withNaming(crd: KubeObject, naming: NamingResult, now: string): KubeObject {
  const next: KubeObject = structuredClone(crd);
  next.status ??= {};
  next.status.acceptedNames = naming.acceptedNames;
  next.status.conditions = conditionsOf(crd).map((c) => ({ ...c }));
  setCondition(next, naming.namesAccepted, now);
  setCondition(next, naming.established, now);
  return next;
}
