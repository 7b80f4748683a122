import { test } from 'node:test';
import assert from 'node:assert/strict';
import { threadId } from 'node:worker_threads';
import { startComponentThread } from './component-thread.ts';
import { createLogger } from '../log.ts';

const fixture = new URL('./testing/double-component.ts', import.meta.url);
const log = createLogger({ test: 'component-thread' });

test('a component thread starts, reports, and ends after a stop once the component stopped', async () => {
  const abort = new AbortController();
  const reports: unknown[] = [];
  const thread = await startComponentThread(fixture, { n: 21 }, abort.signal, log, (v) => reports.push(v));
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(reports, [42]);
  assert.equal(threadId, 0, 'the test itself runs on the main thread');
  abort.abort();
  await thread.exited;
  assert.deepEqual(reports, [42, 'stopped true']);
});

test('a component that fails to start rejects with its error', async () => {
  const abort = new AbortController();
  await assert.rejects(startComponentThread(fixture, { n: -1 }, abort.signal, log), /cannot start with -1/);
  abort.abort();
});
