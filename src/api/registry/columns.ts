// Building blocks for Table columns and cells, matching what upstream's printers show.
import type { KubeObject, PrinterColumn } from './resource.ts';
import { labelSelectorFromObject } from '../selectors/label-selector-object.ts';
import { compareStrings } from '../selectors/label-requirement.ts';
import { Quantity } from '../quantity/quantity.ts';

/** Upstream's human duration (apimachinery util/duration.HumanDuration); Go truncates toward zero. */
export function humanDuration(ms: number): string {
  if (Number.isNaN(ms)) return '<unknown>';
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) { const s = seconds % 60; return s === 0 ? `${minutes}m` : `${minutes}m${s}s`; }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) { const m = minutes % 60; return m === 0 ? `${hours}h` : `${hours}h${m}m`; }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) { const h = hours % 24; return h === 0 ? `${days}d` : `${days}d${h}h`; }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) { const d = days % 365; return d === 0 ? `${years}y` : `${years}y${d}d`; }
  return `${years}y`;
}

/** Time since a timestamp as upstream's translateTimestampSince; '<unknown>' when absent. */
export function since(ts: string | undefined | null, now: Date): string {
  if (!ts) return '<unknown>';
  return humanDuration(now.getTime() - Date.parse(ts));
}

/** A timestamp as Go's Time.UTC().Format(time.RFC3339): whole seconds, Z; the zero time when absent. */
export function rfc3339(ts: string | undefined | null): string {
  const ms = ts ? Date.parse(ts) : NaN;
  if (Number.isNaN(ms)) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

const NAME_DOC = 'Name must be unique within a namespace. It is required when creating resources and is the unique identifier within its scope.';
const CREATED_DOC = 'CreationTimestamp is a timestamp representing the server time when this object was created.';

export const nameColumn: PrinterColumn = {
  name: 'Name', type: 'string', format: 'name', priority: 0, description: NAME_DOC,
  cell: (o) => o.metadata?.name ?? '',
};

export const ageColumn: PrinterColumn = {
  name: 'Age', type: 'string', priority: 0, description: CREATED_DOC,
  cell: (o, now) => since(o.metadata?.creationTimestamp, now),
};

/** The columns a resource without its own printer gets: upstream's default table (Name, Created At). */
export const defaultColumns: PrinterColumn[] = [
  nameColumn,
  { name: 'Created At', type: 'date', priority: 0, description: CREATED_DOC, cell: (o) => rfc3339(o.metadata?.creationTimestamp) },
];

type Cell = ReturnType<PrinterColumn['cell']>;
export interface ColumnOptions { type?: PrinterColumn['type']; format?: string; wide?: boolean; description?: string }

export function col(name: string, cell: (o: KubeObject, now: Date) => Cell, opts: ColumnOptions = {}): PrinterColumn {
  const c: PrinterColumn = { name, type: opts.type ?? 'string', priority: opts.wide ? 1 : 0, description: opts.description ?? name, cell };
  if (opts.format) c.format = opts.format;
  return c;
}

/** Caches a per-object computation for one `now`, so several cells of a row share one pass. */
export function perRow<T>(compute: (o: KubeObject, now: Date) => T): (o: KubeObject, now: Date) => T {
  const cache = new WeakMap<KubeObject, { at: number; value: T }>();
  return (o, now) => {
    const hit = cache.get(o);
    if (hit && hit.at === now.getTime()) return hit.value;
    const value = compute(o, now);
    cache.set(o, { at: now.getTime(), value });
    return value;
  };
}

/** "<none>" for empty, as upstream prints absent values. */
export const orNone = (s: string | undefined | null): string => (s ? s : '<none>');

/** Go's sort.Strings order. */
export const sortStrings = (xs: Iterable<string>): string[] => [...xs].sort(compareStrings);

/** Names and images of a pod spec's containers, comma-joined (upstream's layoutContainerCells). */
export function containerCells(spec: KubeObject | undefined): { names: string; images: string } {
  const cs: KubeObject[] = spec?.containers ?? [];
  return { names: cs.map((c) => c.name ?? '').join(','), images: cs.map((c) => c.image ?? '').join(',') };
}

/** A metav1.LabelSelector as metav1.FormatLabelSelector prints it: sorted by key, '<none>' when empty. */
export function formatLabelSelector(sel: KubeObject | undefined | null): string {
  let s: string;
  try { s = labelSelectorFromObject(sel).toString(); } catch { return '<error>'; }
  return s === '' ? '<none>' : s;
}

/** A label selector's plain string form (deployments print this: '' when empty, '<invalid>' when bad). */
export function selectorString(sel: KubeObject | undefined | null): string {
  try { return labelSelectorFromObject(sel).toString(); } catch { return '<invalid>'; }
}

/** A label map as labels.FormatLabels: k=v sorted by key; '<none>' when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = sortStrings(Object.keys(labels ?? {}));
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

/** The first `max` entries and "+ N more..." past them; '<unset>' for none (upstream's listWithMoreString). */
export function listWithMore(items: string[], max: number): string {
  if (items.length > max) return `${items.slice(0, max).join(',')} + ${items.length - max} more...`;
  return items.length ? items.join(',') : '<unset>';
}

/**
 * A quantity as resource.Quantity.String() prints it; `missing` for an absent value (Go's zero
 * quantity prints "0", a nil pointer "<nil>").
 */
export function quantityText(v: unknown, missing = '0'): string {
  if (v === undefined || v === null) return missing;
  try { return Quantity.parse(String(v)).toString(); } catch { return String(v); }
}

/** True, False or <unset> for an optional boolean (upstream's printBoolPtr). */
export const boolPtr = (v: unknown): string => (v === undefined || v === null ? '<unset>' : v ? 'True' : 'False');

const ACCESS_MODES: [string, string][] = [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']];
/** Access modes as upstream's GetAccessModesAsString: fixed order, each once. */
export const accessModes = (modes: string[] | undefined | null): string =>
  ACCESS_MODES.filter(([m]) => (modes ?? []).includes(m)).map(([, short]) => short).join(',');

/** Wide columns shared by workload controllers: Containers, Images and, when given, Selector. */
export function workloadWideColumns(podSpec: (o: KubeObject) => KubeObject | undefined, selector?: (o: KubeObject) => string): PrinterColumn[] {
  const cols = [
    col('Containers', (o) => containerCells(podSpec(o)).names, { wide: true, description: 'Names of each container in the template.' }),
    col('Images', (o) => containerCells(podSpec(o)).images, { wide: true, description: 'Images referenced by each container in the template.' }),
  ];
  if (selector) cols.push(col('Selector', selector, { wide: true, description: 'Label query over the pods this object manages.' }));
  return cols;
}
