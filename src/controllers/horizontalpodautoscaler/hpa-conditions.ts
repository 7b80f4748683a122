// HPA status conditions (AbleToScale, ScalingActive, ScalingLimited): set in place, the
// transition time moving only when the status flips, as upstream's setCondition.
type Obj = Record<string, any>;

export function setCondition(conditions: Obj[], type: string, status: 'True' | 'False', reason: string, message: string, now: string): void {
  const existing = conditions.find((c) => c.type === type);
  if (!existing) { conditions.push({ type, status, lastTransitionTime: now, reason, message }); return; }
  if (existing.status !== status) existing.lastTransitionTime = now;
  existing.status = status;
  existing.reason = reason;
  existing.message = message;
}
