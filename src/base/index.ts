export * from './log.ts';
export * from './runnable.ts';
