// Builders of pods and runtime records for the tests of this folder.
import type { ContainerStatus, SandboxStatus } from '../../runtime/runtime.ts';
import type { KubeObject } from './types.ts';
import { containerLabels } from './container-labels.ts';

export const T0 = Date.parse('2025-01-01T00:00:00Z');

export function makePod(spec: KubeObject, meta: KubeObject = {}, status?: KubeObject): KubeObject {
  const pod: KubeObject = {
    metadata: { name: 'web', namespace: 'shop', uid: 'uid-1', ...meta },
    spec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, containers: [], ...spec },
  };
  if (status) pod.status = status;
  return pod;
}

export const ctr = (name: string, extra: KubeObject = {}): KubeObject => ({ name, image: `${name}:1`, ...extra });

export function sandbox(attempt: number, state: 'ready' | 'notready' = 'ready', createdAt = T0 + attempt * 1000): SandboxStatus {
  return { id: `sb${attempt}`, pod: { namespace: 'shop', name: 'web', uid: 'uid-1' }, attempt, state, createdAt, labels: {} };
}

let serial = 0;

/** A runtime container of `spec` in `pod`; times are seconds after T0. */
export function record(
  pod: KubeObject, spec: KubeObject, state: ContainerStatus['state'],
  opts: { attempt?: number; created?: number; started?: number; finished?: number; exitCode?: number; reason?: string; sandboxId?: string; id?: string } = {},
): ContainerStatus {
  const attempt = opts.attempt ?? 0;
  const created = T0 + (opts.created ?? attempt * 10) * 1000;
  const s: ContainerStatus = {
    id: opts.id ?? `${spec.name}-${attempt}-${++serial}`, sandboxId: opts.sandboxId ?? 'sb0', name: spec.name, attempt,
    imageRef: spec.image, imageId: `sha256:${spec.name}`, state, createdAt: created, logPath: '', labels: containerLabels(pod, spec, attempt),
  };
  if (state !== 'created') s.startedAt = opts.started !== undefined ? T0 + opts.started * 1000 : created + 1000;
  if (state === 'exited') {
    s.finishedAt = opts.finished !== undefined ? T0 + opts.finished * 1000 : s.startedAt! + 5000;
    s.exitCode = opts.exitCode ?? 0;
    s.reason = opts.reason ?? (s.exitCode === 0 ? 'Completed' : 'Error');
  }
  return s;
}
