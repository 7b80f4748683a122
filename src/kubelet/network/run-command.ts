// Runs one host command and collects its output. The only place in this folder that starts processes.
import { runProcess } from '../../base/launcher/launcher.ts';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export async function runCommand(file: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  const r = await runProcess({ file, args, env: opts.env, stdin: opts.stdin ?? '', timeoutMs: opts.timeoutMs ?? 60_000 });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr + (r.signal ? `killed by ${r.signal}` : '') };
}

/** Runs a command and throws with its stderr when it fails. */
export async function runChecked(file: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await runCommand(file, args, opts);
  if (r.code !== 0) {
    throw new Error(`${file} ${args.join(' ')}: exit ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}
