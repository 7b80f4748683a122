// meta.k8s.io/v1 Table output: the columns kubectl prints, computed on the server from the
// resource's printer columns, with each row carrying the object (or its metadata).
import type { KubeObject, ResourceDescription } from '../api/registry/resource.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function columnDefinitions(desc: ResourceDescription) {
  return desc.printerColumns.map((c) => {
    const d: KubeObject = { name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: c.priority };
    return d;
  });
}

export function partialMetadata(obj: KubeObject): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function tableRow(desc: ResourceDescription, obj: KubeObject, now: Date, include: IncludeObject): KubeObject {
  const row: KubeObject = { cells: desc.printerColumns.map((c) => { const v = c.cell(obj, now); return v === undefined ? null : v; }) };
  if (include === 'Object') row.object = obj;
  else if (include === 'Metadata') row.object = partialMetadata(obj);
  const phase = obj.status?.phase;
  if (desc.group === '' && desc.plural === 'pods' && (phase === 'Succeeded' || phase === 'Failed')) {
    row.conditions = [{ type: 'Completed', status: 'True', reason: phase, message: phase === 'Succeeded' ? 'The pod has completed successfully.' : 'The pod failed.' }];
  }
  return row;
}

export function toTable(desc: ResourceDescription, objs: KubeObject[], listMeta: KubeObject, include: IncludeObject, now: Date): KubeObject {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: columnDefinitions(desc),
    rows: objs.map((o) => tableRow(desc, o, now, include)),
  };
}
