// Public types of the probes folder: what the pod workers hand to the probe manager and the
// lifecycle hook runner, and what a single probe attempt reports.
import type { KubeObject } from '../../client/api-client.ts';
import type { ProbeKind, ProbeResult, ProbeResults } from '../pods/logic/types.ts';
import type { Logger } from '../../base/log.ts';

export type { KubeObject, Logger, ProbeKind, ProbeResult, ProbeResults };

/** What one command run in a container reports: exit code and combined stdout+stderr. */
export interface ExecResult {
  exitCode: number;
  output: string;
  /** stderr alone, when the runtime keeps it apart (exec hook errors quote it, as the CRI does). */
  stderr?: string;
}

/**
 * Runs `cmd` in the running container `containerId`. `timeoutMs` 0 means no limit (lifecycle
 * hooks). Rejects with `ExecTimeoutError` when the limit passed, with any other error when the
 * command could not be run at all.
 */
export type ExecFn = (containerId: string, cmd: string[], timeoutMs: number) => Promise<ExecResult>;

export type EventType = 'Normal' | 'Warning';

/** Records an Event about the pod (the shape of the client's EventRecorder.event). */
export type RecordEvent = (pod: KubeObject, type: EventType, reason: string, message: string) => void;

/**
 * Outcome of one probe attempt, as upstream's probers report it: `warning` counts as success
 * (and is reported as a ProbeWarning event), `error` means the attempt itself failed and its
 * result is thrown away.
 */
export interface ProbeOutcome {
  result: 'success' | 'warning' | 'failure' | 'unknown';
  output: string;
  error?: string;
}

export class ExecTimeoutError extends Error {
  constructor(message = 'command timed out') {
    super(message);
    this.name = 'ExecTimeoutError';
  }
}

export interface ProbeManagerOptions {
  exec: ExecFn;
  /** A result changed (readiness, liveness or startup of one of the pod's containers). */
  onResultChange: (podUid: string) => void;
  recordEvent?: RecordEvent;
  /** Wall clock in ms (container start times are compared with it). */
  now?: () => number;
  logger?: Logger;
  /**
   * How long one "second" of a probe's spec lasts, in ms (initialDelaySeconds, periodSeconds,
   * timeoutSeconds). 1000 in the agent; tests make it small.
   */
  secondMs?: number;
}

export interface HandlerRunnerOptions {
  exec: ExecFn;
  /** For the LifecycleHTTPFallback event. */
  recordEvent?: RecordEvent;
  /** How long one second of a sleep handler lasts, in ms (1000; tests make it small). */
  secondMs?: number;
}
