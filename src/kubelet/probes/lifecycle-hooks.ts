// postStart/preStop handlers (upstream's lifecycle/handlers.go): exec in the container, an HTTP
// GET (any answer counts; an HTTPS hook answered in plain HTTP is retried over HTTP), or a sleep.
// `run` resolves undefined on success, else the message the pod worker puts in its
// FailedPostStartHook / FailedPreStopHook event. The caller bounds preStop by the grace period
// (abort the signal); an aborted sleep reports that the container terminated first.
import { PortError } from './container-port.ts';
import { formatPod, goQuote, goStringSlice } from './go-format.ts';
import { httpGet, HttpGetError } from './http-get.ts';
import { httpGetRequestFor } from './http-probe.ts';
import type { HandlerRunnerOptions, KubeObject } from './types.ts';

export class HandlerRunner {
  readonly #o: HandlerRunnerOptions;

  constructor(options: HandlerRunnerOptions) {
    this.#o = options;
  }

  async run(
    pod: KubeObject, container: KubeObject, containerId: string, handler: KubeObject, podIP: string, signal?: AbortSignal,
  ): Promise<string | undefined> {
    const where = `for Container ${goQuote(String(container.name))} in Pod ${goQuote(formatPod(pod))} failed - error:`;
    if (handler.exec) {
      const cmd: string[] = (handler.exec.command ?? []).map(String);
      const failure = await this.#exec(containerId, cmd, signal);
      if (!failure) return undefined;
      return `Exec lifecycle hook (${goStringSlice(cmd)}) ${where} ${failure.error}, message: ${goQuote(failure.output)}`;
    }
    if (handler.httpGet) {
      const error = await this.#http(pod, container, handler.httpGet, podIP, signal);
      return error === undefined ? undefined : `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) ${where} ${error}`;
    }
    if (handler.sleep) {
      const seconds = Number(handler.sleep.seconds ?? 0);
      const error = await this.#sleep(seconds, signal);
      return error === undefined ? undefined : `Sleep lifecycle hook (${seconds}) ${where} ${error}`;
    }
    return `Cannot run handler: invalid handler: ${goHandler(handler)}`;
  }

  async #exec(containerId: string, cmd: string[], signal?: AbortSignal): Promise<{ error: string; output: string } | undefined> {
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<'aborted'>((resolve) => {
      if (!signal) return;
      if (signal.aborted) { resolve('aborted'); return; }
      onAbort = () => resolve('aborted');
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      // Hooks run without a time limit (0), as upstream's.
      const res = await Promise.race([this.#o.exec(containerId, cmd, 0), aborted]);
      if (res === 'aborted') return { error: 'context canceled', output: '' };
      if (res.exitCode === 0) return undefined;
      return { error: `command '${cmd.join(' ')}' exited with ${res.exitCode}: ${res.stderr ?? res.output}`, output: res.output };
    } catch (e) {
      return { error: (e as Error).message, output: '' };
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  async #http(pod: KubeObject, container: KubeObject, action: KubeObject, podIP: string, signal?: AbortSignal): Promise<string | undefined> {
    if (!action.host && !podIP) return 'failed to find networking container: the pod has no IP';
    let req;
    try {
      req = { ...httpGetRequestFor(action, container, podIP, 'lifecycle', 0), signal };
    } catch (e) {
      if (e instanceof PortError) return e.message;
      throw e;
    }
    const error = await getError(req);
    if (error === undefined || req.scheme !== 'https' || !error.includes('server gave HTTP response to HTTPS client')) return error;
    const retry = { ...req, scheme: 'http' as const, headers: req.headers.filter(([k]) => k.toLowerCase() !== 'authorization') };
    if (await getError(retry) !== undefined) return error;
    this.#o.recordEvent?.(pod, 'Warning', 'LifecycleHTTPFallback',
      `request to HTTPS lifecycle hook ${req.host.includes(':') ? `[${req.host}]` : req.host}:${req.port} got HTTP response, retry with HTTP succeeded`);
    return undefined;
  }

  #sleep(seconds: number, signal?: AbortSignal): Promise<string | undefined> {
    const ms = seconds * (this.#o.secondMs ?? 1000);
    return new Promise((resolve) => {
      if (signal?.aborted) { resolve('container terminated before sleep hook finished'); return; }
      const onAbort = () => { clearTimeout(timer); resolve('container terminated before sleep hook finished'); };
      const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(undefined); }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** The hook's HTTP exchange error, if any: the status code does not matter, nor the body. */
async function getError(req: Parameters<typeof httpGet>[0]): Promise<string | undefined> {
  try {
    await httpGet(req);
    return undefined;
  } catch (e) {
    if (!(e instanceof HttpGetError)) throw e;
    return e.whileReadingBody ? undefined : e.message;
  }
}

/** Go's %v of a *LifecycleHandler (as in `invalid handler: &LifecycleHandler{...}`). */
function goHandler(h: KubeObject): string {
  const port = (p: unknown) => (typeof p === 'string' ? `{1 0 ${p}}` : `{0 ${p ?? 0} }`);
  const tcp = h.tcpSocket ? `&TCPSocketAction{Port:${port(h.tcpSocket.port)},Host:${h.tcpSocket.host ?? ''},}` : 'nil';
  return `&LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:${tcp},Sleep:nil,}`;
}
