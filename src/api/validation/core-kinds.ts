// core/v1 validation beyond pods: Service, ConfigMap, Secret, Namespace, Node, ServiceAccount,
// PersistentVolumeClaim, with update rules (immutable ConfigMaps/Secrets, Secret type, Service clusterIP).
import { fieldErrors, type FieldError } from './field-error.ts';
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortName, isValidPortNum, isValidLabelValue } from './names.ts';
import {
  validateObjectMeta, validateObjectMetaUpdate, validateImmutableField, validateFinalizerName, validateKubeFinalizerName,
  nameIsDNSSubdomain, nameIsDNS1035Label, validateNamespaceName, type KubeObject,
} from './object-meta.ts';
import { validateLabels } from '../selectors/label-selector-object.ts';
import { semanticEqual } from './semantic-equal.ts';

const isObject = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const MAX_SECRET_SIZE = 1024 * 1024;
const IMMUTABLE_SET = 'field is immutable when `immutable` is set';

function meta(obj: KubeObject, old: KubeObject | undefined, namespaced: boolean, nameFn = nameIsDNSSubdomain): FieldError[] {
  return old
    ? validateObjectMetaUpdate(obj.metadata, old.metadata, { builtin: true })
    : validateObjectMeta(obj.metadata, { requiresNamespace: namespaced, nameFn, builtin: true });
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const AFFINITIES = ['ClientIP', 'None'];

function validateServicePort(sp: KubeObject, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) errs.push(fieldErrors.required(`${path}.name`, ''));
  else if (sp.name) {
    for (const m of isDNS1123Label(sp.name)) errs.push(fieldErrors.invalid(`${path}.name`, sp.name, m));
    if (names.has(sp.name)) errs.push(fieldErrors.duplicate(`${path}.name`, sp.name));
    else names.add(sp.name);
  }
  for (const m of isValidPortNum(sp.port ?? 0)) errs.push(fieldErrors.invalid(`${path}.port`, sp.port ?? 0, m));
  if (!sp.protocol) errs.push(fieldErrors.required(`${path}.protocol`, ''));
  else if (!PROTOCOLS.includes(sp.protocol)) errs.push(fieldErrors.notSupported(`${path}.protocol`, sp.protocol, PROTOCOLS));
  const tp = sp.targetPort;
  if (typeof tp === 'number') for (const m of isValidPortNum(tp)) errs.push(fieldErrors.invalid(`${path}.targetPort`, tp, m));
  else if (typeof tp === 'string') for (const m of isValidPortName(tp)) errs.push(fieldErrors.invalid(`${path}.targetPort`, tp, m));
  if (typeof sp.appProtocol === 'string') for (const m of isQualifiedName(sp.appProtocol)) errs.push(fieldErrors.invalid(`${path}.appProtocol`, sp.appProtocol, m));
  return errs;
}

const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const isIP = (s: string): boolean => IPV4.test(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s) && isIPv6Text(s));

function isIPv6Text(s: string): boolean {
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h ? h.split(':') : []));
  const v4Tail = groups.length > 0 && groups[groups.length - 1].includes('.');
  if (v4Tail && !IPV4.test(groups.pop()!)) return false;
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = groups.length + (v4Tail ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

/** clusterIP, clusterIPs, ipFamilies and ipFamilyPolicy, as upstream's ValidateServiceClusterIPsRelatedFields. */
function validateClusterIPFields(spec: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const ips: unknown[] = list(spec.clusterIPs);
  if (spec.clusterIP) {
    if (ips.length === 0) errs.push(fieldErrors.required('spec.clusterIPs', ''));
    else if (ips[0] !== spec.clusterIP) errs.push(fieldErrors.invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length) errs.push(fieldErrors.invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  const seen = new Set<string>();
  list(spec.ipFamilies).forEach((f: unknown, i) => {
    if (typeof f !== 'string' || !IP_FAMILIES.includes(f)) errs.push(fieldErrors.notSupported(`spec.ipFamilies[${i}]`, f, IP_FAMILIES));
    if (seen.has(String(f))) errs.push(fieldErrors.duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(String(f));
  });
  if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(fieldErrors.notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  let badIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) { badIPs = true; errs.push(fieldErrors.invalid('spec.clusterIPs', ips, "'None' must be the first and only value")); }
      return;
    }
    if (typeof ip !== 'string' || !isIP(ip)) { badIPs = true; errs.push(fieldErrors.invalid(`spec.clusterIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')); }
  });
  if (ips.length > 2) errs.push(fieldErrors.invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  if (badIPs) return errs;
  if (ips.length === 2 && String(ips[0]).includes(':') === String(ips[1]).includes(':')) {
    errs.push(fieldErrors.invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'));
  }
  const families = list(spec.ipFamilies);
  if (ips[0] !== 'None') ips.forEach((ip, i) => {
    const v6 = String(ip).includes(':');
    if (families[i] === 'IPv4' && v6) errs.push(fieldErrors.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
    if (families[i] === 'IPv6' && !v6) errs.push(fieldErrors.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
  });
  return errs;
}

export function validateService(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = meta(obj, old, true, nameIsDNS1035Label);
  const spec: KubeObject = obj.spec ?? {};
  const headless = spec.clusterIP === 'None' || list(spec.clusterIPs)[0] === 'None';
  const ports = list(spec.ports);
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(fieldErrors.required('spec.ports', ''));
  if (spec.type === 'LoadBalancer' && headless) errs.push(fieldErrors.invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for LoadBalancer services"));
  if (spec.type === 'NodePort' && headless) errs.push(fieldErrors.invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for NodePort services"));
  if (spec.type === 'ExternalName') {
    if (list(spec.clusterIPs).length > 0) errs.push(fieldErrors.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    const cname = String(spec.externalName ?? '').replace(/\.$/, '');
    if (cname) for (const m of isDNS1123Subdomain(cname)) errs.push(fieldErrors.invalid('spec.externalName', cname, m));
    else errs.push(fieldErrors.required('spec.externalName', ''));
  }
  if (spec.type !== 'ExternalName') errs.push(...validateClusterIPFields(spec));
  const names = new Set<string>();
  ports.forEach((p: KubeObject, i) => errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (isObject(spec.selector)) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  if (!spec.sessionAffinity) errs.push(fieldErrors.required('spec.sessionAffinity', ''));
  else if (!AFFINITIES.includes(spec.sessionAffinity)) errs.push(fieldErrors.notSupported('spec.sessionAffinity', spec.sessionAffinity, AFFINITIES));
  if (spec.sessionAffinity === 'None' && isObject(spec.sessionAffinityConfig)) {
    errs.push(fieldErrors.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  if (!spec.type) errs.push(fieldErrors.required('spec.type', ''));
  else if (!SERVICE_TYPES.includes(spec.type)) errs.push(fieldErrors.notSupported('spec.type', spec.type, SERVICE_TYPES));
  if (spec.type === 'ClusterIP') ports.forEach((p: KubeObject, i) => {
    if (p.nodePort) errs.push(fieldErrors.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
  });
  const nodePorts = new Set<string>();
  ports.forEach((p: KubeObject, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(fieldErrors.duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  const seen = new Set<string>();
  ports.forEach((p: KubeObject, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (seen.has(key)) errs.push(fieldErrors.duplicate(`spec.ports[${i}]`, { port: p.port, protocol: p.protocol }));
    seen.add(key);
  });
  if (old) {
    // The primary cluster IP cannot change once allocated (except to or from ExternalName).
    const oldSpec: KubeObject = old.spec ?? {};
    if (oldSpec.type !== 'ExternalName' && spec.type !== 'ExternalName' && oldSpec.clusterIP && spec.clusterIP !== undefined && spec.clusterIP !== oldSpec.clusterIP) {
      errs.unshift(fieldErrors.invalid('spec.clusterIPs[0]', spec.clusterIP ?? '', 'may not change once set'));
    }
  }
  return errs;
}

export function validateConfigMap(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = meta(obj, old, true);
  if (old?.immutable === true) {
    if (obj.immutable !== true) errs.push(fieldErrors.forbidden('immutable', IMMUTABLE_SET));
    if (!semanticEqual(obj.data, old.data)) errs.push(fieldErrors.forbidden('data', IMMUTABLE_SET));
    if (!semanticEqual(obj.binaryData, old.binaryData)) errs.push(fieldErrors.forbidden('binaryData', IMMUTABLE_SET));
  }
  let size = 0;
  for (const [k, v] of Object.entries(isObject(obj.data) ? obj.data : {})) {
    for (const m of isConfigMapKey(k)) errs.push(fieldErrors.invalid(`data[${k}]`, k, m));
    if (isObject(obj.binaryData) && k in obj.binaryData) errs.push(fieldErrors.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(String(v ?? ''));
  }
  for (const [k, v] of Object.entries(isObject(obj.binaryData) ? obj.binaryData : {})) {
    for (const m of isConfigMapKey(k)) errs.push(fieldErrors.invalid(`binaryData[${k}]`, k, m));
    size += Buffer.from(String(v ?? ''), 'base64').length;
  }
  if (size > MAX_SECRET_SIZE) errs.push(fieldErrors.tooLong('', MAX_SECRET_SIZE));
  return errs;
}

export function validateSecret(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = meta(obj, old, true);
  if (old) {
    errs.push(...validateImmutableField(obj.type ?? '', old.type ?? '', 'type'));
    if (old.immutable === true) {
      if (obj.immutable !== true) errs.push(fieldErrors.forbidden('immutable', IMMUTABLE_SET));
      if (!semanticEqual(obj.data, old.data)) errs.push(fieldErrors.forbidden('data', IMMUTABLE_SET));
    }
  }
  const data: KubeObject = isObject(obj.data) ? obj.data : {};
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(fieldErrors.invalid(`data[${k}]`, k, m));
    size += Buffer.from(String(v ?? ''), 'base64').length;
  }
  if (size > MAX_SECRET_SIZE) errs.push(fieldErrors.tooLong('data', MAX_SECRET_SIZE));
  const has = (k: string) => Object.hasOwn(data, k);
  switch (obj.type) {
    case 'kubernetes.io/service-account-token':
      if (!obj.metadata?.annotations?.['kubernetes.io/service-account.name']) errs.push(fieldErrors.required('metadata.annotations[kubernetes.io/service-account.name]', ''));
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = obj.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) errs.push(fieldErrors.required(`data[${key}]`, ''));
      else {
        try {
          JSON.parse(Buffer.from(String(data[key]), 'base64').toString('utf8'));
        } catch (e) {
          errs.push(fieldErrors.invalid(`data[${key}]`, '<secret contents redacted>', (e as Error).message));
        }
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) {
        errs.push(fieldErrors.required('data[username]', ''));
        errs.push(fieldErrors.required('data[password]', ''));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) errs.push(fieldErrors.required('data[ssh-privatekey]', ''));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(fieldErrors.required('data[tls.crt]', ''));
      if (!has('tls.key')) errs.push(fieldErrors.required('data[tls.key]', ''));
      break;
  }
  return errs;
}

export function validateNamespace(obj: KubeObject, old?: KubeObject): FieldError[] {
  if (old) return validateObjectMetaUpdate(obj.metadata, old.metadata, { builtin: true });
  const errs = validateObjectMeta(obj.metadata, { requiresNamespace: false, nameFn: validateNamespaceName, builtin: true });
  for (const f of list(obj.spec?.finalizers)) {
    errs.push(...validateFinalizerName(f, 'spec.finalizers'));
    errs.push(...validateKubeFinalizerName(f, 'spec.finalizers'));
  }
  return errs;
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateNode(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = meta(obj, old, false);
  const unique = new Map<string, Set<string>>();
  list(obj.spec?.taints).forEach((t: KubeObject, i) => {
    // Upstream reports taint problems under metadata.taints, a long-standing path quirk.
    const p = `metadata.taints[${i}]`;
    for (const m of isQualifiedName(t.key ?? '')) errs.push(fieldErrors.invalid(`${p}.key`, t.key ?? '', m));
    const valueErrs = isValidLabelValue(t.value ?? '');
    if (valueErrs.length) errs.push(fieldErrors.invalid(`${p}.value`, t.value ?? '', valueErrs.join(';')));
    if (!t.effect) errs.push(fieldErrors.required(`${p}.effect`, ''));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(fieldErrors.notSupported(`${p}.effect`, t.effect, TAINT_EFFECTS));
    const keys = unique.get(t.effect) ?? new Set<string>();
    if (keys.has(t.key)) {
      errs.push({ ...fieldErrors.duplicate(p, t), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    keys.add(t.key);
    unique.set(t.effect, keys);
  });
  if (old) {
    const oldSpec: KubeObject = old.spec ?? {};
    const spec: KubeObject = obj.spec ?? {};
    if (oldSpec.podCIDR && spec.podCIDR !== oldSpec.podCIDR) errs.push(fieldErrors.forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    if (oldSpec.providerID && spec.providerID !== oldSpec.providerID) errs.push(fieldErrors.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

export function validateServiceAccount(obj: KubeObject, old?: KubeObject): FieldError[] {
  return meta(obj, old, true);
}

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

export function validatePersistentVolumeClaim(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = meta(obj, old, true);
  const spec: KubeObject = obj.spec ?? {};
  const modes = list(spec.accessModes);
  if (modes.length === 0) errs.push(fieldErrors.required('spec.accessModes', 'at least 1 access mode is required'));
  modes.forEach((m: string) => {
    if (!ACCESS_MODES.includes(m)) errs.push(fieldErrors.notSupported('spec.accessModes', m, ACCESS_MODES));
  });
  if (!isObject(spec.resources?.requests) || spec.resources.requests.storage === undefined) {
    errs.push(fieldErrors.required('spec.resources[storage]', ''));
  }
  if (old) {
    const strip = (s: KubeObject | undefined) => {
      const { resources, volumeAttributesClassName, volumeName, ...rest } = s ?? {};
      return rest;
    };
    // A claim created without a class may be given one later (the PV binder's retroactive default class).
    const classFromNone = (old.spec?.storageClassName ?? null) === null && old.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] === undefined;
    const next = classFromNone ? { ...strip(spec), storageClassName: old.spec?.storageClassName } : strip(spec);
    if (!semanticEqual(next, strip(old.spec))) {
      errs.push(fieldErrors.forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
    }
  }
  return errs;
}

