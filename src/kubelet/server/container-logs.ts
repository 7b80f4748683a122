// GET /containerLogs/{ns}/{pod}/{container}: the container's log as a chunked text body, each
// write flushed at once so `kubectl logs -f` sees lines as they come.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogOptions, PodRef, StreamingRuntime } from './streaming-runtime.ts';
import { StreamingError } from './streaming-runtime.ts';

const isTrue = (v: string | null) => v === 'true' || v === '1';

function positiveInt(q: URLSearchParams, name: string, min: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw StreamingError.badRequest('{"message": "Unable to decode query."}');
  const n = Number(v);
  if (n < min) throw new StreamingError(422, '{"message": "Invalid request."}');
  return n;
}

/** Reads PodLogOptions from the query as upstream's kubelet does (sinceSeconds becomes sinceTime). */
export function parseLogOptions(q: URLSearchParams, now: Date): LogOptions {
  const opts: LogOptions = { follow: isTrue(q.get('follow')), previous: isTrue(q.get('previous')), timestamps: isTrue(q.get('timestamps')) };
  const tail = q.get('tailLines') ?? (q.get('tail') === 'all' ? null : q.get('tail'));
  if (tail !== null) opts.tailLines = positiveInt(new URLSearchParams({ tailLines: tail }), 'tailLines', 0);
  opts.limitBytes = positiveInt(q, 'limitBytes', 1);
  const sinceSeconds = positiveInt(q, 'sinceSeconds', 1);
  const sinceTime = q.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw new StreamingError(422, '{"message": "Invalid request."}');
  if (sinceSeconds !== undefined) opts.sinceTime = new Date(now.getTime() - sinceSeconds * 1000);
  else if (sinceTime) {
    const t = new Date(sinceTime);
    if (Number.isNaN(t.getTime())) throw StreamingError.badRequest('{"message": "Unable to decode query."}');
    opts.sinceTime = t;
  }
  for (const k of ['tailLines', 'limitBytes'] as const) if (opts[k] === undefined) delete opts[k];
  return opts;
}

export async function serveContainerLogs(runtime: StreamingRuntime, pod: PodRef, container: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const opts = parseLogOptions(url.searchParams, new Date());
  await runtime.check('logs', pod, container, { previous: opts.previous });
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  req.on('close', () => { if (!res.writableFinished) abort.abort(); });
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  try {
    await runtime.logs(pod, container, opts, res, abort.signal);
  } catch (e) {
    // Headers are out: all that is left is to stop the stream.
    if (!abort.signal.aborted) res.destroy(e as Error);
    return;
  }
  res.end();
}
