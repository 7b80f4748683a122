// Container probes and lifecycle hooks of the node agent: the probe manager the pod workers
// sync and read results from, the single probers, and the postStart/preStop handler runner.
export { ProbeManager } from './probe-manager.ts';
export { HandlerRunner } from './lifecycle-hooks.ts';
export { runProbe, attempt, staticCommand, probeSpecOf, type ProbeTarget, type ProberDeps, type ProbeVerdict } from './prober.ts';
export { probeHttp, httpGetRequestFor, KUBE_MINOR_VERSION } from './http-probe.ts';
export { httpGet, HttpGetError, type HttpGetRequest, type HttpGetResponse } from './http-get.ts';
export { probeTcp } from './tcp-probe.ts';
export { probeExec } from './exec-probe.ts';
export { runtimeExec } from './runtime-exec.ts';
export { probeGrpc } from './grpc-probe.ts';
export { resolveContainerPort, PortError } from './container-port.ts';
export { probeKindTitle, formatPod } from './go-format.ts';
export {
  ExecTimeoutError,
  type ExecFn, type ExecResult, type EventType, type RecordEvent, type ProbeOutcome,
  type ProbeManagerOptions, type HandlerRunnerOptions, type ProbeKind, type ProbeResult, type ProbeResults,
} from './types.ts';
