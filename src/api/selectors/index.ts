// Label and field selectors: parsing, matching, conversion from LabelSelector objects.
export { LabelSelector, parseLabelSelector } from './label-selector.ts';
export {
  SelectorError, newRequirement, requirementMatches, requirementString,
  type LabelOperator, type LabelRequirement, type Labels,
} from './label-requirement.ts';
export {
  labelSelectorFromObject, validateLabelSelector, validateLabelSelectorRequirement, validateLabels, validateLabelName,
  type LabelSelectorObject, type LabelSelectorRequirementObject, type LabelSelectorValidationOptions,
} from './label-selector-object.ts';
export {
  FieldSelector, FieldSelectorError, escapeFieldValue, unescapeFieldValue,
  type FieldOperator, type FieldRequirement,
} from './field-selector.ts';
