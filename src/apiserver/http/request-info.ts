// Reads a request path the way upstream's RequestInfoFactory does: API resource requests
// (/api/v1/namespaces/ns/pods/name/status) versus non-resource paths (/version, /healthz).
export interface ResourceRequestInfo {
  kind: 'resource';
  /** '' for the core group. */
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  /** get, list, watch, create, update, patch, delete, deletecollection */
  verb: string;
  /** /api/v1 or /apis/group/version */
  prefix: string;
}

export interface NonResourceRequestInfo {
  kind: 'nonresource';
  path: string;
  verb: string;
  /** For discovery: /api, /apis, /api/v1, /apis/g, /apis/g/v */
  group?: string;
  version?: string;
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

const VERB_BY_METHOD: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  const verb = VERB_BY_METHOD[method] ?? method.toLowerCase();
  let rest: string[];
  let group: string;
  let version: string;
  let prefix: string;
  if (parts[0] === 'api') {
    if (parts.length < 2) return { kind: 'nonresource', path: pathname, verb, group: '' };
    group = '';
    version = parts[1];
    rest = parts.slice(2);
    prefix = `/api/${version}`;
  } else if (parts[0] === 'apis') {
    if (parts.length < 3) return { kind: 'nonresource', path: pathname, verb, group: parts[1], version: undefined };
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
    prefix = `/apis/${group}/${version}`;
  } else {
    return { kind: 'nonresource', path: pathname, verb };
  }
  if (rest.length === 0) return { kind: 'nonresource', path: pathname, verb, group, version };

  // Deprecated /watch/ prefix: /api/v1/watch/namespaces/ns/pods
  let watchPath = false;
  if (rest[0] === 'watch') { watchPath = true; rest = rest.slice(1); }

  // As upstream: /namespaces/{ns}/{resource}… unless the third part is a namespace subresource.
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && rest[2] !== 'status' && rest[2] !== 'finalize') rest = rest.slice(2);
  }
  const info: ResourceRequestInfo = {
    kind: 'resource', group, version, namespace, prefix,
    resource: rest[0] ?? '', name: rest[1] ?? '', subresource: rest[2] ?? '', verb,
  };
  if (rest.length > 3) info.subresource = rest.slice(2).join('/');
  if (info.resource === 'namespaces') info.namespace = '';
  if (verb === 'get' && !info.name) info.verb = watchPath || isTrue(query.get('watch')) ? 'watch' : 'list';
  else if (watchPath) info.verb = 'watch';
  if (verb === 'delete' && !info.name) info.verb = 'deletecollection';
  return info;
}

export function isTrue(v: string | null): boolean {
  return v === 'true' || v === '1';
}
