// GET pods/{name}/log: validates PodLogOptions, finds the kubelet and streams its answer back
// as text/plain, flushing every chunk (kubectl logs -f). Kubelet errors are shaped as upstream's
// generic response checker shapes them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, StatusError } from '../../api/status.ts';
import { fieldErrors, type FieldError } from '../../api/validation/field-error.ts';
import type { KubeletClient } from './kubelet-client.ts';
import type { PodTargets } from './pod-target.ts';

const BOOL = new Set(['true', '1', 't', 'T', 'TRUE', 'True']);
const FALSE = new Set(['false', '0', 'f', 'F', 'FALSE', 'False', '']);

function bool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  if (BOOL.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw errors.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function int(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (!/^[-+]?\d+$/.test(v)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

export interface PodLogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
}

/** Parses and validates PodLogOptions (upstream's ValidatePodLogOptions). */
export function parsePodLogOptions(q: URLSearchParams, podName: string): PodLogOptions {
  const opts: PodLogOptions = {
    container: q.get('container') ?? '', follow: bool(q, 'follow'), previous: bool(q, 'previous'), timestamps: bool(q, 'timestamps'),
    tailLines: int(q, 'tailLines'), sinceSeconds: int(q, 'sinceSeconds'), limitBytes: int(q, 'limitBytes'),
  };
  const sinceTime = q.get('sinceTime');
  if (sinceTime) {
    if (Number.isNaN(Date.parse(sinceTime))) throw errors.badRequest(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse`);
    opts.sinceTime = new Date(sinceTime).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  const errs: FieldError[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) errs.push(fieldErrors.invalid('tailLines', opts.tailLines, 'must be greater than or equal to 0'));
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) errs.push(fieldErrors.invalid('limitBytes', opts.limitBytes, 'must be greater than 0'));
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) errs.push(fieldErrors.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  else if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) errs.push(fieldErrors.invalid('sinceSeconds', opts.sinceSeconds, 'must be greater than 0'));
  if (errs.length) throw errors.invalid('', 'PodLogOptions', podName, errs);
  return opts;
}

/** The kubelet query, as upstream's LogLocation writes it. */
export function kubeletLogQuery(o: PodLogOptions): string {
  const p = new URLSearchParams();
  if (o.follow) p.set('follow', 'true');
  if (o.previous) p.set('previous', 'true');
  if (o.timestamps) p.set('timestamps', 'true');
  if (o.sinceSeconds !== undefined) p.set('sinceSeconds', String(o.sinceSeconds));
  if (o.sinceTime !== undefined) p.set('sinceTime', o.sinceTime);
  if (o.tailLines !== undefined) p.set('tailLines', String(o.tailLines));
  if (o.limitBytes !== undefined) p.set('limitBytes', String(o.limitBytes));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** A kubelet error answer as upstream's GenericHttpResponseChecker turns it into a Status. */
export function kubeletLogError(code: number, body: string, podName: string): StatusError {
  if (code === 500) return errors.internal(body);
  if (code === 400) return errors.badRequest(body);
  const generic: Record<number, [string, string]> = {
    404: ['NotFound', 'the server could not find the requested resource'],
    401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
    403: ['Forbidden', body],
    422: ['Invalid', 'the server rejected our request due to an error in our request'],
  };
  const [reason, message] = generic[code] ?? (code > 500 ? ['InternalError', `an error on the server (${JSON.stringify(body)}) has prevented the request from succeeding`] : ['', `the server responded with the status code ${code} but did not return more information`]);
  return new StatusError(code, reason, `${message} ( pods/log ${podName})`, { name: podName, kind: 'pods/log' });
}

export async function servePodLogs(targets: PodTargets, kubelet: KubeletClient, ns: string, podName: string, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  const opts = parsePodLogOptions(query, podName);
  const target = await targets.resolve(ns, podName, opts.container);
  if (!target.kubelet) {
    // Upstream streams nothing for a pod no node has taken yet.
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' }).end();
    return;
  }
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const path = `/containerLogs/${encodeURIComponent(ns)}/${encodeURIComponent(podName)}/${encodeURIComponent(target.container)}${kubeletLogQuery(opts)}`;
  let upstream: IncomingMessage;
  try {
    upstream = await kubelet.get(target.kubelet, path, abort.signal);
  } catch (e) {
    if (abort.signal.aborted) return;
    throw new StatusError(500, '', (e as Error).message);
  }
  if (upstream.statusCode! < 200 || upstream.statusCode! > 206) {
    const parts: Buffer[] = [];
    for await (const c of upstream) parts.push(c as Buffer);
    throw kubeletLogError(upstream.statusCode!, Buffer.concat(parts).toString('utf8').slice(0, 50_000), podName);
  }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  upstream.on('data', (c: Buffer) => { if (!res.write(c)) upstream.pause(); });
  res.on('drain', () => upstream.resume());
  await new Promise<void>((resolve) => {
    upstream.on('end', () => { res.end(); resolve(); });
    upstream.on('error', () => { res.destroy(); resolve(); });
    upstream.on('aborted', () => { res.destroy(); resolve(); });
    res.on('close', () => { upstream.destroy(); resolve(); });
  });
}
