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
import { nodeLifecycleDescriptor } from './node-lifecycle/index.ts';
import { newEndpointsController } from './endpoints/index.ts';
import { newEndpointSliceController } from './endpointslice/index.ts';
import { newServiceAccountsController, newRootCACertPublisher } from './serviceaccount/index.ts';
import { newPersistentVolumeController } from './persistentvolume/index.ts';
import { newLocalPathProvisioner } from './local-path/index.ts';
import { ResourceQuotaController } from './resourcequota/index.ts';
import { HorizontalPodAutoscalerController } from './horizontalpodautoscaler/index.ts';
import { DisruptionController } from './disruption/index.ts';
import { ServiceLoadBalancerController } from './service-lb/index.ts';

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
  nodeLifecycleDescriptor(),
  { name: 'endpoints', workers: 5, create: newEndpointsController, eventComponent: 'endpoint-controller' },
  { name: 'endpointslice', workers: 5, create: () => newEndpointSliceController(), eventComponent: 'endpoint-slice-controller' },
  { name: 'serviceaccount', workers: 1, create: newServiceAccountsController },
  { name: 'root-ca-cert-publisher', workers: 1, create: (env) => newRootCACertPublisher({ caPem: env.caPem }) },
  { name: 'persistentvolume-binder', workers: 1, create: newPersistentVolumeController, eventComponent: 'persistentvolume-controller' },
  { name: 'local-path-provisioner', workers: 2, create: (env) => newLocalPathProvisioner({ baseDir: env.localStorageDir, localNode: env.localNode }), eventComponent: 'rancher.io/local-path_navarch' },
  { name: 'resourcequota', workers: 2, create: () => new ResourceQuotaController(), eventComponent: 'resource-quota-controller' },
  { name: 'disruption', workers: 2, create: () => new DisruptionController(), eventComponent: 'controllermanager' },
  { name: 'horizontal-pod-autoscaler', workers: 5, create: () => new HorizontalPodAutoscalerController(), eventComponent: 'horizontal-pod-autoscaler' },
  { name: 'service-lb', workers: 2, create: () => new ServiceLoadBalancerController(), eventComponent: 'service-lb-controller' },
];

export * from './engine/controller.ts';
export { ControllerManager } from './engine/manager.ts';
