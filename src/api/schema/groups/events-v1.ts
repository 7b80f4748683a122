// events.k8s.io/v1: Event.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api 1.33 (generated.proto, types.go).
import type { GroupVersionKind, TypeDefs } from '../model.ts';
import { field, listType, objectHeader, ref } from '../model.ts';

const EVENTS = 'io.k8s.api.events.v1';
const CORE = 'io.k8s.api.core.v1';
const gvk = (kind: string): GroupVersionKind => ({ group: 'events.k8s.io', version: 'v1', kind });

export const eventsV1Types: TypeDefs = {
  [`${EVENTS}.Event`]: {
    description: 'A report of something that happened in the cluster, usually a state change of an object.',
    gvk: [gvk('Event')],
    fields: {
      ...objectHeader(),
      eventTime: field('micro-time', 2, 'When the event was first seen.', { required: true }),
      series: field(ref(`${EVENTS}.EventSeries`), 3, 'Data about a series of repeated events; unset for a single event.'),
      reportingController: field('string', 4, 'The controller that emitted the event, such as "kubernetes.io/kubelet". Required for new events.'),
      reportingInstance: field('string', 5, 'The instance of the controller that emitted the event, such as "kubelet-xyzf". Required for new events.'),
      action: field('string', 6, 'What was done, or failed, on the regarding object; machine readable.'),
      reason: field('string', 7, 'Why the action was taken; machine readable, at most 128 characters.'),
      regarding: field(ref(`${CORE}.ObjectReference`), 8, 'The object this event is about.'),
      related: field(ref(`${CORE}.ObjectReference`), 9, 'A second object involved in the action, such as the node a pod was scheduled to.'),
      note: field('string', 10, 'A human-readable description of the status of the action; at most 1kB.'),
      type: field('string', 11, 'Normal or Warning; more may come.'),
      deprecatedSource: field(ref(`${CORE}.EventSource`), 12, 'The reporting component, as in core/v1 Event; deprecated.'),
      deprecatedFirstTimestamp: field('date-time', 13, 'When the event was first seen, as in core/v1 Event; deprecated.'),
      deprecatedLastTimestamp: field('date-time', 14, 'When the event was last seen, as in core/v1 Event; deprecated.'),
      deprecatedCount: field('int32', 15, 'How often the event was seen, as in core/v1 Event; deprecated.'),
    },
  },
  [`${EVENTS}.EventSeries`]: {
    description: 'A series of repeats of the same event, updated at most every 30 minutes.',
    fields: {
      count: field('int32', 1, 'How many times the event has occurred so far.', { required: true }),
      lastObservedTime: field('micro-time', 2, 'When the last occurrence was seen.', { required: true }),
    },
  },
  [`${EVENTS}.EventList`]: listType(`${EVENTS}.Event`, gvk('EventList'), 'A list of Events.'),
};
