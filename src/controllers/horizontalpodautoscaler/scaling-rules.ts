// From a metric's recommendation to the replica count to set (upstream horizontal.go's
// normalizeDesiredReplicas and its behavior variant): recommendations are stabilized over a
// window (the highest recent one wins on the way down, the lowest on the way up), then held
// within min/max and the scaling rate, each step named by a ScalingLimited reason.

type Obj = Record<string, any>;

export interface Limited { replicas: number; reason: string; message: string }
export interface Normalized { replicas: number; ableToScale: { reason: string; message: string }; limited: Limited; limitedActive: boolean }

interface Recommendation { replicas: number; at: number }
interface ScaleEvent { change: number; at: number; outdated: boolean }

const READY = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const DOWN_STABILIZED = { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
const UP_STABILIZED = { reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' };
const WITHIN = (replicas: number): Limited => ({ replicas, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' });
const UP_LIMIT = 'the desired replica count is increasing faster than the maximum scale rate';
const DOWN_LIMIT = 'the desired replica count is decreasing faster than the maximum scale rate';
const TOO_MANY = 'the desired replica count is more than the maximum replica count';
const TOO_FEW = 'the desired replica count is less than the minimum replica count';

/** Per-autoscaler memory of recent recommendations and scale events (kept by the controller, as upstream). */
export class ScalingHistory {
  readonly #recommendations = new Map<string, Recommendation[]>();
  readonly #up = new Map<string, ScaleEvent[]>();
  readonly #down = new Map<string, ScaleEvent[]>();

  forget(key: string): void { this.#recommendations.delete(key); this.#up.delete(key); this.#down.delete(key); }

  /** Without behavior: the highest recommendation within the downscale window, then min/max and at most double (or 4). */
  normalize(key: string, current: number, desired: number, min: number, max: number, downWindowMs: number, now: number): Normalized {
    const recs = (this.#recommendations.get(key) ?? []).filter((r) => r.at > now - downWindowMs);
    let stabilized = desired;
    for (const r of recs) stabilized = Math.max(stabilized, r.replicas);
    recs.push({ replicas: desired, at: now });
    this.#recommendations.set(key, recs);
    const ableToScale = stabilized !== desired ? DOWN_STABILIZED : READY;
    const scaleUpLimit = Math.max(2 * current, 4);
    let maxAllowed: number, upReason: string, upMessage: string;
    if (max > scaleUpLimit) { maxAllowed = scaleUpLimit; upReason = 'ScaleUpLimit'; upMessage = UP_LIMIT; }
    else { maxAllowed = max; upReason = 'TooManyReplicas'; upMessage = TOO_MANY; }
    let limited: Limited;
    if (stabilized < min) limited = { replicas: min, reason: 'TooFewReplicas', message: TOO_FEW };
    else if (stabilized > maxAllowed) limited = { replicas: maxAllowed, reason: upReason, message: upMessage };
    else limited = WITHIN(stabilized);
    return { replicas: limited.replicas, ableToScale, limited, limitedActive: limited.replicas !== stabilized };
  }

  /** With behavior: both stabilization windows, then the rate policies of the direction. */
  normalizeWithBehavior(key: string, current: number, desired: number, min: number, max: number, behavior: Obj, now: number): Normalized {
    const up = behavior.scaleUp ?? {}, down = behavior.scaleDown ?? {};
    const upCutoff = now - (up.stabilizationWindowSeconds ?? 0) * 1000;
    const downCutoff = now - (down.stabilizationWindowSeconds ?? 300) * 1000;
    let upRec = desired, downRec = desired;
    const recs = this.#recommendations.get(key) ?? [];
    let oldIndex = -1;
    recs.forEach((r, i) => {
      if (r.at > upCutoff) upRec = Math.min(r.replicas, upRec);
      if (r.at > downCutoff) downRec = Math.max(r.replicas, downRec);
      if (r.at < upCutoff && r.at < downCutoff) oldIndex = i;
    });
    let stabilized = current;
    if (stabilized < upRec) stabilized = upRec;
    if (stabilized > downRec) stabilized = downRec;
    if (oldIndex >= 0) recs[oldIndex] = { replicas: desired, at: now }; else recs.push({ replicas: desired, at: now });
    this.#recommendations.set(key, recs);
    const ableToScale = stabilized === desired ? READY : desired >= current ? UP_STABILIZED : DOWN_STABILIZED;
    let limited = WITHIN(stabilized);
    if (stabilized > current) {
      let upLimit = scaleUpLimit(current, this.#events(this.#up, key, now), up, now);
      if (upLimit < current) upLimit = current;
      const [maxAllowed, reason, message] = max > upLimit ? [upLimit, 'ScaleUpLimit', UP_LIMIT] : [max, 'TooManyReplicas', TOO_MANY];
      if (stabilized > maxAllowed) limited = { replicas: maxAllowed, reason, message };
    } else if (stabilized < current) {
      let downLimit = scaleDownLimit(current, this.#events(this.#down, key, now), down, now);
      if (downLimit > current) downLimit = current;
      const [minAllowed, reason, message] = min < downLimit ? [downLimit, 'ScaleDownLimit', DOWN_LIMIT] : [min, 'TooFewReplicas', TOO_FEW];
      if (stabilized < minAllowed) limited = { replicas: minAllowed, reason, message };
    }
    return { replicas: limited.replicas, ableToScale, limited, limitedActive: limited.replicas !== stabilized };
  }

  #events(m: Map<string, ScaleEvent[]>, key: string, _now: number): ScaleEvent[] { return m.get(key) ?? []; }

  /** Remembers a rescale for the rate policies (only autoscalers with a behavior use them). */
  recordScale(key: string, behavior: Obj | undefined, from: number, to: number, now: number): void {
    if (!behavior || from === to) return;
    const upward = to > from;
    const rules = upward ? behavior.scaleUp : behavior.scaleDown;
    const longest = Math.max(0, ...((rules?.policies ?? []) as Obj[]).map((p) => p.periodSeconds ?? 0)) * 1000;
    const m = upward ? this.#up : this.#down;
    const events = (m.get(key) ?? []).map((e) => ({ ...e, outdated: e.outdated || e.at <= now - longest }));
    const i = events.findIndex((e) => e.outdated);
    const ev = { change: Math.abs(to - from), at: now, outdated: false };
    if (i >= 0) events[i] = ev; else events.push(ev);
    m.set(key, events);
  }
}

function changeInPeriod(events: ScaleEvent[], periodSeconds: number, now: number): number {
  const cutoff = now - periodSeconds * 1000;
  let n = 0;
  for (const e of events) if (e.at > cutoff) n += e.change;
  return n;
}

function scaleUpLimit(current: number, events: ScaleEvent[], rules: Obj, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const p of rules.policies ?? []) {
    const start = current - changeInPeriod(events, p.periodSeconds, now);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

function scaleDownLimit(current: number, events: ScaleEvent[], rules: Obj, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  // The policy allowing the biggest change wins under Max: the smallest floor.
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const p of rules.policies ?? []) {
    const start = current + changeInPeriod(events, p.periodSeconds, now);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}
