// The scheduler: a runnable, its plugin registry and default profile, and the framework types
// a plugin is written against.
export { Scheduler, type SchedulerOptions } from './scheduler.ts';
export { pluginRegistry, defaultProfile, DEFAULT_SCHEDULER_NAME } from './plugins/registry.ts';
export type { Plugin, PluginFactory, Profile, Handle } from './framework/interface.ts';
export { Status } from './framework/status.ts';
