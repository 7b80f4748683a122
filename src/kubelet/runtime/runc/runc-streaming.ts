// The kubelet's StreamingRuntime over the runc runtime: logs come from the CRI log files conmon
// writes, exec runs `runc exec` (on a terminal when asked), attach reads the log as it grows and
// feeds stdin through conmon's attach socket, port-forward dials inside the pod's network
// namespace. Which containers belong to which pod comes from a PodLookup (by default, from the
// labels and sandboxes the runtime records).
import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Duplex, Writable } from 'node:stream';
import type { ExecIO, ExecResult, LogOptions, PodRef, StreamOperation, StreamingRuntime } from '../../server/streaming-runtime.ts';
import { StreamingError } from '../../server/streaming-runtime.ts';
import type { ContainerStatus } from '../runtime.ts';
import type { ContainerStdio, RuncRuntime } from './runc-runtime.ts';
import { writeContainerLog } from './container-log-output.ts';
import { readCriRecords, type FollowOptions } from './cri-log-reader.ts';
import { execWithTerminal } from './terminal-exec.ts';
import { attachInput, resizeTerminal, type AttachedInput } from './conmon-attach.ts';
import { dialPodPort } from './netns-dial.ts';
import { containerNameOf, podLookupFromRuntime, type PodLookup } from './pod-lookup.ts';

export interface RuncStreamingOptions extends Partial<PodLookup> {
  runtime: RuncRuntime;
  /**
   * conmon's socket directory: per container a short link to its bundle, holding the attach
   * socket, the ctl fifo and conmon.pid. Default: the runtime's conmonSocketDir.
   */
  socketDir?: string;
  /**
   * Why the kubelet keeps a container waiting (CrashLoopBackOff, ErrImagePull, ...), if it does.
   * A container waiting after an exit shows that exit's log (also for --previous), as upstream's
   * kubelet does with lastState; without this, the newest exited attempt counts as terminated.
   */
  waitingReason?(pod: PodRef, container: string): Promise<string | undefined>;
  /** How often a followed log is checked for new lines when no file event came (ms). */
  followPollMs?: number;
}

/** Newest attempt first. */
function byAttempt(a: ContainerStatus, b: ContainerStatus): number {
  return b.attempt - a.attempt || b.createdAt - a.createdAt;
}

export class RuncStreamingRuntime implements StreamingRuntime {
  readonly #runtime: RuncRuntime;
  readonly #lookup: PodLookup;
  readonly #socketDir: string;
  readonly #waitingReason: RuncStreamingOptions['waitingReason'];
  readonly #pollMs: number;

  constructor(o: RuncStreamingOptions) {
    this.#runtime = o.runtime;
    const fallback = podLookupFromRuntime(o.runtime);
    this.#lookup = { containersOf: o.containersOf ?? fallback.containersOf, networkOf: o.networkOf ?? fallback.networkOf };
    this.#socketDir = o.socketDir ?? o.runtime.conmonSocketDir;
    this.#waitingReason = o.waitingReason;
    this.#pollMs = o.followPollMs ?? 250;
  }

  async #containers(pod: PodRef, notFound: string): Promise<ContainerStatus[]> {
    const all = await this.#lookup.containersOf(pod);
    if (!all) throw StreamingError.notFound(notFound);
    return all;
  }

  /** The running container exec and attach reach: the newest attempt, if it runs. */
  async #running(pod: PodRef, container: string): Promise<ContainerStatus> {
    const newest = (await this.#containers(pod, 'pod does not exist')).filter((c) => containerNameOf(c) === container).sort(byAttempt)[0];
    if (!newest || newest.state !== 'running') throw StreamingError.containerNotFound(container);
    return newest;
  }

  /** The container whose log a request reads, following upstream's choice between state and lastState. */
  async #logSource(pod: PodRef, container: string, previous: boolean): Promise<ContainerStatus> {
    const attempts = (await this.#containers(pod, `pod "${pod.name}" does not exist`)).filter((c) => containerNameOf(c) === container).sort(byAttempt);
    const [newest, ...older] = attempts;
    const reason = await this.#waitingReason?.(pod, container);
    // The newest attempt exited and the kubelet keeps it waiting (to restart): its exit is lastState.
    const lastState = newest?.state === 'exited' && reason ? newest : older.find((c) => c.state === 'exited');
    if (previous) {
      if (!lastState) throw StreamingError.badRequest(`previous terminated container "${container}" in pod "${pod.name}" not found`);
      return lastState;
    }
    if (newest && (newest.state === 'running' || newest.state === 'exited')) return newest;
    if (lastState) return lastState;
    throw StreamingError.badRequest(`container "${container}" in pod "${pod.name}" is waiting to start: ${reason ?? 'ContainerCreating'}`);
  }

  async check(op: StreamOperation, pod: PodRef, container?: string, opts: { previous?: boolean } = {}): Promise<void> {
    if (op === 'portForward') {
      await this.#containers(pod, 'pod does not exist');
      return;
    }
    if (op === 'logs') await this.#logSource(pod, container ?? '', opts.previous === true);
    else await this.#running(pod, container ?? '');
  }

  /** True while the container's conmon lives: it writes the log until the container's output is drained. */
  async #logWriterAlive(c: ContainerStatus): Promise<boolean> {
    try {
      const pid = Number((await readFile(join(this.#bundle(c.id), 'conmon.pid'), 'utf8')).trim());
      if (pid > 0) {
        const comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
        // A zombie conmon (not yet reaped) writes nothing any more.
        return comm === 'conmon' && !/^\d+ \([^)]*\) Z/.test(stat);
      }
    } catch { /* no pid file or no such process: ask the runtime */ }
    const now = await this.#runtime.containerStatus(c.id).catch(() => undefined);
    return now?.state === 'running' || now?.state === 'created';
  }

  #follow(c: ContainerStatus, signal: AbortSignal): FollowOptions {
    return { signal, isWriting: () => this.#logWriterAlive(c), pollMs: this.#pollMs };
  }

  async logs(pod: PodRef, container: string, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void> {
    const source = await this.#logSource(pod, container, opts.previous);
    const follow = opts.follow && !opts.previous ? this.#follow(source, signal) : undefined;
    await writeContainerLog({ path: source.logPath, opts, out, follow });
  }

  /** The container's bundle, through conmon's short link to it. */
  #bundle(id: string): string {
    return join(this.#socketDir, id);
  }

  async exec(pod: PodRef, container: string, cmd: string[], io: ExecIO, signal: AbortSignal): Promise<ExecResult> {
    const c = await this.#running(pod, container);
    if (io.tty) {
      const exitCode = await execWithTerminal({ runcRoot: this.#runtime.runc.root, id: c.id, bundle: this.#bundle(c.id), cmd, io, signal });
      return { exitCode };
    }
    const exitCode = await this.#runtime.exec(c.id, cmd, { tty: false, stdin: io.stdin, stdout: io.stdout, stderr: io.stderr }, signal);
    return { exitCode };
  }

  async attach(pod: PodRef, container: string, io: ExecIO, signal: AbortSignal): Promise<ExecResult> {
    const c = await this.#running(pod, container);
    const stdio = await this.#stdio(c);
    const terminal = stdio.tty;
    const session = new AbortController();
    const stop = AbortSignal.any([signal, session.signal]);
    // Output: the log from now on, as it grows. Started before stdin is connected, so the answer
    // to the first input line is not missed.
    const output = (async () => {
      for await (const rec of readCriRecords(c.logPath, { from: 'end', follow: this.#follow(c, stop) })) {
        const to = rec.stream === 'stderr' && !terminal ? io.stderr : io.stdout;
        to?.write(rec.partial ? rec.content : Buffer.concat([rec.content, Buffer.from('\n')]));
      }
    })();
    let input: AttachedInput | undefined;
    try {
      if (io.stdin) {
        if (stdio.stdin) input = await attachInput(join(this.#bundle(c.id), 'attach'), io.stdin);
        else io.stdin.resume();
      }
      if (terminal && io.resize) {
        const ctl = join(this.#bundle(c.id), 'ctl');
        void (async () => { for await (const size of io.resize!) { if (stop.aborted || !(await resizeTerminal(ctl, size))) break; } })();
      }
      // As CRI-O: on a stdin that stays open (no stdinOnce, no terminal) the session is over once
      // the client's input ended; otherwise it lasts as long as the container's output.
      if (input && !stdio.stdinOnce && !terminal) await Promise.race([output, input.inputDone]);
      else await output;
    } finally {
      session.abort();
      await output.catch(() => undefined);
      await input?.stop();
    }
    const final = await this.#runtime.containerStatus(c.id).catch(() => undefined);
    return { exitCode: final?.exitCode ?? 0 };
  }

  /** How the container's stdio was made; for records of older agents, from its spec and its fd 0. */
  async #stdio(c: ContainerStatus): Promise<ContainerStdio> {
    const recorded = await this.#runtime.containerStdio(c.id);
    if (recorded) return recorded;
    const spec = JSON.parse(await readFile(join(this.#bundle(c.id), 'config.json'), 'utf8')) as { process?: { terminal?: boolean } };
    const tty = spec.process?.terminal === true;
    // Their conmon was started without --leave-stdin-open: stdin closes with the first session.
    return { tty, stdin: tty || (await this.#hasStdin(c)), stdinOnce: true };
  }

  /** Whether the container was started with stdin: without it conmon gave it /dev/null. */
  async #hasStdin(c: ContainerStatus): Promise<boolean> {
    if (!c.pid) return false;
    try { return (await readlink(`/proc/${c.pid}/fd/0`)) !== '/dev/null'; } catch { return false; }
  }

  async portForward(pod: PodRef, port: number, conn: Duplex, signal: AbortSignal): Promise<void> {
    const network = await this.#lookup.networkOf(pod);
    if (!network) throw new Error(`pod "${pod.name}" has no running sandbox`);
    await dialPodPort(network.netnsPath, port, conn, signal);
  }
}
