// exec probes (pkg/probe/exec over the CRI's ExecSync): exit code 0 succeeds, any other fails with
// the command's output (at most 10 KiB) as the message; a command that outlives the timeout fails
// with `command "<argv joined>" timed out`; a command that cannot run is an error of the attempt.
import { goQuote } from './go-format.ts';
import { ExecTimeoutError } from './types.ts';
import type { ExecFn, ProbeOutcome } from './types.ts';

const MAX_OUTPUT = 10 * 1024;

export async function probeExec(exec: ExecFn, containerId: string, cmd: string[], timeoutMs: number): Promise<ProbeOutcome> {
  const timedOut = { result: 'failure' as const, output: `command ${goQuote(cmd.join(' '))} timed out` };
  let timer: NodeJS.Timeout | undefined;
  // The runtime is asked to enforce the limit; this guard only stops waiting for one that does not.
  const guard = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs + 50); });
  try {
    const res = await Promise.race([exec(containerId, cmd, timeoutMs), guard]);
    if (res === 'timeout') return timedOut;
    const output = truncate(res.output);
    return res.exitCode === 0 ? { result: 'success', output } : { result: 'failure', output };
  } catch (e) {
    if (e instanceof ExecTimeoutError) return timedOut;
    return { result: 'unknown', output: '', error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

function truncate(s: string): string {
  const b = Buffer.from(s, 'utf8');
  return b.length <= MAX_OUTPUT ? s : b.subarray(0, MAX_OUTPUT).toString('utf8');
}
