// Table columns of a custom resource version from its additionalPrinterColumns (upstream's
// CRD table convertor): NAME first, then each column's JSONPath evaluated against the object;
// with no columns, NAME and AGE.
import type { KubeObject, PrinterColumn } from '../../api/registry/resource.ts';
import { nameColumn, since } from '../../api/registry/columns.ts';
import { evaluateJSONPath, jsonPathText, parseJSONPath } from './jsonpath.ts';

export interface ColumnDefinition {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

const CREATION_TIMESTAMP_DOC = 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** Upstream serves this column when a version declares none. */
export const DEFAULT_COLUMNS: ColumnDefinition[] = [{ name: 'Age', type: 'date', description: CREATION_TIMESTAMP_DOC, jsonPath: '.metadata.creationTimestamp' }];

type Cell = ReturnType<PrinterColumn['cell']>;

/** A cell of a non-string column from the JSON value (upstream's cellForJSONValue). */
function typedCell(type: string, value: unknown, now: Date): Cell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer': return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number': return typeof value === 'number' ? value : null;
    case 'boolean': return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value) ? '<invalid>' : since(value, now);
  }
  return null;
}

function printerColumn(def: ColumnDefinition): PrinterColumn {
  const steps = parseJSONPath(def.jsonPath);
  const type = (['integer', 'number', 'boolean', 'date'].includes(def.type) ? def.type : 'string') as PrinterColumn['type'];
  return {
    name: def.name,
    type,
    format: def.format ?? '',
    description: def.description || `Custom resource definition column (in JSONPath format): ${def.jsonPath}`,
    priority: def.priority ?? 0,
    cell(obj: KubeObject, now: Date): Cell {
      const results = evaluateJSONPath(steps, obj);
      if (results.length === 0) return null;
      const value = results[0];
      if (type === 'string') return value === null || value === undefined ? null : jsonPathText(value);
      return typedCell(type, value, now);
    },
  };
}

/** NAME plus the version's columns (or AGE when it declares none). */
export function printerColumnsFor(columns: ColumnDefinition[] | undefined): PrinterColumn[] {
  const defs = columns?.length ? columns : DEFAULT_COLUMNS;
  const out: PrinterColumn[] = [nameColumn];
  for (const d of defs) {
    try { out.push(printerColumn(d)); } catch { /* a path that does not parse is left out, as upstream */ }
  }
  return out;
}
