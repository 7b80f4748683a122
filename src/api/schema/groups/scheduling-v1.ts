// scheduling.k8s.io/v1: PriorityClass.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api 1.33 (generated.proto, types.go).
import type { GroupVersionKind, TypeDefs } from '../model.ts';
import { field, listType, objectHeader } from '../model.ts';

const SCHEDULING = 'io.k8s.api.scheduling.v1';
const gvk = (kind: string): GroupVersionKind => ({ group: 'scheduling.k8s.io', version: 'v1', kind });

export const schedulingV1Types: TypeDefs = {
  [`${SCHEDULING}.PriorityClass`]: {
    description: 'Maps a class name to a pod priority value; cluster scoped.',
    gvk: [gvk('PriorityClass')],
    fields: {
      ...objectHeader(),
      value: field('int32', 2, 'The priority of pods of this class; higher is more important.', { required: true }),
      globalDefault: field('boolean', 3, 'Whether pods without a priorityClassName get this class; only one class may be the default.'),
      description: field('string', 4, 'A free-form note on when to use this class.'),
      preemptionPolicy: field('string', 5, 'Whether pods of this class may preempt lower-priority ones: PreemptLowerPriority (the default) or Never.', { enum: ['Never', 'PreemptLowerPriority'] }),
    },
  },
  [`${SCHEDULING}.PriorityClassList`]: listType(`${SCHEDULING}.PriorityClass`, gvk('PriorityClassList'), 'A list of PriorityClasses.'),
};
