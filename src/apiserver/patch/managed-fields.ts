// metadata.managedFields entries and the in-memory form ownership is computed in: one field
// set per manager identity (manager, operation, apiVersion for updates, subresource), as
// apimachinery's fieldmanager encodes and decodes them.
import { FieldSet } from './field-path.ts';

export interface ManagedFieldsEntry {
  manager?: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/** Managers keyed by identity (see managerId). */
export type Managers = Map<string, ManagerEntry>;

/**
 * Identity of a manager as upstream builds it: the entry without time and fields, and
 * without apiVersion for Apply (one Apply entry per manager whatever the version).
 */
export function managerId(e: { manager?: string; operation: string; apiVersion?: string; subresource?: string }): string {
  const id: Record<string, string> = {};
  if (e.manager) id.manager = e.manager;
  id.operation = e.operation;
  if (e.operation !== 'Apply' && e.apiVersion) id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

/** Reads metadata.managedFields; throws an Error worded like upstream on a malformed entry. */
export function decodeManagedFields(entries: unknown): Managers {
  const out: Managers = new Map();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  entries.forEach((raw, i) => {
    const e = (raw ?? {}) as Partial<ManagedFieldsEntry> & { fieldsType?: string; operation?: string };
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new Error('apiVersion must not be empty');
    if (!e.fieldsType) throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    let set: FieldSet;
    try {
      set = FieldSet.fromFieldsV1(e.fieldsV1 ?? {});
    } catch (err) {
      throw new Error(`error decoding versioned set from ${JSON.stringify(e)}: error decoding set: ${(err as Error).message}`);
    }
    const entry: ManagerEntry = { manager: e.manager ?? '', operation: e.operation, apiVersion: e.apiVersion, set };
    if (e.subresource) entry.subresource = e.subresource;
    if (e.time) entry.time = e.time;
    out.set(managerId(entry), entry);
  });
  return out;
}

/** Writes managers back as entries, in upstream's order: Apply before Update, then oldest first, then by name. */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const entries: ManagedFieldsEntry[] = [];
  for (const m of managers.values()) {
    const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion, fieldsType: 'FieldsV1', fieldsV1: m.set.toFieldsV1() };
    if (!m.manager) delete e.manager;
    if (m.time) {
      // keep the upstream key order: manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource
      const { fieldsType, fieldsV1 } = e;
      delete (e as Partial<ManagedFieldsEntry>).fieldsType;
      delete (e as Partial<ManagedFieldsEntry>).fieldsV1;
      Object.assign(e, { time: m.time, fieldsType, fieldsV1 });
    }
    if (m.subresource) e.subresource = m.subresource;
    entries.push(e);
  }
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  const str = (a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort((p, q) =>
    str(p.operation, q.operation) || seconds(p.time) - seconds(q.time) || str(p.manager, q.manager) || str(p.apiVersion, q.apiVersion) || str(p.subresource, q.subresource));
}

/** RFC 3339 with seconds, as metav1.Time serialises. */
export function formatTime(t: Date): string {
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** How a manager is named in conflict messages: `"kubectl"`, `"x" with subresource "status"`, `"kube-controller" using apps/v1`. */
export function printManager(m: ManagerEntry): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s = `${s} with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s = `${s} using ${m.apiVersion}`;
  return s;
}
