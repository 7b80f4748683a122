// The kubelet's HTTPS streaming server (logs, exec, attach, port-forward) and the runtime
// contract behind it.
export { startKubeletServer, type KubeletServer, type KubeletServerOptions, type KubeletUser } from './kubelet-server.ts';
export {
  StreamingError, type StreamingRuntime, type StreamOperation, type PodRef, type LogOptions, type ExecIO,
  type ExecResult, type TerminalSize,
} from './streaming-runtime.ts';
export { LocalProcessRuntime, type LocalProcessRuntimeOptions, type LocalPod, type LocalContainer } from './local-process-runtime.ts';
