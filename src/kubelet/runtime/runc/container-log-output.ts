// Writes a container's log file as `kubectl logs` shows it, applying the PodLogOptions the way
// upstream's kubelet does: tailLines picks the last lines present when the request came, then
// sinceTime filters, timestamps prefix each line, limitBytes cuts the whole output; follow keeps
// writing new lines until the writer is gone or the request ends.
import type { Writable } from 'node:stream';
import type { LogOptions } from '../../server/streaming-runtime.ts';
import { formatLogTime } from './cri-log.ts';
import { joinPartials, readCriRecords, type FollowOptions, type LogLine } from './cri-log-reader.ts';

export interface ContainerLogRequest {
  path: string;
  opts: LogOptions;
  out: Writable;
  /** Present when following: how to tell the writer is gone, and when to stop. */
  follow?: FollowOptions;
}

function waitDrain(out: Writable, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { out.off('drain', done); out.off('close', done); signal?.removeEventListener('abort', done); resolve(); };
    out.once('drain', done);
    out.once('close', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function writeContainerLog(req: ContainerLogRequest): Promise<void> {
  const { opts, out } = req;
  let budget = opts.limitBytes ?? Infinity;
  /** Writes one line; false once limitBytes is used up. */
  const emit = (line: LogLine): boolean => {
    if (opts.sinceTime && line.timeMs < opts.sinceTime.getTime()) return true;
    const prefix = opts.timestamps ? `${formatLogTime(line.time)} ` : '';
    let bytes = Buffer.concat([Buffer.from(prefix), line.content, line.incomplete ? Buffer.alloc(0) : Buffer.from('\n')]);
    if (bytes.length > budget) bytes = bytes.subarray(0, budget);
    budget -= bytes.length;
    if (bytes.length) out.write(bytes);
    return budget > 0;
  };

  // With tailLines, the lines already in the file are held back (only the last N kept, in a
  // ring) until the reader has caught up with the file; later lines are written at once.
  const tail = opts.tailLines;
  let held: { ring: LogLine[]; next: number } | undefined = tail !== undefined ? { ring: [], next: 0 } : undefined;
  // Ends a follow as soon as limitBytes is used up, even while no new line comes.
  const stop = new AbortController();
  const release = () => {
    if (!held) return;
    const { ring, next } = held;
    held = undefined;
    for (const line of [...ring.slice(next), ...ring.slice(0, next)]) if (!emit(line)) { stop.abort(); return; }
  };
  const follow = req.follow && { ...req.follow, signal: AbortSignal.any([req.follow.signal, stop.signal]) };
  for await (const line of joinPartials(readCriRecords(req.path, { follow, onCaughtUp: release }))) {
    if (stop.signal.aborted) return;
    if (held) {
      if (tail === 0) continue;
      if (held.ring.length < tail!) held.ring.push(line);
      else { held.ring[held.next] = line; held.next = (held.next + 1) % tail!; }
      continue;
    }
    if (!emit(line)) return;
    if (out.writableNeedDrain) await waitDrain(out, follow?.signal);
  }
  release();
}
