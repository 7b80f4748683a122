// A compact constructor for resource descriptions: fills the conventional parts
// (list kind, singular, verbs, schema name) so each entry states only what is particular.
import { ALL_VERBS, type ResourceDescription, type PrinterColumn } from './resource.ts';
import { ageColumn, defaultColumns, nameColumn } from './columns.ts';

/** The OpenAPI definition-name prefix of a built-in group/version. */
export function schemaPackage(group: string, version: string): string {
  if (group === '') return `io.k8s.api.core.${version}`;
  if (group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}`;
  if (group === 'apiregistration.k8s.io') return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${version}`;
  const pkg = group.endsWith('.k8s.io') ? group.slice(0, -'.k8s.io'.length).split('.')[0] : group;
  return `io.k8s.api.${pkg}.${version}`;
}

type Input = Omit<ResourceDescription, 'listKind' | 'singular' | 'verbs' | 'printerColumns' | 'group' | 'version'> &
  Partial<Pick<ResourceDescription, 'listKind' | 'singular' | 'verbs'>> & {
    /** Columns between Name and Age; `columns` replaces the whole set. */
    middle?: PrinterColumn[];
    wide?: PrinterColumn[];
    columns?: PrinterColumn[];
  };

export function defineGroup(group: string, version: string) {
  return (r: Input): ResourceDescription => {
    const { middle, wide, columns, ...rest } = r;
    return {
      group,
      version,
      listKind: `${r.kind}List`,
      singular: r.kind.toLowerCase(),
      verbs: ALL_VERBS,
      schema: `${schemaPackage(group, version)}.${r.kind}`,
      ...rest,
      printerColumns: columns ?? (middle || wide ? [nameColumn, ...(middle ?? []), ageColumn, ...(wide ?? [])] : defaultColumns),
    };
  };
}
