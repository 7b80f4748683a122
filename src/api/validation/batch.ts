// batch/v1 validation: Job and CronJob (schedule syntax, policies, job template), with the
// immutable Job fields checked on update.
import { fieldErrors, type FieldError } from './field-error.ts';
import { goLabelSelector } from './go-format.ts';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain, IS_NEGATIVE, FIELD_IMMUTABLE, type KubeObject } from './object-meta.ts';
import { validatePodTemplateSpec } from './pod.ts';
import { labelSelectorFromObject, validateLabelSelector } from '../selectors/label-selector-object.ts';
import { SelectorError } from '../selectors/label-requirement.ts';
import { semanticEqual } from './semantic-equal.ts';
import { cronScheduleError } from './cron-schedule.ts';

const isObject = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonNegative = (v: unknown, path: string): FieldError[] => (typeof v === 'number' && v < 0 ? [fieldErrors.invalid(path, v, IS_NEGATIVE)] : []);

/** The parts shared by Jobs and job templates (no selector). */
function validateJobSpecCommon(spec: KubeObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) errs.push(...nonNegative(spec[f], `${path}.${f}`));
  if (spec.completionMode !== undefined && spec.completionMode !== null) {
    if (spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
      errs.push(fieldErrors.notSupported(`${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']));
    }
    if (spec.completionMode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) {
      errs.push(fieldErrors.required(`${path}.completions`, 'when completion mode is Indexed'));
    }
  }
  errs.push(...validatePodTemplateSpec(spec.template, `${path}.template`));
  const rp = spec.template?.spec?.restartPolicy;
  if (rp !== 'OnFailure' && rp !== 'Never') errs.push(fieldErrors.notSupported(`${path}.template.spec.restartPolicy`, rp ?? '', ['OnFailure', 'Never']));
  return errs;
}

function validateJobSpec(spec: KubeObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObject(spec.selector)) errs.push(fieldErrors.required(`${path}.selector`, ''));
  else errs.push(...validateLabelSelector(spec.selector, {}, `${path}.selector`));
  try {
    const selector = labelSelectorFromObject(isObject(spec.selector) ? spec.selector : null);
    const labels = spec.template?.metadata?.labels ?? {};
    if (!selector.matches(labels)) errs.push(fieldErrors.invalid(`${path}.template.metadata.labels`, labels, '`selector` does not match template `labels`'));
  } catch (e) {
    if (!(e instanceof SelectorError)) throw e;
  }
  errs.push(...validateJobSpecCommon(spec, path));
  return errs;
}

export function validateJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(obj.metadata, old.metadata, { builtin: true })
    : validateObjectMeta(obj.metadata, { requiresNamespace: true, nameFn: nameIsDNSSubdomain, builtin: true });
  const spec: KubeObject = obj.spec ?? {};
  errs.push(...validateJobSpec(spec, 'spec'));
  if (old) {
    const oldSpec: KubeObject = old.spec ?? {};
    if (!semanticEqual(spec.selector, oldSpec.selector)) errs.push(fieldErrors.invalid('spec.selector', goLabelSelector(spec.selector), FIELD_IMMUTABLE));
    if (!semanticEqual(spec.completions, oldSpec.completions) && spec.completionMode !== 'Indexed') {
      errs.push(fieldErrors.invalid('spec.completions', spec.completions ?? null, FIELD_IMMUTABLE));
    }
    if (!semanticEqual(spec.completionMode, oldSpec.completionMode)) errs.push(fieldErrors.invalid('spec.completionMode', spec.completionMode ?? null, FIELD_IMMUTABLE));
    // The pod template may change only while the job is suspended (scheduling directives).
    if (!semanticEqual(spec.template, oldSpec.template) && !(oldSpec.suspend === true && spec.suspend === true)) {
      errs.push(fieldErrors.invalid('spec.template', spec.template ?? null, FIELD_IMMUTABLE));
    }
  }
  return errs;
}

const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];

function validateCronJobSpec(spec: KubeObject, oldSpec: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const schedule: string = spec.schedule ?? '';
  if (!schedule) errs.push(fieldErrors.required('spec.schedule', ''));
  else {
    const err = cronScheduleError(schedule);
    if (err) errs.push(fieldErrors.invalid('spec.schedule', schedule, err));
    const allowTZ = oldSpec !== undefined && String(oldSpec.schedule ?? '').includes('TZ');
    if (allowTZ && schedule.includes('TZ') && spec.timeZone !== undefined && spec.timeZone !== null) {
      errs.push(fieldErrors.invalid('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    } else if (!allowTZ && schedule.includes('TZ')) {
      errs.push(fieldErrors.invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    }
  }
  errs.push(...nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (typeof spec.timeZone === 'string' && (spec.timeZone === '' || !isKnownTimeZone(spec.timeZone))) {
    errs.push(fieldErrors.invalid('spec.timeZone', spec.timeZone, spec.timeZone === '' ? 'unknown time zone ' : `unknown time zone ${spec.timeZone}`));
  }
  const cp = spec.concurrencyPolicy ?? '';
  if (cp === '') errs.push(fieldErrors.required('spec.concurrencyPolicy', ''));
  else if (!CONCURRENCY_POLICIES.includes(cp)) errs.push(fieldErrors.notSupported('spec.concurrencyPolicy', cp, CONCURRENCY_POLICIES));
  const jt: KubeObject = spec.jobTemplate ?? {};
  errs.push(...validateJobSpecCommon(jt.spec ?? {}, 'spec.jobTemplate.spec'));
  if (jt.spec?.manualSelector === true) errs.push(fieldErrors.notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  errs.push(...nonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...nonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  return errs;
}

function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function validateCronJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  if (old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata, { builtin: true });
    errs.push(...validateCronJobSpec(obj.spec ?? {}, old.spec ?? {}));
    return errs;
  }
  const errs = validateObjectMeta(obj.metadata, { requiresNamespace: true, nameFn: nameIsDNSSubdomain, builtin: true });
  errs.push(...validateCronJobSpec(obj.spec ?? {}, undefined));
  const name = String(obj.metadata?.name ?? '');
  // The controller appends an 11-character suffix to job names, which may have at most 63.
  if (name.length > 52) errs.push(fieldErrors.invalid('metadata.name', name, 'must be no more than 52 characters'));
  return errs;
}
