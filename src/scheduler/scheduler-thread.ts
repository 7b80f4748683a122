// The scheduler on a component thread (src/base/thread): what `navarch server` runs, so that
// scheduling cycles use the other core while the API server answers the bindings.
// Options: { config: ClientConfig, options?: SchedulerOptions without plugins, progressMs?: number }
// (progressMs: report the number of pods bound that often, for the benchmark).
import { serveComponent } from '../base/thread/component-thread.ts';
import { createLogger } from '../base/log.ts';
import type { ClientConfig } from '../client/api-client.ts';
import { Scheduler } from './scheduler.ts';

export interface SchedulerThreadOptions {
  config: ClientConfig;
  percentageOfNodesToScore?: number;
  progressMs?: number;
}

serveComponent<SchedulerThreadOptions>(async (o, signal, report) => {
  const scheduler = new Scheduler(o.config, createLogger({}), { percentageOfNodesToScore: o.percentageOfNodesToScore });
  await scheduler.start(signal);
  if (o.progressMs) {
    const timer = setInterval(() => report(scheduler.scheduledCount), o.progressMs);
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  }
  return scheduler;
});
