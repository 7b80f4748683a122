// Validation of a few kinds outside core and apps: Lease and Ingress basics.
import { fieldErrors, type FieldError } from './field-error.ts';
import { isDNS1123Subdomain, isWildcardDNS1123Subdomain, isValidPortName, isValidPortNum } from './names.ts';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain, IS_NEGATIVE, type KubeObject } from './object-meta.ts';

const isObject = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

function meta(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  return old
    ? validateObjectMetaUpdate(obj.metadata, old.metadata, { builtin: true })
    : validateObjectMeta(obj.metadata, { requiresNamespace: true, nameFn: nameIsDNSSubdomain, builtin: true });
}

export function validateLease(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = meta(obj, old);
  const spec: KubeObject = obj.spec ?? {};
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
    errs.push(fieldErrors.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) {
    errs.push(fieldErrors.invalid('spec.leaseTransitions', spec.leaseTransitions, IS_NEGATIVE));
  }
  return errs;
}

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateBackend(b: unknown, path: string): FieldError[] {
  if (!isObject(b)) return [];
  const errs: FieldError[] = [];
  const hasService = isObject(b.service);
  const hasResource = isObject(b.resource);
  if (hasService && hasResource) errs.push(fieldErrors.invalid(path, '', 'cannot set both resource and service backends'));
  else if (!hasService && !hasResource) errs.push(fieldErrors.invalid(path, '', 'resource or service backend is required'));
  if (hasService) {
    const svc = b.service as KubeObject;
    if (!svc.name) errs.push(fieldErrors.required(`${path}.service.name`, ''));
    const port: KubeObject = svc.port ?? {};
    const hasName = Boolean(port.name);
    const hasNumber = typeof port.number === 'number' && port.number !== 0;
    if (hasName && hasNumber) errs.push(fieldErrors.invalid(`${path}.service.port`, port, 'cannot set both port name & port number'));
    else if (hasName) for (const m of isValidPortName(port.name)) errs.push(fieldErrors.invalid(`${path}.service.port.name`, port.name, m));
    else if (hasNumber) for (const m of isValidPortNum(port.number)) errs.push(fieldErrors.invalid(`${path}.service.port.number`, port.number, m));
    else errs.push(fieldErrors.required(`${path}.service.port`, 'port name or number is required'));
  }
  return errs;
}

export function validateIngress(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = meta(obj, old);
  const spec: KubeObject = obj.spec ?? {};
  if (!isObject(spec.defaultBackend) && list(spec.rules).length === 0) {
    errs.push(fieldErrors.invalid('spec.rules', [], 'either `defaultBackend` or `rules` must be specified'));
  }
  errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  list(spec.rules).forEach((rule: KubeObject, i) => {
    const p = `spec.rules[${i}]`;
    if (rule.host) {
      const msgs = rule.host.includes('*') ? isWildcardDNS1123Subdomain(rule.host) : isDNS1123Subdomain(rule.host);
      for (const m of msgs) errs.push(fieldErrors.invalid(`${p}.host`, rule.host, m));
    }
    if (!isObject(rule.http)) return;
    const paths = list(rule.http.paths);
    if (paths.length === 0) errs.push(fieldErrors.required(`${p}.http.paths`, ''));
    paths.forEach((hp: KubeObject, j) => {
      const pp = `${p}.http.paths[${j}]`;
      if (!hp.pathType) errs.push(fieldErrors.required(`${pp}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(hp.pathType)) errs.push(fieldErrors.notSupported(`${pp}.pathType`, hp.pathType, PATH_TYPES));
      if ((hp.pathType === 'Exact' || hp.pathType === 'Prefix') && !String(hp.path ?? '').startsWith('/')) {
        errs.push(fieldErrors.invalid(`${pp}.path`, hp.path ?? '', "must be an absolute path"));
      }
      errs.push(...validateBackend(hp.backend, `${pp}.backend`));
    });
  });
  list(spec.tls).forEach((tls: KubeObject, i) => list(tls.hosts).forEach((h: string, j) => {
    const msgs = h.includes('*') ? isWildcardDNS1123Subdomain(h) : isDNS1123Subdomain(h);
    for (const m of msgs) errs.push(fieldErrors.invalid(`spec.tls[${i}].hosts[${j}]`, h, m));
  }));
  return errs;
}
