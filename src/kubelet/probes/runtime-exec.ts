// The ExecFn of probes and hooks over the container runtime's exec: stdout and stderr collected
// (bounded), the time limit enforced by aborting the exec, which then reads as ExecTimeoutError.
import { Writable } from 'node:stream';
import { ExecTimeoutError } from './types.ts';
import type { ContainerRuntime } from '../runtime/runtime.ts';
import type { ExecFn } from './types.ts';

/** More than any probe or hook message shows (10 KiB); the rest is dropped. */
const KEEP_BYTES = 64 * 1024;

export function runtimeExec(runtime: Pick<ContainerRuntime, 'exec'>): ExecFn {
  return async (containerId, cmd, timeoutMs) => {
    const combined: Buffer[] = [];
    const errOnly: Buffer[] = [];
    let kept = 0;
    const sink = (alsoErr: boolean) => new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (kept < KEEP_BYTES) {
          const part = chunk.subarray(0, KEEP_BYTES - kept);
          kept += part.length;
          combined.push(part);
          if (alsoErr) errOnly.push(part);
        }
        cb();
      },
    });
    const abort = new AbortController();
    const timer = timeoutMs > 0 ? setTimeout(() => abort.abort(), timeoutMs) : undefined;
    try {
      const exitCode = await runtime.exec(containerId, cmd, { stdout: sink(false), stderr: sink(true), tty: false }, abort.signal);
      if (abort.signal.aborted) throw new ExecTimeoutError();
      return { exitCode, output: Buffer.concat(combined).toString('utf8'), stderr: Buffer.concat(errOnly).toString('utf8') };
    } catch (e) {
      if (abort.signal.aborted) throw new ExecTimeoutError();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  };
}
