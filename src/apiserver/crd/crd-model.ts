// Read access to a CustomResourceDefinition (apiextensions.k8s.io/v1) as plain JSON.
import type { KubeObject } from '../../api/registry/resource.ts';
import type { JSONSchemaProps } from './json-schema.ts';
import type { ColumnDefinition } from './printer-columns.ts';

export const CRD_GROUP = 'apiextensions.k8s.io';
export const CRD_PLURAL = 'customresourcedefinitions';
export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export interface CrdNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: { status?: object; scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } };
  additionalPrinterColumns?: ColumnDefinition[];
  selectableFields?: { jsonPath: string }[];
}

export interface CrdCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export const versionsOf = (crd: KubeObject): CrdVersion[] => (Array.isArray(crd.spec?.versions) ? crd.spec.versions : []);
export const namesOf = (crd: KubeObject): CrdNames => crd.spec?.names ?? { plural: '', kind: '' };
export const conditionsOf = (crd: KubeObject): CrdCondition[] => (Array.isArray(crd.status?.conditions) ? crd.status.conditions : []);

export function conditionOf(crd: KubeObject, type: string): CrdCondition | undefined {
  return conditionsOf(crd).find((c) => c.type === type);
}

export const isConditionTrue = (crd: KubeObject, type: string) => conditionOf(crd, type)?.status === 'True';

export function storageVersionOf(crd: KubeObject): string | undefined {
  return versionsOf(crd).find((v) => v.storage)?.name;
}
