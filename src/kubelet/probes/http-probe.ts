// httpGet probes (pkg/probe/http): the request upstream builds from an HTTPGetAction and how the
// answer is judged: 200-399 succeed (a 3xx that was not followed succeeds with a warning), any
// other status or a failed exchange fails.
import { resolveContainerPort } from './container-port.ts';
import { httpGet, HttpGetError } from './http-get.ts';
import type { HttpGetRequest } from './http-get.ts';
import type { KubeObject, ProbeOutcome } from './types.ts';

/** The version in the User-Agent (`kube-probe/1.33`, `kube-lifecycle/1.33`). */
export const KUBE_MINOR_VERSION = '1.33';
export const MAX_BODY_BYTES = 10 * 1024;

/**
 * The request for an HTTPGetAction: host defaults to the pod IP, port may name a container port,
 * spec headers first, then User-Agent and `Accept: *\/*` unless given (an empty Accept drops it).
 * Throws PortError for a port that does not resolve.
 */
export function httpGetRequestFor(
  action: KubeObject, container: KubeObject, podIP: string, purpose: 'probe' | 'lifecycle', timeoutMs: number,
): HttpGetRequest {
  const scheme = String(action.scheme ?? '').toLowerCase() === 'https' ? 'https' : 'http';
  const host = action.host || podIP;
  const port = resolveContainerPort(action.port, container);
  const headers: [string, string][] = [];
  for (const h of action.httpHeaders ?? []) headers.push([String(h.name), String(h.value ?? '')]);
  const has = (name: string) => headers.some(([k]) => k.toLowerCase() === name);
  if (!has('user-agent')) headers.push(['User-Agent', `kube-${purpose}/${KUBE_MINOR_VERSION}`]);
  if (!has('accept')) {
    headers.push(['Accept', '*/*']);
  } else if (headers.find(([k]) => k.toLowerCase() === 'accept')![1] === '') {
    for (let i = headers.length - 1; i >= 0; i--) if (headers[i][0].toLowerCase() === 'accept') headers.splice(i, 1);
  }
  return { scheme, host, port, path: String(action.path ?? ''), headers, timeoutMs, maxBodyBytes: MAX_BODY_BYTES };
}

export async function probeHttp(req: HttpGetRequest): Promise<ProbeOutcome> {
  let res;
  try {
    res = await httpGet(req);
  } catch (e) {
    if (!(e instanceof HttpGetError)) throw e;
    // Failing to read the body is an error of the attempt; failing the exchange is a failure.
    if (e.whileReadingBody) return { result: 'failure', output: '', error: e.message };
    return { result: 'failure', output: e.message };
  }
  if (res.status >= 200 && res.status < 400) {
    if (res.status >= 300) return { result: 'warning', output: `Probe terminated redirects, Response body: ${res.body}` };
    return { result: 'success', output: res.body };
  }
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${res.status}` };
}
