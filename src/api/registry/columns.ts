// Building blocks for Table columns, matching what upstream's printers show.
import type { KubeObject, PrinterColumn } from './resource.ts';

/** Upstream's human duration (apimachinery util/duration.HumanDuration). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) { const s = seconds % 60; return s === 0 ? `${minutes}m` : `${minutes}m${s}s`; }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) { const m = minutes % 60; return m === 0 ? `${hours}h` : `${hours}h${m}m`; }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) { const h = hours % 24; return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`; }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) { const d = Math.floor(hours / 24) % 365; const y = Math.floor(hours / 24 / 365); return d === 0 ? `${y}y` : `${y}y${d}d`; }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** Time since a timestamp as upstream's translateTimestampSince; '<unknown>' when absent. */
export function since(ts: string | undefined | null, now: Date): string {
  if (!ts) return '<unknown>';
  return humanDuration(now.getTime() - Date.parse(ts));
}

export const nameColumn: PrinterColumn = {
  name: 'Name', type: 'string', format: 'name', priority: 0,
  description: 'Name must be unique within a namespace. It is required when creating resources and is the unique identifier within its scope.',
  cell: (o) => o.metadata?.name ?? '',
};

export const ageColumn: PrinterColumn = {
  name: 'Age', type: 'string', priority: 0,
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  cell: (o, now) => since(o.metadata?.creationTimestamp, now),
};

/** The columns a resource without its own printer gets: Name and Created At (as upstream's default table). */
export const defaultColumns: PrinterColumn[] = [
  nameColumn,
  { name: 'Created At', type: 'date', priority: 0, description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', cell: (o) => o.metadata?.creationTimestamp ?? null },
];

type Cell = ReturnType<PrinterColumn['cell']>;
export function col(name: string, cell: (o: KubeObject, now: Date) => Cell, opts: { type?: PrinterColumn['type']; wide?: boolean; description?: string } = {}): PrinterColumn {
  return { name, type: opts.type ?? 'string', priority: opts.wide ? 1 : 0, description: opts.description ?? name, cell };
}

/** "<none>" for empty, as upstream prints absent values. */
export const orNone = (s: string | undefined | null): string => (s ? s : '<none>');

/** Comma list of container names / images of a pod template. */
export const containerNames = (spec: KubeObject | undefined) => (spec?.containers ?? []).map((c: KubeObject) => c.name).join(',');
export const containerImages = (spec: KubeObject | undefined) => (spec?.containers ?? []).map((c: KubeObject) => c.image).join(',');

/** A label selector printed as upstream's metav1.FormatLabelSelector. */
export function formatLabelSelector(sel: KubeObject | undefined | null): string {
  if (!sel) return '<none>';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b))) parts.push(`${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    switch (e.operator) {
      case 'In': parts.push(`${e.key} in (${[...(e.values ?? [])].sort().join(',')})`); break;
      case 'NotIn': parts.push(`${e.key} notin (${[...(e.values ?? [])].sort().join(',')})`); break;
      case 'Exists': parts.push(e.key); break;
      case 'DoesNotExist': parts.push(`!${e.key}`); break;
    }
  }
  const s = parts.join(',');
  return s === '' ? (sel.matchLabels || sel.matchExpressions ? '<none>' : '<none>') : s;
}

/** A map selector (services, RCs) printed as k=v,k=v sorted; '<none>' when empty. */
export function formatMapSelector(sel: Record<string, string> | undefined): string {
  const entries = Object.entries(sel ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

/** Wide columns shared by workload controllers: Containers, Images, Selector. */
export function workloadWideColumns(selector: (o: KubeObject) => string): PrinterColumn[] {
  return [
    col('Containers', (o) => containerNames(o.spec?.template?.spec), { wide: true, description: 'Names of each container in the template.' }),
    col('Images', (o) => containerImages(o.spec?.template?.spec), { wide: true, description: 'Images referenced by each container in the template.' }),
    col('Selector', selector, { wide: true, description: 'Label selector for pods.' }),
  ];
}
