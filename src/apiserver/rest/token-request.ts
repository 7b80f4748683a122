// The serviceaccounts/token subresource (upstream's TokenREST): creating an
// authentication.k8s.io/v1 TokenRequest issues a signed token for the service account, optionally
// bound to a Pod, Secret or Node so that it stops working when that object goes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import { errors } from '../../api/status.ts';
import { fieldErrors, type FieldError } from '../../api/validation/field-error.ts';
import type { ApiContext, RequestContext } from './context.ts';
import type { ResourceStore } from './resource-store.ts';
import { readObject, type Decoder } from './write.ts';
import { sendJSON } from '../http/respond.ts';
import { timestamp } from './object-meta.ts';
import {
  issueToken, WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, EXPIRATION_EXTENSION_SECONDS, type ObjectRef, type TokenSettings,
} from '../serviceaccount/index.ts';

const GROUP = 'authentication.k8s.io';
const KIND = 'TokenRequest';
const DEFAULT_EXPIRATION_SECONDS = 60 * 60;
const MIN_EXPIRATION_SECONDS = 10 * 60;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

/** What the request body is decoded and checked as. */
const TOKEN_REQUEST: ResourceDescription = {
  group: GROUP, version: 'v1', kind: KIND, listKind: 'TokenRequestList', plural: 'tokenrequests', singular: 'tokenrequest',
  scope: 'Namespaced', verbs: ['create'], schema: 'io.k8s.api.authentication.v1.TokenRequest', printerColumns: [],
};

const invalid = (name: string, errs: FieldError[]) => errors.invalid(GROUP, KIND, name, errs);

function validateSpec(spec: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const seconds = spec.expirationSeconds;
  if (!Number.isInteger(seconds) || seconds < MIN_EXPIRATION_SECONDS) {
    errs.push(fieldErrors.invalid('spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes'));
  } else if (seconds > MAX_EXPIRATION_SECONDS) {
    errs.push(fieldErrors.invalid('spec.expirationSeconds', seconds, 'may not specify a duration larger than 2^32 seconds'));
  }
  return errs;
}

interface Bound { pod?: ObjectRef; secret?: ObjectRef; node?: ObjectRef }

/** Reads the object the token is to be bound to, checking what upstream checks. */
async function resolveBoundObject(ctx: ApiContext, rs: ResourceStore, ns: string, saName: string, ref: KubeObject): Promise<Bound> {
  const apiVersion = typeof ref.apiVersion === 'string' ? ref.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const kind = typeof ref.kind === 'string' ? ref.kind : '';
  const name = typeof ref.name === 'string' ? ref.name : '';
  const core = (plural: string) => ctx.registry.lookup('', 'v1', plural)!;
  let obj: KubeObject;
  const bound: Bound = {};
  if (group === '' && kind === 'Pod') {
    obj = await rs.get(core('pods'), ns, name);
    if (obj.spec?.serviceAccountName !== saName) {
      throw errors.badRequest(`cannot bind token for serviceaccount ${JSON.stringify(saName)} to pod running with different serviceaccount name.`);
    }
    bound.pod = { name: obj.metadata.name, uid: obj.metadata.uid };
    // The pod's node is named in the token too; a node that is gone still gets its name in.
    const nodeName: string | undefined = obj.spec?.nodeName;
    if (nodeName) {
      const node = await rs.get(core('nodes'), '', nodeName).catch(() => undefined);
      bound.node = node ? { name: nodeName, uid: node.metadata.uid } : { name: nodeName };
    }
  } else if (group === '' && kind === 'Node') {
    obj = await rs.get(core('nodes'), '', name);
    bound.node = { name: obj.metadata.name, uid: obj.metadata.uid };
  } else if (group === '' && kind === 'Secret') {
    obj = await rs.get(core('secrets'), ns, name);
    bound.secret = { name: obj.metadata.name, uid: obj.metadata.uid };
  } else {
    throw errors.badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${kind}`);
  }
  if (ref.uid && ref.uid !== obj.metadata.uid) {
    throw errors.conflict(group, kind, name, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  return bound;
}

export async function handleTokenRequest(
  ctx: ApiContext, rs: ResourceStore, settings: TokenSettings, ns: string, name: string,
  req: IncomingMessage, res: ServerResponse, rc: RequestContext, decoder: Decoder,
): Promise<void> {
  const tr = await readObject(ctx, TOKEN_REQUEST, req, rc, decoder);
  const meta: KubeObject = tr.metadata ?? {};
  if (meta.name && meta.name !== name) throw invalid(name, [fieldErrors.invalid('metadata.name', meta.name, 'must match the service account name if specified')]);
  if (meta.namespace && meta.namespace !== ns) throw invalid(name, [fieldErrors.invalid('metadata.namespace', meta.namespace, 'must match the service account namespace if specified')]);
  const sa = await rs.get(ctx.registry.lookup('', 'v1', 'serviceaccounts')!, ns, name);
  if (meta.uid && meta.uid !== sa.metadata.uid) {
    throw errors.conflict(GROUP, KIND, name, `the UID in the token request (${meta.uid}) does not match the UID of the service account (${sa.metadata.uid})`);
  }
  const spec: KubeObject = tr.spec ?? {};
  const audiences: string[] = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences : [...settings.audiences];
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  const boundObjectRef: KubeObject | null = spec.boundObjectRef ?? null;
  // The status's expiry is computed from the same instant as the token's claims.
  const now = ctx.now();
  const out: KubeObject = {
    kind: KIND, apiVersion: `${GROUP}/v1`,
    metadata: { name: sa.metadata.name, namespace: sa.metadata.namespace, uid: sa.metadata.uid, creationTimestamp: timestamp(now) },
    spec: { audiences, expirationSeconds, boundObjectRef },
  };
  const errs = validateSpec(out.spec);
  if (errs.length) throw invalid('', errs);
  const bound = boundObjectRef ? await resolveBoundObject(ctx, rs, ns, name, boundObjectRef) : {};

  // Tokens the ServiceAccount admission asks for (pod-bound, 3607 s, for the API server) live a
  // year and only warn after 3607 s, so clients that do not reload tokens keep working.
  let lifetime = expirationSeconds;
  let warnAfterSeconds = 0;
  if (bound.pod && expirationSeconds === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS && audiences.every((a) => settings.audiences.includes(a))) {
    warnAfterSeconds = expirationSeconds;
    lifetime = EXPIRATION_EXTENSION_SECONDS;
  }
  const token = issueToken(settings, {
    namespace: ns, serviceAccount: { name: sa.metadata.name, uid: sa.metadata.uid }, audiences,
    expirationSeconds: lifetime, warnAfterSeconds, ...bound, now,
  });
  out.status = { token, expirationTimestamp: timestamp(new Date(now.getTime() + expirationSeconds * 1000)) };
  sendJSON(res, 201, out);
}
