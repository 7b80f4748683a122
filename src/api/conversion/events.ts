// events.k8s.io/v1 Events are core/v1 Events in storage: the same objects under other field
// names (upstream's conversion: regarding ↔ involvedObject, note ↔ message, deprecated* ↔ the
// old timestamps, count and source).
import type { KubeObject } from '../registry/resource.ts';

const RENAMES: [events: string, core: string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];

function rename(obj: KubeObject, pairs: [string, string][], apiVersion: string): KubeObject {
  const out: KubeObject = { ...obj, apiVersion };
  for (const [from, to] of pairs) {
    if (from in out) {
      if (out[from] !== undefined) out[to] = out[from];
      delete out[from];
    }
  }
  return out;
}

export function eventsV1ToCore(obj: KubeObject): KubeObject {
  return rename(obj, RENAMES, 'v1');
}

export function coreToEventsV1(obj: KubeObject): KubeObject {
  return rename(obj, RENAMES.map(([a, b]) => [b, a]), 'events.k8s.io/v1');
}
