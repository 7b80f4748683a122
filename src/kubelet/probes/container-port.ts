// A probe's or hook's `port` (number, or the name of one of the container's ports) as the port to
// dial, with upstream's errors (probe.ResolveContainerPort).
import type { KubeObject } from './types.ts';

export class PortError extends Error {}

export function resolveContainerPort(port: unknown, container: KubeObject): number {
  let n: number;
  if (typeof port === 'number') {
    n = port;
  } else if (typeof port === 'string') {
    const named = (container.ports ?? []).find((p: KubeObject) => p.name === port);
    if (named) {
      n = Number(named.containerPort);
    } else if (/^[+-]?\d+$/.test(port)) {
      // Last resort, as upstream: a number written as a string.
      n = Number(port);
    } else {
      throw new PortError(`strconv.Atoi: parsing ${JSON.stringify(port)}: invalid syntax`);
    }
  } else {
    throw new PortError(`intOrString had no kind: ${JSON.stringify(port)}`);
  }
  if (Number.isInteger(n) && n > 0 && n < 65536) return n;
  throw new PortError(`invalid port number: ${n}`);
}
