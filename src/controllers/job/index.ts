// The Job controller: runs Jobs' pods to completion or failure, counting them through the
// batch.kubernetes.io/job-tracking finalizer.
export { JobController, type JobControllerOptions } from './job-controller.ts';
