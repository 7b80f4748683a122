// Test fixture: a component that reports twice its option n, or fails to start when n is negative.
import { serveComponent } from '../component-thread.ts';

serveComponent<{ n: number }>(async (o, signal, report) => {
  if (o.n < 0) throw new Error(`cannot start with ${o.n}`);
  report(o.n * 2);
  let stoppedAt = 0;
  signal.addEventListener('abort', () => { stoppedAt = Date.now(); }, { once: true });
  return { stopped: () => new Promise<void>((resolve) => setTimeout(() => { report(`stopped ${stoppedAt > 0}`); resolve(); }, 20)) };
});
