// A container's argv: the spec's command replaces the image's Entrypoint and drops its Cmd; the
// spec's args replace the Cmd. $(VAR) references in command and args expand against the
// container's environment (the variables the kubelet sets, not the image's own Env).
import type { EnvVar, ImageProcess, KubeObject } from './types.ts';
import { expand, mappingFor } from './expansion.ts';

/** The runtime's error when neither the spec nor the image names a process. */
export const NO_COMMAND_ERROR = 'no command specified';

export class NoCommandError extends Error {
  constructor() {
    super(NO_COMMAND_ERROR);
    this.name = 'NoCommandError';
  }
}

/** The spec's command and args with $(VAR) expanded (upstream's ExpandContainerCommandAndArgs). */
export function expandCommandAndArgs(container: KubeObject, env: EnvVar[]): { command: string[]; args: string[] } {
  const mapping = mappingFor(new Map(env.map((e) => [e.name, e.value])));
  const command: string[] = (container.command ?? []).map((c: string) => expand(c, mapping));
  const args: string[] = (container.args ?? []).map((a: string) => expand(a, mapping));
  return { command, args };
}

/** The full argv to run; throws NoCommandError when it would be empty. */
export function containerArgv(container: KubeObject, image: ImageProcess, env: EnvVar[]): string[] {
  const { command, args } = expandCommandAndArgs(container, env);
  const argv = command.length > 0
    ? [...command, ...args]
    : [...(image.entrypoint ?? []), ...(args.length > 0 ? args : image.cmd ?? [])];
  if (argv.length === 0) throw new NoCommandError();
  return argv;
}
