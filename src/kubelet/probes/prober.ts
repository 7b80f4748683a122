// One probe of one container (prober.go): picks the handler, retries an attempt that errored (up
// to three times), records upstream's events and maps the outcome to Success/Failure. `errored`
// tells the worker to throw the result away, as upstream does.
import { expand, mappingFor } from '../pods/logic/index.ts';
import { PortError, resolveContainerPort } from './container-port.ts';
import { probeExec } from './exec-probe.ts';
import { formatPod, probeKindTitle } from './go-format.ts';
import { probeGrpc } from './grpc-probe.ts';
import { httpGetRequestFor, probeHttp } from './http-probe.ts';
import { probeTcp } from './tcp-probe.ts';
import type { ExecFn, KubeObject, ProbeKind, ProbeOutcome, ProbeResult, RecordEvent } from './types.ts';

const MAX_RETRIES = 3;

export interface ProbeTarget {
  kind: ProbeKind;
  pod: KubeObject;
  container: KubeObject;
  containerId: string;
  podIP: string;
}

export interface ProberDeps {
  exec: ExecFn;
  recordEvent?: RecordEvent;
  /** ms per spec second (timeoutSeconds). */
  secondMs: number;
}

export interface ProbeVerdict {
  result: ProbeResult;
  errored: boolean;
}

/** The probe spec of a kind, if the container has one. */
export function probeSpecOf(container: KubeObject, kind: ProbeKind): KubeObject | undefined {
  return container[`${kind}Probe`] ?? undefined;
}

export async function runProbe(target: ProbeTarget, deps: ProberDeps): Promise<ProbeVerdict> {
  const spec = probeSpecOf(target.container, target.kind);
  if (!spec) return { result: 'Success', errored: false };
  let outcome: ProbeOutcome = { result: 'unknown', output: '' };
  for (let i = 0; i < MAX_RETRIES; i++) {
    outcome = await attempt(spec, target, deps);
    if (outcome.error === undefined) break;
  }
  const title = probeKindTitle(target.kind);
  const event = (reason: string, message: string) => deps.recordEvent?.(target.pod, 'Warning', reason, message);
  if (outcome.error !== undefined) {
    event('Unhealthy', `${title} probe errored and resulted in ${outcome.result} state: ${outcome.error}`);
    return { result: 'Failure', errored: true };
  }
  switch (outcome.result) {
    case 'success':
      return { result: 'Success', errored: false };
    case 'warning':
      event('ProbeWarning', `${title} probe warning: ${outcome.output}`);
      return { result: 'Success', errored: false };
    case 'failure':
      event('Unhealthy', `${title} probe failed: ${outcome.output}`);
      return { result: 'Failure', errored: false };
    default:
      return { result: 'Failure', errored: false };
  }
}

/** One attempt with the probe's handler; a port that does not resolve is an error of the attempt. */
export async function attempt(spec: KubeObject, target: ProbeTarget, deps: ProberDeps): Promise<ProbeOutcome> {
  const timeoutMs = Number(spec.timeoutSeconds ?? 1) * deps.secondMs;
  try {
    if (spec.exec) {
      return await probeExec(deps.exec, target.containerId, staticCommand(spec.exec.command ?? [], target.container), timeoutMs);
    }
    if (spec.httpGet) {
      return await probeHttp(httpGetRequestFor(spec.httpGet, target.container, target.podIP, 'probe', timeoutMs));
    }
    if (spec.tcpSocket) {
      const port = resolveContainerPort(spec.tcpSocket.port, target.container);
      return await probeTcp(spec.tcpSocket.host || target.podIP, port, timeoutMs);
    }
    if (spec.grpc) {
      return await probeGrpc(target.podIP, Number(spec.grpc.port), spec.grpc.service ?? '', timeoutMs);
    }
  } catch (e) {
    if (e instanceof PortError) return { result: 'unknown', output: '', error: e.message };
    throw e;
  }
  return { result: 'unknown', output: '', error: `missing probe handler for ${formatPod(target.pod)}:${target.container.name}` };
}

/**
 * An exec probe's argv with `$(VAR)` expanded from the container's env as written in the spec
 * only: variables set from sources (valueFrom) expand to "" (ExpandContainerCommandOnlyStatic).
 */
export function staticCommand(cmd: string[], container: KubeObject): string[] {
  const vars = new Map<string, string>();
  for (const e of container.env ?? []) vars.set(String(e.name), String(e.value ?? ''));
  const mapping = mappingFor(vars);
  return cmd.map((c) => expand(String(c), mapping));
}
