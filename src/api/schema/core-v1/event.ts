// The core/v1 Event kind.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDefs } from '../model.ts';
import { field, objectHeader, listType } from '../model.ts';
import { core, meta } from './names.ts';

export const eventTypes: TypeDefs = {
  'io.k8s.api.core.v1.Event': {
    description: 'A report of something that happened to an object, kept for a limited time.',
    gvk: [{ group: '', version: 'v1', kind: 'Event' }],
    fields: {
      ...objectHeader(),
      metadata: field(meta('ObjectMeta'), 1, "Standard object's metadata.", { required: true }),
      involvedObject: field(core('ObjectReference'), 2, 'The object the event is about.', { required: true }),
      reason: field('string', 3, 'Short CamelCase reason for the transition, for machines.'),
      message: field('string', 4, 'Human-readable description of what happened.'),
      source: field(core('EventSource'), 5, 'Component that reported the event. Superseded by reportingComponent.'),
      firstTimestamp: field('date-time', 6, 'When this event was first recorded.'),
      lastTimestamp: field('date-time', 7, 'When the most recent occurrence was recorded.'),
      count: field('int32', 8, 'How many times this event has occurred.'),
      type: field('string', 9, 'Normal or Warning; other types may be added.'),
      eventTime: field('micro-time', 10, 'When the event first occurred, with microsecond precision.'),
      series: field(core('EventSeries'), 11, 'Data about a series of repeated occurrences, when the event is one.'),
      action: field('string', 12, 'What was done, or failed, about the object.'),
      related: field(core('ObjectReference'), 13, 'A second object involved, if any.'),
      reportingComponent: field('string', 14, 'Controller that emitted the event, such as kubernetes.io/kubelet.'),
      reportingInstance: field('string', 15, "Identity of the emitting controller instance, such as the kubelet's node name."),
    },
  },
  'io.k8s.api.core.v1.EventList': listType('io.k8s.api.core.v1.Event', { group: '', version: 'v1', kind: 'EventList' }, 'A list of Events.'),
  'io.k8s.api.core.v1.EventSource': {
    description: 'The component and host that produced an event.',
    fields: {
      component: field('string', 1, 'Component that reported the event.'),
      host: field('string', 2, 'Node the event was generated on.'),
    },
  },
  'io.k8s.api.core.v1.EventSeries': {
    description: 'Summary of a repeated event.',
    fields: {
      count: field('int32', 1, 'Occurrences seen so far in this series.'),
      lastObservedTime: field('micro-time', 2, 'When the last occurrence was seen.'),
    },
  },
};
