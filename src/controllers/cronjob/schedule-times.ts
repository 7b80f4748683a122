// Which scheduled time a CronJob should act on now, and when to look again (upstream's
// mostRecentScheduleTime and friends). Missed times are estimated from the spacing of the next
// two activations, so a long outage costs no long walk through every missed time.
import type { KubeObject } from '../../client/api-client.ts';
import type { CronSchedule } from './cron-schedule.ts';

/** Requeue padding that absorbs small clock skews (upstream's nextScheduleDelta). */
const NEXT_SCHEDULE_DELTA_MS = 100;
const TOO_MANY_MISSED = 100;

export type Missed = 'none' | 'few' | 'many';

export interface MostRecent {
  /** Last schedule time, creation time, or the starting deadline's start, whichever is latest. */
  earliest: number;
  /** The latest activation at or before now, if any. */
  mostRecent?: number;
  missed: Missed;
  error?: string;
}

export function mostRecentScheduleTime(cj: KubeObject, now: number, schedule: CronSchedule, includeStartingDeadline: boolean): MostRecent {
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp);
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (includeStartingDeadline && typeof deadline === 'number') {
    // Nothing older than the deadline will be started.
    earliest = Math.max(earliest, now - deadline * 1000);
  }
  const t1 = schedule.next(earliest);
  const t2 = schedule.next(t1);
  if (now < t1) return { earliest, missed: 'none' };
  if (now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  // Grammatically valid but impossible schedules (31 February) give no spacing.
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliest, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  const elapsed = Math.trunc((now - t1) / 1000);
  const missedCount = Math.trunc(elapsed / between) + 1;
  let mostRecent = 0;
  // Start one interval early and let the schedule find the exact last activation (uneven schedules).
  const potentialEarliest = t1 + (missedCount - 2) * between * 1000;
  for (let t = schedule.next(potentialEarliest); t !== 0 && t <= now; t = schedule.next(t)) mostRecent = t;
  const missed: Missed = missedCount > TOO_MANY_MISSED ? 'many' : missedCount > 0 ? 'few' : 'none';
  return mostRecent === 0 ? { earliest, missed } : { earliest, mostRecent, missed };
}

/** How long until the next activation after the most recent one (plus the skew padding). */
export function nextScheduleDelayMs(cj: KubeObject, now: number, schedule: CronSchedule): number {
  const r = mostRecentScheduleTime(cj, now, schedule, false);
  let from: number;
  if (r.error) from = now;
  else if (r.mostRecent === undefined) from = r.missed === 'none' ? r.earliest : now;
  else from = r.mostRecent;
  return schedule.next(from) + NEXT_SCHEDULE_DELTA_MS - now;
}

/** The unmet scheduled time to act on now, if any; `many` flags a warning about missed times. */
export function nextScheduleTime(cj: KubeObject, now: number, schedule: CronSchedule): { time?: number; tooMany: boolean; error?: string } {
  const r = mostRecentScheduleTime(cj, now, schedule, true);
  if (r.mostRecent === undefined || r.mostRecent > now) return { tooMany: false, error: r.error };
  return { time: r.mostRecent, tooMany: r.missed === 'many', error: r.error };
}
