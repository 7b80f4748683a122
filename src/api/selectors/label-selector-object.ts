// metav1.LabelSelector objects (matchLabels + matchExpressions): conversion to a LabelSelector and
// the field validation the API server applies to them.
import { LabelSelector } from './label-selector.ts';
import { SelectorError, compareStrings, newRequirement, type LabelOperator, type LabelRequirement } from './label-requirement.ts';
import { fieldErrors, type FieldError } from '../validation/field-error.ts';
import { isQualifiedName, isValidLabelValue } from '../validation/names.ts';
import { goQuote } from '../validation/go-format.ts';

export interface LabelSelectorRequirementObject {
  key: string;
  operator: string;
  values?: string[] | null;
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirementObject[] | null;
}

const OPERATORS: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * Upstream LabelSelectorAsSelector: null/undefined selects nothing, an empty object everything.
 * Throws SelectorError with upstream's message for invalid content.
 */
export function labelSelectorFromObject(obj: LabelSelectorObject | null | undefined): LabelSelector {
  if (obj === null || obj === undefined) return LabelSelector.nothing;
  const matchLabels = obj.matchLabels ?? {};
  const expressions = obj.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + expressions.length === 0) return LabelSelector.everything();
  const reqs: LabelRequirement[] = [];
  for (const key of Object.keys(matchLabels).sort(compareStrings)) reqs.push(newRequirement(key, '=', [matchLabels[key]!]));
  for (const expr of expressions) {
    const op = OPERATORS[expr.operator];
    if (!op) throw new SelectorError(`${goQuote(expr.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(expr.key, op, [...(expr.values ?? [])]));
  }
  return new LabelSelector(reqs);
}

export interface LabelSelectorValidationOptions {
  allowInvalidLabelValueInSelector?: boolean;
  allowUnknownOperatorInRequirement?: boolean;
}

/** Label keys are qualified names; each problem becomes one error at `path`. */
export function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((msg) => fieldErrors.invalid(path, name, msg));
}

/** metadata.labels-style validation: every error is reported at the map's own path. */
export function validateLabels(labels: Record<string, string> | null | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, path));
    for (const msg of isValidLabelValue(v)) errs.push(fieldErrors.invalid(path, v, msg));
  }
  return errs;
}

export function validateLabelSelectorRequirement(req: LabelSelectorRequirementObject, opts: LabelSelectorValidationOptions, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(fieldErrors.required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(fieldErrors.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      if (!opts.allowUnknownOperatorInRequirement) errs.push(fieldErrors.invalid(`${path}.operator`, req.operator, 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(req.key ?? '', `${path}.key`));
  if (!opts.allowInvalidLabelValueInSelector) {
    values.forEach((v, i) => {
      for (const msg of isValidLabelValue(v)) errs.push(fieldErrors.invalid(`${path}.values[${i}]`, v, msg));
    });
  }
  return errs;
}

/** Upstream ValidateLabelSelector (matchLabels as labels, each expression by index). */
export function validateLabelSelector(obj: LabelSelectorObject | null | undefined, opts: LabelSelectorValidationOptions, path: string): FieldError[] {
  if (!obj) return [];
  const errs = validateLabels(obj.matchLabels, `${path}.matchLabels`);
  (obj.matchExpressions ?? []).forEach((expr, i) => errs.push(...validateLabelSelectorRequirement(expr, opts, `${path}.matchExpressions[${i}]`)));
  return errs;
}
