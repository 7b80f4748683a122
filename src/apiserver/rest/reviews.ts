// Review resources that are answered, never stored: SelfSubjectAccessReview (`kubectl auth
// can-i`), SelfSubjectRulesReview (`can-i --list`), SubjectAccessReview, SelfSubjectReview
// (`kubectl auth whoami`). Authorization is not enforced yet, so every authenticated user may
// do everything; the answers say so the way upstream's RBAC allow-all would.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import type { ApiContext, RequestContext } from './context.ts';
import { readObject, type Decoder } from './write.ts';
import { sendJSON } from '../http/respond.ts';

type Review = (obj: KubeObject, rc: RequestContext) => KubeObject;

const REVIEWS: Record<string, Review> = {
  'authorization.k8s.io/selfsubjectaccessreviews': (obj) => ({ ...obj, status: { allowed: true } }),
  'authorization.k8s.io/subjectaccessreviews': (obj) => ({ ...obj, status: { allowed: true } }),
  'authorization.k8s.io/selfsubjectrulesreviews': (obj) => ({
    ...obj,
    status: {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    },
  }),
  'authentication.k8s.io/selfsubjectreviews': (obj, rc) => ({
    ...obj,
    status: { userInfo: { username: rc.user.username, ...(rc.user.uid ? { uid: rc.user.uid } : {}), groups: rc.user.groups, ...(rc.user.extra ? { extra: rc.user.extra } : {}) } },
  }),
};

export function isReview(desc: ResourceDescription): boolean {
  return `${desc.group}/${desc.plural}` in REVIEWS;
}

export async function handleReview(ctx: ApiContext, desc: ResourceDescription, req: IncomingMessage, res: ServerResponse, rc: RequestContext, decoder: Decoder): Promise<void> {
  const obj = await readObject(ctx, desc, req, rc, decoder);
  obj.apiVersion = `${desc.group}/${desc.version}`;
  obj.kind = desc.kind;
  obj.metadata = { ...(obj.metadata ?? {}), creationTimestamp: null };
  sendJSON(res, 201, REVIEWS[`${desc.group}/${desc.plural}`](obj, rc));
}
