// The kubelet's streaming paths, as upstream serves them (the uid segment is optional).
import type { PodRef } from './streaming-runtime.ts';

export type KubeletRoute =
  | { kind: 'containerLogs'; pod: PodRef; container: string }
  | { kind: 'exec' | 'attach'; pod: PodRef; container: string }
  | { kind: 'portForward'; pod: PodRef }
  | { kind: 'healthz' };

export function parseRoute(pathname: string): KubeletRoute | undefined {
  const parts = pathname.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  const [head, namespace, name, ...rest] = parts;
  if (head === 'healthz' && parts.length === 1) return { kind: 'healthz' };
  if (!namespace || !name) return undefined;
  switch (head) {
    case 'containerLogs':
      return rest.length === 1 ? { kind: 'containerLogs', pod: { namespace, name, uid: '' }, container: rest[0] } : undefined;
    case 'exec':
    case 'attach':
      if (rest.length === 1) return { kind: head, pod: { namespace, name, uid: '' }, container: rest[0] };
      if (rest.length === 2) return { kind: head, pod: { namespace, name, uid: rest[0] }, container: rest[1] };
      return undefined;
    case 'portForward':
      if (rest.length === 0) return { kind: 'portForward', pod: { namespace, name, uid: '' } };
      if (rest.length === 1) return { kind: 'portForward', pod: { namespace, name, uid: rest[0] } };
      return undefined;
  }
  return undefined;
}
