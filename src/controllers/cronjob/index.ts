// The CronJob controller and its cron schedule parser (exported for `kubectl`-like tools and tests).
export { CronJobController, jobNameFor, SCHEDULED_TIMESTAMP_ANNOTATION, type CronJobControllerOptions } from './cronjob-controller.ts';
export { parseCronSchedule, type CronSchedule } from './cron-schedule.ts';
