// The controller registry: name → descriptor. Adding a controller is adding an entry.
import type { ControllerDescriptor } from './engine/controller.ts';
import { NamespaceController } from './namespace/namespace-controller.ts';
import { GarbageCollector } from './garbage-collector/garbage-collector.ts';
import { newReplicaSetController, newReplicationController } from './replicaset/index.ts';
import { JobController } from './job/index.ts';
import { CronJobController } from './cronjob/index.ts';
import { TtlAfterFinishedController } from './ttl-after-finished/index.ts';
import { statefulSetControllerDescriptor } from './statefulset/index.ts';
import { deploymentControllerDescriptor } from './deployment/index.ts';
import { daemonSetControllerDescriptor } from './daemonset/index.ts';

export const controllers: ControllerDescriptor[] = [
  { name: 'namespace', workers: 2, create: () => new NamespaceController() },
  { name: 'garbage-collector', workers: 4, create: () => new GarbageCollector(), eventComponent: 'garbage-collector-controller' },
  { name: 'replicaset', workers: 5, create: newReplicaSetController },
  { name: 'replicationcontroller', workers: 5, create: newReplicationController, eventComponent: 'replication-controller' },
  { name: 'job', workers: 5, create: () => new JobController(), eventComponent: 'job-controller' },
  { name: 'cronjob', workers: 5, create: () => new CronJobController(), eventComponent: 'cronjob-controller' },
  deploymentControllerDescriptor,
  statefulSetControllerDescriptor,
  daemonSetControllerDescriptor,
  { name: 'ttl-after-finished', workers: 5, create: () => new TtlAfterFinishedController(), eventComponent: 'ttlafterfinished-controller' },
];

export * from './engine/controller.ts';
export { ControllerManager } from './engine/manager.ts';
