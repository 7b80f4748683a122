export * from './api-client.ts';
export * from './informer.ts';
export * from './informer-factory.ts';
export * from './work-queue.ts';
export * from './discovery.ts';
export * from './event-recorder.ts';
export * from './leader-election.ts';
