// Completion indexes of Indexed Jobs: sorted, merged intervals and their compact text form
// ("1,3-5,7"), as .status.completedIndexes and successPolicy rules write them.
import type { KubeObject } from '../../client/api-client.ts';

export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

export interface Interval { first: number; last: number }

/** The pod's completion index from its annotation, or -1 when absent or malformed. */
export function completionIndexOf(pod: KubeObject): number {
  const v = pod.metadata?.annotations?.[COMPLETION_INDEX];
  if (typeof v !== 'string' || !/^[+-]?\d+$/.test(v)) return -1;
  const n = Number.parseInt(v, 10);
  return n < 0 ? -1 : n;
}

/** Merges ascending indexes into the intervals. */
export function withIndexes(intervals: readonly Interval[], sortedIndexes: readonly number[]): Interval[] {
  const out: Interval[] = [];
  const push = (iv: Interval) => {
    const last = out[out.length - 1];
    if (!last || iv.first > last.last + 1) out.push({ ...iv });
    else if (last.last < iv.last) last.last = iv.last;
  };
  let i = 0;
  let j = 0;
  while (i < intervals.length && j < sortedIndexes.length) {
    if (intervals[i]!.first < sortedIndexes[j]!) push(intervals[i++]!);
    else { push({ first: sortedIndexes[j]!, last: sortedIndexes[j]! }); j++; }
  }
  while (i < intervals.length) push(intervals[i++]!);
  while (j < sortedIndexes.length) { push({ first: sortedIndexes[j]!, last: sortedIndexes[j]! }); j++; }
  return out;
}

export function totalOf(intervals: readonly Interval[]): number {
  return intervals.reduce((n, iv) => n + iv.last - iv.first + 1, 0);
}

export function hasIndex(intervals: readonly Interval[], ix: number): boolean {
  return intervals.some((iv) => iv.first <= ix && ix <= iv.last);
}

/** "0-2,4,6,7": a pair of neighbours is written with a comma, longer runs with a dash. */
export function formatIntervals(intervals: readonly Interval[]): string {
  return intervals.map((iv) => (iv.last === iv.first ? `${iv.first}` : `${iv.first}${iv.last === iv.first + 1 ? ',' : '-'}${iv.last}`)).join(',');
}

/** Parses the text form, dropping what lies at or beyond completions and skipping corrupt parts. */
export function parseIntervals(text: string | undefined | null, completions: number): Interval[] {
  if (!text) return [];
  const out: Interval[] = [];
  for (const part of text.split(',')) {
    const [a, b] = part.split('-');
    if (!a || !/^\d+$/.test(a) || (b !== undefined && !/^\d+$/.test(b))) continue;
    const first = Number(a);
    if (first >= completions) break;
    const last = b === undefined ? first : Math.min(Number(b), completions - 1);
    const prev = out[out.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else out.push({ first, last });
  }
  return out;
}

/** The first `count` indexes below completions that neither succeeded nor have an active pod. */
export function firstPendingIndexes(activePods: readonly KubeObject[], succeeded: readonly Interval[], count: number, completions: number): number[] {
  if (count <= 0) return [];
  const active = [...new Set(activePods.map(completionIndexOf).filter((ix) => ix >= 0))].sort((a, b) => a - b);
  const taken = withIndexes(succeeded, active);
  const out: number[] = [];
  let candidate = 0;
  for (const iv of taken) {
    for (; candidate < completions && out.length < count && candidate < iv.first; candidate++) out.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && out.length < count; candidate++) out.push(candidate);
  return out;
}
