// ResourceList arithmetic for quota and limit checks (upstream's quota helpers): maps of
// resource name → quantity string, summed, masked and compared as exact quantities.
import { Quantity } from '../quantity/index.ts';

export type ResourceList = Record<string, string>;

const q = (v: unknown): Quantity => (v instanceof Quantity ? v : Quantity.fromJSON(v));

/** a + b per resource; a resource in only one side keeps that side's amount. */
export function addLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? q(out[k]).add(q(v)).canonical() : q(v).canonical();
  return out;
}

/** a − b per resource of a, never below zero. */
export function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(a)) {
    const diff = k in b ? q(v).sub(q(b[k])) : q(v);
    out[k] = diff.sign() < 0 ? '0' : diff.canonical();
  }
  return out;
}

/** Only the named resources. */
export function maskList(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = {};
  for (const n of names) if (n in list) out[n] = list[n];
  return out;
}

export function removeZeros(list: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(list)) if (!q(v).isZero()) out[k] = v;
  return out;
}

export function negativeResources(list: ResourceList): string[] {
  return Object.entries(list).filter(([, v]) => q(v).sign() < 0).map(([k]) => k).sort();
}

/** Whether every resource of a that b limits is within b; the names over the limit otherwise. */
export function lessThanOrEqual(a: ResourceList, b: ResourceList): { allowed: boolean; exceeded: string[] } {
  const exceeded: string[] = [];
  for (const [k, v] of Object.entries(a)) if (k in b && q(v).cmp(q(b[k])) > 0) exceeded.push(k);
  return { allowed: exceeded.length === 0, exceeded };
}

/** Same resources with equal amounts. */
export function listsEqual(a: ResourceList | undefined, b: ResourceList | undefined): boolean {
  const ka = Object.keys(a ?? {}), kb = Object.keys(b ?? {});
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!(k in (b ?? {}))) return false;
    try { if (q(a![k]).cmp(q(b![k])) !== 0) return false; } catch { if (a![k] !== b![k]) return false; }
  }
  return true;
}

/** `cpu=1,memory=2Gi`, sorted by name, as upstream prints lists in quota errors. */
export function prettyPrint(list: ResourceList): string {
  return Object.keys(list).sort().map((k) => `${k}=${q(list[k]).toString()}`).join(',');
}

export function prettyPrintNames(names: Iterable<string>): string {
  return [...names].sort().join(',');
}

export function quantityOf(v: unknown): Quantity { return q(v); }
