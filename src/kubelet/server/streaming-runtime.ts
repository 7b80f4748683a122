// The contract between the kubelet's streaming server and the container runtime behind it:
// what `kubectl logs`, `exec`, `attach`, `cp` and `port-forward` need from a runtime.
import type { Readable, Writable, Duplex } from 'node:stream';

/** The pod a request names. uid is '' when the request did not carry one. */
export interface PodRef { namespace: string; name: string; uid: string }

/** PodLogOptions as the kubelet receives them. */
export interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  /** Only lines newer than this (sinceSeconds is turned into sinceTime by the server). */
  sinceTime?: Date;
  limitBytes?: number;
}

export interface TerminalSize { width: number; height: number }

/** The streams of an exec or attach session; absent streams were not asked for. */
export interface ExecIO {
  stdin?: Readable;
  stdout?: Writable;
  /** Absent with a tty: the terminal merges it into stdout. */
  stderr?: Writable;
  tty: boolean;
  /** Terminal size changes, the first one right after start (only with a tty). */
  resize?: AsyncIterable<TerminalSize>;
}

export interface ExecResult { exitCode: number }

export type StreamOperation = 'logs' | 'exec' | 'attach' | 'portForward';

export interface StreamingRuntime {
  /**
   * Checks that the target can serve the operation now, before the server answers: a missing
   * pod or container, or one not running, must throw a StreamingError here so the client gets
   * an HTTP error rather than a broken stream. `container` is absent for portForward.
   */
  check(op: StreamOperation, pod: PodRef, container?: string, opts?: { previous?: boolean }): Promise<void>;
  /** Writes the container's log to out, following it while opts.follow until signal aborts. Does not end out. */
  logs(pod: PodRef, container: string, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void>;
  /** Runs cmd in the container wired to io; resolves with its exit code. Does not end stdout/stderr. */
  exec(pod: PodRef, container: string, cmd: string[], io: ExecIO, signal: AbortSignal): Promise<ExecResult>;
  /** Connects io to the container's own process; resolves when the session ends. */
  attach(pod: PodRef, container: string, io: ExecIO, signal: AbortSignal): Promise<ExecResult>;
  /** Connects conn to the port inside the pod's network namespace; resolves when either side closed. */
  portForward(pod: PodRef, port: number, conn: Duplex, signal: AbortSignal): Promise<void>;
}

/**
 * An error with an HTTP meaning, as the kubelet reports it. Messages follow upstream, e.g.
 * `container not found ("web")` (exec/attach on a missing or stopped container),
 * `container "web" in pod "p" is waiting to start: ContainerCreating` (logs, 400),
 * `previous terminated container "web" in pod "p" not found` (logs --previous, 400),
 * `pod does not exist` (404).
 */
export class StreamingError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = 'StreamingError';
    this.code = code;
  }
  static badRequest(message: string): StreamingError { return new StreamingError(400, message); }
  static notFound(message: string): StreamingError { return new StreamingError(404, message); }
  static internal(message: string): StreamingError { return new StreamingError(500, message); }
  /** What upstream's kubelet answers for exec/attach when the container is not there or not running. */
  static containerNotFound(container: string): StreamingError { return new StreamingError(500, `container not found ("${container}")`); }
}
