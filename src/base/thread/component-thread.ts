// A component (the scheduler…) on a thread of its own: its own event loop, so it runs on the
// machine's other core beside the API server's, and talks to the API server over its own
// connections like any client. Nothing is shared: the thread gets its start options (a
// structured clone) and, at the end, a stop message.
//
// The thread's module exports nothing; it calls serveComponent() with a function that starts
// the component and resolves once it runs.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { logLevel, setLogLevel, type Level, type Logger } from '../log.ts';

const STOP_GRACE_MS = 5000;

interface Started { type: 'started' }
interface Failed { type: 'failed'; message: string; stack?: string }
interface Report { type: 'report'; value: unknown }
type FromThread = Started | Failed | Report;

export interface ComponentThread {
  /** Resolves once the component stopped and its thread ended. */
  readonly exited: Promise<void>;
}

/**
 * Starts module (a file calling serveComponent) on a new thread with options; resolves once the
 * component reports it runs. Aborting signal stops it (the thread finishes what is in flight).
 * A component that fails after starting takes the process down, as it would on the main thread.
 */
export function startComponentThread(module: URL, options: unknown, signal: AbortSignal, log: Logger, onReport?: (value: unknown) => void): Promise<ComponentThread> {
  const worker = new Worker(module, { workerData: { options, logLevel: logLevel() } });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let started = false;
    const stop = () => {
      worker.postMessage('stop');
      // What is in flight gets a moment to finish; a thread that does not end is ended.
      setTimeout(() => void worker.terminate(), STOP_GRACE_MS).unref();
    };
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    const fail = (err: Error) => {
      if (!started) { reject(err); return; }
      log.error('component thread failed', { module: module.pathname, err: err.stack ?? err.message });
      // As an uncaught error of the component on the main thread would.
      setImmediate(() => { throw err; });
    };
    worker.on('message', (m: FromThread) => {
      if (m.type === 'started') {
        started = true;
        // Like the component on the main thread, it does not keep the process alive by itself.
        worker.unref();
        resolve({ exited });
      } else if (m.type === 'report') onReport?.(m.value);
      else if (m.type === 'failed') fail(Object.assign(new Error(m.message), { stack: m.stack }));
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      signal.removeEventListener('abort', stop);
      if (!started) reject(new Error(`component thread ${module.pathname} exited (${code}) before it started`));
    });
  });
}

/**
 * The thread's side: runs start(options, signal, report) and tells the parent it runs; a stop
 * message aborts the signal, and the thread ends once stopped() (if given) resolves.
 */
export function serveComponent<T>(start: (options: T, signal: AbortSignal, report: (value: unknown) => void) => Promise<{ stopped?(): Promise<void> } | void>): void {
  if (isMainThread || !parentPort) throw new Error('serveComponent runs on a component thread');
  const port = parentPort;
  const data = workerData as { options: T; logLevel: Level };
  setLogLevel(data.logLevel);
  const abort = new AbortController();
  port.on('message', (m) => { if (m === 'stop') abort.abort(); });
  const send = (m: FromThread) => port.postMessage(m);
  start(data.options, abort.signal, (value) => send({ type: 'report', value })).then(
    async (running) => {
      send({ type: 'started' });
      await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
      await running?.stopped?.();
      port.close();
    },
    (err: Error) => { send({ type: 'failed', message: err?.message ?? String(err), stack: err?.stack }); port.close(); },
  );
}
