// spec.successPolicy of Indexed Jobs: the Job succeeds early when a rule's indexes (or a count
// of them) have succeeded.
import type { KubeObject } from '../../client/api-client.ts';
import { parseIntervals, totalOf, type Interval } from './indexes.ts';

/** The SuccessCriteriaMet message ("Matched rules at index N") when a rule is met. */
export function matchSuccessPolicy(policy: KubeObject | undefined | null, completions: number, succeeded: readonly Interval[]): string | undefined {
  if (!policy || succeeded.length === 0) return undefined;
  const rules: KubeObject[] = policy.rules ?? [];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    if (rule.succeededIndexes !== undefined && rule.succeededIndexes !== null) {
      const required = parseIntervals(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      if (matchesIndexesRule(required, succeeded, rule.succeededCount)) return `Matched rules at index ${index}`;
    } else if (typeof rule.succeededCount === 'number' && totalOf(succeeded) >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}

function matchesIndexesRule(rule: readonly Interval[], succeeded: readonly Interval[], succeededCount: number | undefined): boolean {
  let contains = 0;
  let s = 0;
  let r = 0;
  while (r < rule.length && s < succeeded.length) {
    const overlap = Math.min(rule[r]!.last, succeeded[s]!.last) - Math.max(rule[r]!.first, succeeded[s]!.first) + 1;
    if (overlap > 0) contains += overlap;
    if (succeeded[s]!.last < rule[r]!.last) s++;
    else if (succeeded[s]!.last > rule[r]!.last) r++;
    else { s++; r++; }
  }
  return contains === totalOf(rule) || (typeof succeededCount === 'number' && contains >= succeededCount);
}
