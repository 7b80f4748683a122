// apps/v1 workload validation: Deployment, ReplicaSet, StatefulSet, DaemonSet, with the selector,
// template and strategy rules and the update-time immutability upstream enforces.
import { fieldErrors, type FieldError } from './field-error.ts';
import { GoLiteral, goIntOrString, goLabelSelector } from './go-format.ts';
import { isValidPercent } from './names.ts';
import { validateAnnotations, validateObjectMeta, validateObjectMetaUpdate, validateImmutableField, nameIsDNSSubdomain, nameIsDNSLabel, IS_NEGATIVE, FIELD_IMMUTABLE, type KubeObject } from './object-meta.ts';
import { validatePodTemplateSpec } from './pod.ts';
import { labelSelectorFromObject, validateLabelSelector, validateLabels } from '../selectors/label-selector-object.ts';
import { SelectorError } from '../selectors/label-requirement.ts';
import type { LabelSelector } from '../selectors/label-selector.ts';
import { semanticEqual } from './semantic-equal.ts';

const isObject = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonNegative = (v: unknown, path: string): FieldError[] => (typeof v === 'number' && v < 0 ? [fieldErrors.invalid(path, v, IS_NEGATIVE)] : []);
const selectorValue = (sel: unknown) => goLabelSelector(sel) ?? null;

/** Selector present, valid and non-empty; returns the parsed selector when usable. */
export function validateWorkloadSelector(spec: KubeObject, path: string, kindWord: string, errs: FieldError[]): LabelSelector | undefined {
  const sel = spec.selector;
  if (!isObject(sel)) {
    errs.push(fieldErrors.required(`${path}.selector`, ''));
  } else {
    errs.push(...validateLabelSelector(sel, {}, `${path}.selector`));
    if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
      errs.push(fieldErrors.invalid(`${path}.selector`, selectorValue(sel), `empty selector is invalid for ${kindWord}`));
    }
  }
  try {
    return labelSelectorFromObject(isObject(sel) ? sel : null);
  } catch (e) {
    if (!(e instanceof SelectorError)) throw e;
    errs.push(fieldErrors.invalid(`${path}.selector`, selectorValue(sel), 'invalid label selector'));
    return undefined;
  }
}

/** Template present, matching the selector, restartPolicy Always, no activeDeadlineSeconds. */
function validateTemplateForController(template: unknown, selector: LabelSelector, path: string, kind: string, deadlineAsForbidden: boolean): FieldError[] {
  if (!isObject(template)) return [fieldErrors.required(path, '')];
  const errs: FieldError[] = [];
  const labels = template.metadata?.labels ?? {};
  if (!selector.isEmpty() && !selector.matches(labels)) {
    errs.push(fieldErrors.invalid(`${path}.metadata.labels`, labels, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, path));
  const rp = template.spec?.restartPolicy;
  if (rp !== 'Always') errs.push(fieldErrors.notSupported(`${path}.spec.restartPolicy`, rp ?? '', ['Always']));
  const ads = template.spec?.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) {
    const msg = `activeDeadlineSeconds in ${kind} is not Supported`;
    errs.push(deadlineAsForbidden ? fieldErrors.forbidden(`${path}.spec.activeDeadlineSeconds`, msg) : fieldErrors.invalid(`${path}.spec.activeDeadlineSeconds`, ads, msg));
  }
  return errs;
}

function intOrPercent(v: unknown): { value: number; percent: boolean } {
  if (typeof v === 'string' && v.endsWith('%')) return { value: Number.parseInt(v, 10), percent: true };
  return { value: typeof v === 'number' ? v : Number.parseInt(String(v ?? '0'), 10) || 0, percent: false };
}

function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => fieldErrors.invalid(path, goIntOrString(v), m));
  if (typeof v === 'number' && v < 0) return [fieldErrors.invalid(path, v, IS_NEGATIVE)];
  return [];
}

function notMoreThan100Percent(v: unknown, path: string): FieldError[] {
  const { value, percent } = intOrPercent(v);
  return percent && value > 100 ? [fieldErrors.invalid(path, goIntOrString(v), 'must not be greater than 100%')] : [];
}

function validateRollingUpdate(ru: KubeObject, path: string, maxSurgeAllowed = true): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`));
  if (maxSurgeAllowed) errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${path}.maxSurge`));
  if (intOrPercent(ru.maxUnavailable).value === 0 && intOrPercent(ru.maxSurge).value === 0) {
    errs.push(fieldErrors.invalid(`${path}.maxUnavailable`, goIntOrString(ru.maxUnavailable ?? 0), 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${path}.maxUnavailable`));
  return errs;
}

function validateDeploymentStrategy(strategy: KubeObject | undefined, path: string): FieldError[] {
  const s = strategy ?? {};
  if (s.type === 'Recreate') {
    return isObject(s.rollingUpdate) ? [fieldErrors.forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  if (s.type === 'RollingUpdate') {
    if (!isObject(s.rollingUpdate)) return [fieldErrors.required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
    return validateRollingUpdate(s.rollingUpdate, `${path}.rollingUpdate`);
  }
  const value = new GoLiteral(`apps.DeploymentStrategy{Type:${JSON.stringify(s.type ?? '')}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}`);
  return [fieldErrors.notSupported(path, value, ['Recreate', 'RollingUpdate'])];
}

function validateDeploymentSpec(spec: KubeObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.replicas, `${path}.replicas`));
  const selector = validateWorkloadSelector(spec, path, 'deployment', errs);
  if (selector) errs.push(...validateTemplateForController(spec.template, selector, `${path}.template`, 'ReplicaSet', false));
  errs.push(...validateDeploymentStrategy(spec.strategy, `${path}.strategy`));
  errs.push(...nonNegative(spec.minReadySeconds ?? 0, `${path}.minReadySeconds`));
  errs.push(...nonNegative(spec.revisionHistoryLimit, `${path}.revisionHistoryLimit`));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, `${path}.progressDeadlineSeconds`));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(fieldErrors.invalid(`${path}.progressDeadlineSeconds`, spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

function metaFor(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  return old
    ? validateObjectMetaUpdate(obj.metadata, old.metadata, { builtin: true })
    : validateObjectMeta(obj.metadata, { requiresNamespace: true, nameFn: nameIsDNSSubdomain, builtin: true });
}

/** apps/v1 makes the selector immutable once created. */
function selectorImmutable(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  if (!old || semanticEqual(obj.spec?.selector, old.spec?.selector)) return [];
  return [fieldErrors.invalid('spec.selector', selectorValue(obj.spec?.selector), FIELD_IMMUTABLE)];
}

export function validateDeployment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = metaFor(obj, old);
  errs.push(...validateDeploymentSpec(obj.spec ?? {}, 'spec'));
  errs.push(...selectorImmutable(obj, old));
  return errs;
}

export function validateReplicaSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = metaFor(obj, old);
  const spec: KubeObject = obj.spec ?? {};
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds ?? 0, 'spec.minReadySeconds'));
  const selector = validateWorkloadSelector(spec, 'spec', 'deployment', errs);
  if (selector) errs.push(...validateTemplateForController(spec.template, selector, 'spec.template', 'ReplicaSet', false));
  errs.push(...selectorImmutable(obj, old));
  return errs;
}

function validateStatefulSetSpec(spec: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const pmp = spec.podManagementPolicy;
  if (!pmp) errs.push(fieldErrors.required('spec.podManagementPolicy', ''));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(fieldErrors.invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us: KubeObject = spec.updateStrategy ?? {};
  if (!us.type) errs.push(fieldErrors.required('spec.updateStrategy', ''));
  else if (us.type === 'OnDelete') {
    if (isObject(us.rollingUpdate)) errs.push(fieldErrors.invalid('spec.updateStrategy.rollingUpdate', us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (us.type === 'RollingUpdate') {
    if (isObject(us.rollingUpdate)) errs.push(...nonNegative(us.rollingUpdate.partition, 'spec.updateStrategy.rollingUpdate.partition'));
  } else {
    errs.push(fieldErrors.invalid('spec.updateStrategy', us, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  for (const f of ['whenDeleted', 'whenScaled'] as const) {
    const v = spec.persistentVolumeClaimRetentionPolicy?.[f];
    if (v !== undefined && v !== 'Retain' && v !== 'Delete') {
      errs.push(fieldErrors.notSupported(`spec.persistentVolumeClaimRetentionPolicy.${f}`, v, ['Retain', 'Delete']));
    }
  }
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds ?? 0, 'spec.minReadySeconds'));
  if (isObject(spec.ordinals)) errs.push(...nonNegative(spec.ordinals.start ?? 0, 'spec.ordinals.start'));
  const selector = validateWorkloadSelector(spec, 'spec', 'statefulset', errs);
  if (selector) {
    const t = spec.template;
    if (!isObject(t)) errs.push(fieldErrors.required('spec.template', ''));
    else {
      const labels = t.metadata?.labels ?? {};
      if (!selector.isEmpty() && !selector.matches(labels)) errs.push(fieldErrors.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
      // Upstream checks only labels and annotations of a StatefulSet template, not its pod spec.
      errs.push(...validateLabels(t.metadata?.labels, 'spec.template.labels'));
      errs.push(...validateAnnotations(t.metadata?.annotations, 'spec.template.annotations'));
    }
  }
  const rp = spec.template?.spec?.restartPolicy;
  if (rp !== 'Always') errs.push(fieldErrors.notSupported('spec.template.spec.restartPolicy', rp ?? '', ['Always']));
  if (spec.template?.spec?.activeDeadlineSeconds !== undefined && spec.template?.spec?.activeDeadlineSeconds !== null) {
    errs.push(fieldErrors.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

const STATEFULSET_UPDATE_FORBIDDEN =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

export function validateStatefulSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(obj.metadata, old.metadata, { builtin: true })
    : validateObjectMeta(obj.metadata, { requiresNamespace: true, nameFn: nameIsDNSLabel, builtin: true });
  errs.push(...validateStatefulSetSpec(obj.spec ?? {}));
  if (old) {
    const strip = (spec: KubeObject | undefined) => {
      const { replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy, minReadySeconds, ...rest } = spec ?? {};
      return rest;
    };
    if (!semanticEqual(strip(obj.spec), strip(old.spec))) errs.push(fieldErrors.forbidden('spec', STATEFULSET_UPDATE_FORBIDDEN));
  }
  return errs;
}

export function validateDaemonSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = metaFor(obj, old);
  const spec: KubeObject = obj.spec ?? {};
  const selector = validateWorkloadSelector(spec, 'spec', 'daemonset', errs);
  if (selector) {
    const t = spec.template;
    if (!isObject(t)) errs.push(fieldErrors.required('spec.template', ''));
    else {
      const labels = t.metadata?.labels ?? {};
      if (!selector.matches(labels)) errs.push(fieldErrors.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
      errs.push(...validatePodTemplateSpec(t, 'spec.template'));
      const rp = t.spec?.restartPolicy;
      if (rp !== 'Always') errs.push(fieldErrors.notSupported('spec.template.spec.restartPolicy', rp ?? '', ['Always']));
      if (t.spec?.activeDeadlineSeconds !== undefined && t.spec?.activeDeadlineSeconds !== null) {
        errs.push(fieldErrors.invalid('spec.template.spec.activeDeadlineSeconds', t.spec.activeDeadlineSeconds, 'activeDeadlineSeconds in DaemonSet is not Supported'));
      }
    }
  }
  errs.push(...nonNegative(spec.minReadySeconds ?? 0, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec.templateGeneration ?? 0, 'spec.templateGeneration'));
  const us: KubeObject = spec.updateStrategy ?? {};
  if (us.type === 'RollingUpdate') {
    if (!isObject(us.rollingUpdate)) errs.push(fieldErrors.required('spec.updateStrategy.rollingUpdate', ''));
    else errs.push(...validateRollingUpdate(us.rollingUpdate, 'spec.updateStrategy.rollingUpdate'));
  } else if (us.type !== 'OnDelete') {
    errs.push(fieldErrors.notSupported('spec.updateStrategy', us.type ?? '', ['OnDelete', 'RollingUpdate']));
  }
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  errs.push(...selectorImmutable(obj, old));
  return errs;
}

export { validateImmutableField };
