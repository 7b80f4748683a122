// Pod and pod template validation (upstream ValidatePodSpec and the container, port, env,
// volume, probe and resource checks it runs), with upstream's paths and messages.
import { fieldErrors, type FieldError } from './field-error.ts';
import {
  isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isHTTPHeaderName, isQualifiedName, isRelaxedEnvVarName, isValidPortName,
  isValidPortNum, inclusiveRangeError, isValidLabelValue as isValidLabelValueList,
} from './names.ts';
import { validateLabels } from '../selectors/label-selector-object.ts';
import { validateAnnotations, validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain, IS_NEGATIVE, type KubeObject } from './object-meta.ts';
import { Quantity, QuantityError } from '../quantity/quantity.ts';
import { semanticEqual } from './semantic-equal.ts';

const MAX_INT32 = 2147483647;
const isObject = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

function dns1123Label(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((m) => fieldErrors.invalid(path, value, m));
}
function qualifiedName(value: string, path: string): FieldError[] {
  return isQualifiedName(value).map((m) => fieldErrors.invalid(path, value, m));
}
function nonNegative(value: unknown, path: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [fieldErrors.invalid(path, value, IS_NEGATIVE)] : [];
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateContainerPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list(ports).forEach((port: KubeObject, i) => {
    const p = `${path}[${i}]`;
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) for (const m of msgs) errs.push(fieldErrors.invalid(`${p}.name`, port.name, m));
      else if (names.has(port.name)) errs.push(fieldErrors.duplicate(`${p}.name`, port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(fieldErrors.required(`${p}.containerPort`, ''));
    else for (const m of isValidPortNum(port.containerPort)) errs.push(fieldErrors.invalid(`${p}.containerPort`, port.containerPort, m));
    if (port.hostPort) for (const m of isValidPortNum(port.hostPort)) errs.push(fieldErrors.invalid(`${p}.hostPort`, port.hostPort, m));
    if (!port.protocol) errs.push(fieldErrors.required(`${p}.protocol`, ''));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(fieldErrors.notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
  });
  return errs;
}

const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const RESOURCE_FIELD_PATHS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

function validateKeySelector(sel: KubeObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const m of nameIsDNSSubdomain(String(sel.name ?? ''), false)) errs.push(fieldErrors.invalid(`${path}.name`, sel.name ?? '', m));
  if (!sel.key) errs.push(fieldErrors.required(`${path}.key`, ''));
  else for (const m of isConfigMapKey(sel.key)) errs.push(fieldErrors.invalid(`${path}.key`, sel.key, m));
  return errs;
}

function validateEnvValueFrom(ev: KubeObject, path: string): FieldError[] {
  const from = ev.valueFrom;
  if (!isObject(from)) return [];
  const errs: FieldError[] = [];
  let sources = 0;
  if (isObject(from.fieldRef)) {
    sources++;
    const fr = from.fieldRef;
    const p = `${path}.fieldRef`;
    if (!fr.apiVersion) errs.push(fieldErrors.required(`${p}.apiVersion`, ''));
    else if (!fr.fieldPath) errs.push(fieldErrors.required(`${p}.fieldPath`, ''));
    else {
      const m = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fr.fieldPath);
      if (m) errs.push(...qualifiedName(m[1] === 'metadata.annotations' ? m[2]!.toLowerCase() : m[2]!, p));
      else if (!ENV_FIELD_PATHS.includes(fr.fieldPath)) errs.push(fieldErrors.notSupported(`${p}.fieldPath`, fr.fieldPath, ENV_FIELD_PATHS));
    }
  }
  if (isObject(from.resourceFieldRef)) {
    sources++;
    const r = from.resourceFieldRef;
    const p = `${path}.resourceFieldRef`;
    if (!r.resource) errs.push(fieldErrors.required(`${p}.resource`, ''));
    else if (!RESOURCE_FIELD_PATHS.includes(r.resource) && !/^(requests|limits)\.hugepages-/.test(r.resource)) {
      errs.push(fieldErrors.notSupported(`${p}.resource`, r.resource, RESOURCE_FIELD_PATHS));
    }
  }
  if (isObject(from.configMapKeyRef)) {
    sources++;
    errs.push(...validateKeySelector(from.configMapKeyRef, `${path}.configMapKeyRef`));
  }
  if (isObject(from.secretKeyRef)) {
    sources++;
    errs.push(...validateKeySelector(from.secretKeyRef, `${path}.secretKeyRef`));
  }
  if (sources === 0) errs.push(fieldErrors.invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (ev.value) errs.push(fieldErrors.invalid(path, '', 'may not be specified when `value` is not empty'));
  else if (sources > 1) errs.push(fieldErrors.invalid(path, '', 'may not have more than one field specified at a time'));
  return errs;
}

/** Env names use the relaxed rule (RelaxedEnvironmentVariableValidation is on by default in 1.33). */
function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(env).forEach((ev: KubeObject, i) => {
    const p = `${path}[${i}]`;
    if (!ev.name) errs.push(fieldErrors.required(`${p}.name`, ''));
    else for (const m of isRelaxedEnvVarName(ev.name)) errs.push(fieldErrors.invalid(`${p}.name`, ev.name, m));
    errs.push(...validateEnvValueFrom(ev, `${p}.valueFrom`));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(envFrom).forEach((ev: KubeObject, i) => {
    const p = `${path}[${i}]`;
    if (ev.prefix) for (const m of isRelaxedEnvVarName(ev.prefix)) errs.push(fieldErrors.invalid(`${p}.prefix`, ev.prefix, m));
    let sources = 0;
    for (const kind of ['configMapRef', 'secretRef']) {
      const ref = ev[kind];
      if (!isObject(ref)) continue;
      sources++;
      if (!ref.name) errs.push(fieldErrors.required(`${p}.${kind}.name`, ''));
      else for (const m of nameIsDNSSubdomain(ref.name, true)) errs.push(fieldErrors.invalid(`${p}.${kind}.name`, ref.name, m));
    }
    if (sources === 0) errs.push(fieldErrors.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errs.push(fieldErrors.invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

const MOUNT_PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];

function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: string, privileged = false): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  list(mounts).forEach((m: KubeObject, i) => {
    const p = `${path}[${i}]`;
    if (!m.name) errs.push(fieldErrors.required(`${p}.name`, ''));
    if (!volumes.has(m.name ?? '')) errs.push(fieldErrors.notFound(`${p}.name`, m.name ?? ''));
    if (!m.mountPath) errs.push(fieldErrors.required(`${p}.mountPath`, ''));
    if (mountPoints.has(m.mountPath ?? '')) errs.push(fieldErrors.invalid(`${p}.mountPath`, m.mountPath ?? '', 'must be unique'));
    mountPoints.add(m.mountPath ?? '');
    if (m.subPath && m.subPathExpr) errs.push(fieldErrors.invalid(`${p}.subPathExpr`, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
    if (m.mountPropagation !== undefined && m.mountPropagation !== null) {
      if (m.mountPropagation === 'Bidirectional' && !privileged) {
        errs.push(fieldErrors.forbidden(`${p}.mountPropagation`, 'Bidirectional mount propagation is available only to privileged containers'));
      }
      if (!MOUNT_PROPAGATIONS.includes(m.mountPropagation)) errs.push(fieldErrors.notSupported(`${p}.mountPropagation`, m.mountPropagation, MOUNT_PROPAGATIONS));
    }
    for (const [key, value] of [['subPath', m.subPath], ['subPathExpr', m.subPathExpr]] as const) {
      if (!value) continue;
      // Upstream reports these at the list path (not the item), a long-standing quirk.
      if (String(value).startsWith('/')) errs.push(fieldErrors.invalid(`${path}.${key}`, value, 'must be a relative path'));
      if (String(value).split('/').includes('..')) errs.push(fieldErrors.invalid(`${path}.${key}`, value, "must not contain '..'"));
    }
  });
  return errs;
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];

function parseQuantity(value: unknown, path: string, errs: FieldError[]): Quantity | undefined {
  try {
    return Quantity.fromJSON(value);
  } catch (e) {
    if (e instanceof QuantityError) {
      errs.push(fieldErrors.invalid(path, typeof value === 'string' ? value : String(value), e.message));
      return undefined;
    }
    throw e;
  }
}

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = qualifiedName(name, path);
  if (errs.length) return errs;
  const native = !name.includes('/') || name.startsWith('kubernetes.io/');
  if (native && !STANDARD_CONTAINER_RESOURCES.includes(name) && !name.startsWith('hugepages-') && !name.startsWith('requests.hugepages-')) {
    return [fieldErrors.invalid(path, name, 'must be a standard resource for containers')];
  }
  return [];
}

/** Upstream ValidateContainerResourceRequirements: names, non-negative quantities, requests ≤ limits. */
export function validateResourceRequirements(resources: unknown, path: string): FieldError[] {
  if (!isObject(resources)) return [];
  const errs: FieldError[] = [];
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  const limits = new Map<string, Quantity>();
  for (const [name, raw] of Object.entries(isObject(resources.limits) ? resources.limits : {})) {
    const p = `${limPath}[${name}]`;
    errs.push(...validateResourceName(name, p));
    const q = parseQuantity(raw, p, errs);
    if (!q) continue;
    if (q.sign() < 0) errs.push(fieldErrors.invalid(p, q.toString(), IS_NEGATIVE));
    limits.set(name, q);
  }
  for (const [name, raw] of Object.entries(isObject(resources.requests) ? resources.requests : {})) {
    const p = `${reqPath}[${name}]`;
    errs.push(...validateResourceName(name, p));
    const q = parseQuantity(raw, p, errs);
    if (!q) continue;
    if (q.sign() < 0) errs.push(fieldErrors.invalid(p, q.toString(), IS_NEGATIVE));
    const limit = limits.get(name);
    const overcommit = !name.startsWith('hugepages-');
    if (limit) {
      if (!overcommit && q.cmp(limit) !== 0) errs.push(fieldErrors.invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${limit.toString()}`));
      else if (q.cmp(limit) > 0) errs.push(fieldErrors.invalid(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`));
    } else if (!overcommit) {
      errs.push(fieldErrors.required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => fieldErrors.invalid(path, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => fieldErrors.invalid(path, port, m));
  return [fieldErrors.invalid(path, port ?? null, 'must be an int or a string')];
}

function validateHandler(h: KubeObject, path: string, allowSleep: boolean, gracePeriod: number | undefined): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  const kinds = allowSleep ? ['exec', 'httpGet', 'tcpSocket', 'sleep'] : ['exec', 'httpGet', 'tcpSocket', 'grpc'];
  for (const kind of kinds) {
    const action = h[kind];
    if (!isObject(action)) continue;
    if (count > 0) {
      errs.push(fieldErrors.forbidden(`${path}.${kind}`, 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    const p = `${path}.${kind}`;
    if (kind === 'exec' && list(action.command).length === 0) errs.push(fieldErrors.required(`${p}.command`, ''));
    if (kind === 'httpGet') {
      if (!action.path) errs.push(fieldErrors.required(`${p}.path`, ''));
      errs.push(...validatePortNumOrName(action.port, `${p}.port`));
      if (!['HTTP', 'HTTPS'].includes(action.scheme)) errs.push(fieldErrors.notSupported(`${p}.scheme`, action.scheme ?? '', ['HTTP', 'HTTPS']));
      for (const header of list(action.httpHeaders)) for (const m of isHTTPHeaderName(header?.name ?? '')) errs.push(fieldErrors.invalid(`${p}.httpHeaders`, header?.name ?? '', m));
    }
    if (kind === 'tcpSocket') errs.push(...validatePortNumOrName(action.port, `${p}.port`));
    if (kind === 'grpc') errs.push(...validatePortNumOrName(action.port ?? 0, `${p}.port`));
    if (kind === 'sleep' && gracePeriod !== undefined && (action.seconds < 0 || action.seconds > gracePeriod)) {
      errs.push(fieldErrors.invalid(p, action.seconds, `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`));
    }
  }
  if (count === 0) errs.push(fieldErrors.required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: unknown, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (!isObject(probe)) return [];
  const errs = validateHandler(probe, path, false, undefined);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) errs.push(...nonNegative(probe[f], `${path}.${f}`));
  if (typeof probe.terminationGracePeriodSeconds === 'number' && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(fieldErrors.invalid(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (kind !== 'readiness' && (probe.successThreshold ?? 1) !== 1) errs.push(fieldErrors.invalid(`${path}.successThreshold`, probe.successThreshold, 'must be 1'));
  if (kind === 'readiness' && probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds !== null) {
    errs.push(fieldErrors.invalid(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  return errs;
}

function validateLifecycle(lc: unknown, path: string, gracePeriod: number | undefined): FieldError[] {
  if (!isObject(lc)) return [];
  const errs: FieldError[] = [];
  if (isObject(lc.postStart)) errs.push(...validateHandler(lc.postStart, `${path}.postStart`, true, gracePeriod));
  if (isObject(lc.preStop)) errs.push(...validateHandler(lc.preStop, `${path}.preStop`, true, gracePeriod));
  return errs;
}

function validateContainerCommon(c: KubeObject, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(fieldErrors.required(`${path}.name`, ''));
  else errs.push(...dns1123Label(c.name, `${path}.name`));
  if (!c.image) errs.push(fieldErrors.required(`${path}.image`, ''));
  if (!c.terminationMessagePolicy) errs.push(fieldErrors.required(`${path}.terminationMessagePolicy`, ''));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy)) {
    errs.push(fieldErrors.notSupported(`${path}.terminationMessagePolicy`, c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
  }
  errs.push(...validateContainerPorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateEnvFrom(c.envFrom, `${path}.envFrom`));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, `${path}.volumeMounts`, c.securityContext?.privileged === true));
  if (!c.imagePullPolicy) errs.push(fieldErrors.required(`${path}.imagePullPolicy`, ''));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(fieldErrors.notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  errs.push(...validateResourceRequirements(c.resources, `${path}.resources`));
  return errs;
}

function hostPortConflicts(containers: KubeObject[], path: string, seen = new Set<string>()): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    list(c.ports).forEach((port: KubeObject, pi) => {
      if (!port.hostPort) return;
      const key = `${port.protocol ?? ''}/${port.hostIP ?? ''}/${port.hostPort}`;
      if (seen.has(key)) errs.push(fieldErrors.duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

function validateVolumes(volumes: unknown, path: string): { names: Set<string>; errs: FieldError[] } {
  const names = new Set<string>();
  const errs: FieldError[] = [];
  list(volumes).forEach((v: KubeObject, i) => {
    const p = `${path}[${i}]`;
    const el: FieldError[] = [];
    const sources = Object.keys(v).filter((k) => k !== 'name' && isObject(v[k]));
    if (sources.length === 0) el.push(fieldErrors.required(p, 'must specify a volume type'));
    for (const extra of sources.slice(1)) el.push(fieldErrors.forbidden(`${p}.${extra}`, 'may not specify more than 1 volume type'));
    if (isObject(v.hostPath) && !v.hostPath.path) el.push(fieldErrors.required(`${p}.hostPath.path`, ''));
    if (isObject(v.persistentVolumeClaim) && !v.persistentVolumeClaim.claimName) el.push(fieldErrors.required(`${p}.persistentVolumeClaim.claimName`, ''));
    if (isObject(v.secret) && v.secret.secretName) {
      for (const m of nameIsDNSSubdomain(v.secret.secretName, false)) el.push(fieldErrors.invalid(`${p}.secret.secretName`, v.secret.secretName, m));
    }
    if (isObject(v.configMap) && v.configMap.name) {
      for (const m of nameIsDNSSubdomain(v.configMap.name, false)) el.push(fieldErrors.invalid(`${p}.configMap.name`, v.configMap.name, m));
    }
    if (!v.name) el.push(fieldErrors.required(`${p}.name`, ''));
    else el.push(...dns1123Label(v.name, `${p}.name`));
    if (names.has(v.name)) el.push(fieldErrors.duplicate(`${p}.name`, v.name));
    if (el.length === 0) names.add(v.name);
    else errs.push(...el);
  });
  return { names, errs };
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TOLERATION_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(tolerations).forEach((t: KubeObject, i) => {
    const p = `${path}[${i}]`;
    if (t.key) errs.push(...qualifiedName(t.key, `${p}.key`));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(fieldErrors.invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(fieldErrors.invalid(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (!t.operator || t.operator === 'Equal') {
      const msgs = isValidLabelValueList(t.value ?? '');
      if (msgs.length) errs.push(fieldErrors.invalid(`${p}.operator`, t.value ?? '', msgs.join(';')));
    } else if (t.operator === 'Exists') {
      if (t.value) errs.push(fieldErrors.invalid(`${p}.operator`, t.value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(fieldErrors.notSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    }
    if (t.effect && !TOLERATION_EFFECTS.includes(t.effect)) errs.push(fieldErrors.notSupported(`${p}.effect`, t.effect, TOLERATION_EFFECTS));
  });
  return errs;
}


/** Upstream ValidatePodSpec (the parts that matter for workloads run here). */
export function validatePodSpec(spec: KubeObject | undefined, path: string, opts: { isPod?: boolean } = {}): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  if (s.terminationGracePeriodSeconds === undefined || s.terminationGracePeriodSeconds === null) {
    errs.push(fieldErrors.required(`${path}.terminationGracePeriodSeconds`, ''));
  }
  const gracePeriod: number | undefined = typeof s.terminationGracePeriodSeconds === 'number' ? s.terminationGracePeriodSeconds : undefined;
  const { names: volumes, errs: volumeErrs } = validateVolumes(s.volumes, `${path}.volumes`);
  errs.push(...volumeErrs);

  const containers = list(s.containers);
  if (containers.length === 0) errs.push(fieldErrors.required(`${path}.containers`, ''));
  else {
    const names = new Set<string>();
    containers.forEach((c: KubeObject, i) => {
      const p = `${path}.containers[${i}]`;
      errs.push(...validateContainerCommon(c, volumes, p));
      if (names.has(c.name)) errs.push(fieldErrors.duplicate(`${p}.name`, c.name));
      else names.add(c.name);
      errs.push(...validateLifecycle(c.lifecycle, `${p}.lifecycle`, gracePeriod));
      errs.push(...validateProbe(c.livenessProbe, `${p}.livenessProbe`, 'liveness'));
      errs.push(...validateProbe(c.readinessProbe, `${p}.readinessProbe`, 'readiness'));
      errs.push(...validateProbe(c.startupProbe, `${p}.startupProbe`, 'startup'));
      if (c.restartPolicy !== undefined && c.restartPolicy !== null) errs.push(fieldErrors.forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
    });
    errs.push(...hostPortConflicts(containers, `${path}.containers`));
  }

  const allNames = new Set<string>(containers.map((c: KubeObject) => c.name));
  list(s.initContainers).forEach((c: KubeObject, i) => {
    const p = `${path}.initContainers[${i}]`;
    errs.push(...validateContainerCommon(c, volumes, p));
    const restartAlways = c.restartPolicy === 'Always';
    if (c.restartPolicy !== undefined && c.restartPolicy !== null && !restartAlways) {
      errs.push(fieldErrors.notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
    }
    if (allNames.has(c.name)) errs.push(fieldErrors.duplicate(`${p}.name`, c.name));
    else if (c.name) allNames.add(c.name);
    errs.push(...hostPortConflicts([c], `${path}.initContainers`));
    if (restartAlways) {
      errs.push(...validateLifecycle(c.lifecycle, `${p}.lifecycle`, gracePeriod));
      errs.push(...validateProbe(c.livenessProbe, `${p}.livenessProbe`, 'liveness'));
      errs.push(...validateProbe(c.readinessProbe, `${p}.readinessProbe`, 'readiness'));
      errs.push(...validateProbe(c.startupProbe, `${p}.startupProbe`, 'startup'));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[f] !== undefined && c[f] !== null) errs.push(fieldErrors.forbidden(`${p}.${f}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });

  if (s.hostNetwork === true) {
    containers.forEach((c: KubeObject, ci) => list(c.ports).forEach((port: KubeObject, pi) => {
      const hp = port.hostPort ?? 0;
      if ((opts.isPod || hp !== 0) && hp !== port.containerPort) {
        errs.push(fieldErrors.invalid(`${path}.containers[${ci}].ports[${pi}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
      }
    }));
  }
  if (!s.restartPolicy) errs.push(fieldErrors.required(`${path}.restartPolicy`, ''));
  else if (!RESTART_POLICIES.includes(s.restartPolicy)) errs.push(fieldErrors.notSupported(`${path}.restartPolicy`, s.restartPolicy, RESTART_POLICIES));
  if (!s.dnsPolicy) errs.push(fieldErrors.required(`${path}.dnsPolicy`, ''));
  else if (!DNS_POLICIES.includes(s.dnsPolicy)) errs.push(fieldErrors.notSupported(`${path}.dnsPolicy`, s.dnsPolicy, DNS_POLICIES));
  errs.push(...validateLabels(s.nodeSelector, `${path}.nodeSelector`));
  if (s.dnsPolicy === 'None') {
    if (!isObject(s.dnsConfig)) errs.push(fieldErrors.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
    else if (list(s.dnsConfig.nameservers).length === 0) errs.push(fieldErrors.required(`${path}.dnsConfig.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  if (s.serviceAccountName) for (const m of nameIsDNSSubdomain(s.serviceAccountName, false)) errs.push(fieldErrors.invalid(`${path}.serviceAccountName`, s.serviceAccountName, m));
  if (s.nodeName) for (const m of nameIsDNSSubdomain(s.nodeName, false)) errs.push(fieldErrors.invalid(`${path}.nodeName`, s.nodeName, m));
  if (typeof s.activeDeadlineSeconds === 'number' && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > MAX_INT32)) {
    errs.push(fieldErrors.invalid(`${path}.activeDeadlineSeconds`, s.activeDeadlineSeconds, inclusiveRangeError(1, MAX_INT32)));
  }
  if (s.hostname) errs.push(...dns1123Label(s.hostname, `${path}.hostname`));
  if (s.subdomain) errs.push(...dns1123Label(s.subdomain, `${path}.subdomain`));
  errs.push(...validateTolerations(s.tolerations, `${path}.tolerations`));
  list(s.hostAliases).forEach((ha: KubeObject, i) => list(ha.hostnames).forEach((h: string, j) => {
    for (const m of isDNS1123Subdomain(h)) errs.push(fieldErrors.invalid(`${path}.hostAliases[${i}].hostnames[${j}]`, h, m));
  }));
  if (s.priorityClassName) for (const m of nameIsDNSSubdomain(s.priorityClassName, false)) errs.push(fieldErrors.invalid(`${path}.priorityClassName`, s.priorityClassName, m));
  return errs;
}

/** Pod templates inside workloads: labels, annotations and the spec. */
export function validatePodTemplateSpec(template: KubeObject | undefined, path: string): FieldError[] {
  const t = template ?? {};
  const errs: FieldError[] = [];
  errs.push(...validateLabels(t.metadata?.labels, `${path}.labels`));
  errs.push(...validateAnnotations(t.metadata?.annotations, `${path}.annotations`));
  errs.push(...validatePodSpec(t.spec, `${path}.spec`));
  if (list(t.spec?.ephemeralContainers).length > 0) errs.push(fieldErrors.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  return errs;
}

function podMetadataAndSpec(pod: KubeObject): FieldError[] {
  const errs = validateObjectMeta(pod.metadata, { requiresNamespace: true, nameFn: nameIsDNSSubdomain, builtin: true });
  errs.push(...validatePodSpec(pod.spec, 'spec', { isPod: true }));
  for (const kind of ['containers', 'initContainers']) {
    list(pod.spec?.[kind]).forEach((c: KubeObject, i) => {
      if (typeof c.image === 'string' && c.image !== c.image.trim()) errs.push(fieldErrors.invalid(`spec.${kind}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
    });
  }
  return errs;
}

export const POD_UPDATABLE_FIELDS_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** A short account of which spec fields differ (upstream prints a Go struct diff here). */
function specDiff(oldSpec: KubeObject, newSpec: KubeObject): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])].sort();
  return keys
    .filter((k) => !semanticEqual(oldSpec[k], newSpec[k]))
    .map((k) => `  - ${k}: ${JSON.stringify(oldSpec[k] ?? null)}\n  + ${k}: ${JSON.stringify(newSpec[k] ?? null)}`)
    .join('\n');
}

function validatePodUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(pod.metadata, old.metadata, { builtin: true });
  errs.push(...podMetadataAndSpec(pod));
  const spec: KubeObject = pod.spec ?? {};
  const oldSpec: KubeObject = old.spec ?? {};
  for (const kind of ['containers', 'initContainers']) {
    const now = list(spec[kind]);
    const before = list(oldSpec[kind]);
    if (now.length !== before.length) {
      errs.push(fieldErrors.forbidden(`spec.${kind}`, 'pod updates may not add or remove containers'));
      return errs;
    }
    now.forEach((c: KubeObject, i) => {
      if (!c.image) errs.push(fieldErrors.required(`spec.${kind}[${i}].image`, ''));
    });
  }
  if (typeof spec.activeDeadlineSeconds === 'number') {
    if (spec.activeDeadlineSeconds < 0 || spec.activeDeadlineSeconds > MAX_INT32) {
      errs.push(fieldErrors.invalid('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, inclusiveRangeError(0, MAX_INT32)));
      return errs;
    }
    if (typeof oldSpec.activeDeadlineSeconds === 'number' && oldSpec.activeDeadlineSeconds < spec.activeDeadlineSeconds) {
      errs.push(fieldErrors.invalid('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (typeof oldSpec.activeDeadlineSeconds === 'number') {
    errs.push(fieldErrors.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  // Existing tolerations may only change their tolerationSeconds.
  for (const t of list(oldSpec.tolerations)) {
    const found = list(spec.tolerations).some((n: KubeObject) => semanticEqual({ ...t, tolerationSeconds: n.tolerationSeconds }, n));
    if (!found) {
      errs.push(fieldErrors.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }
  if (semanticEqual(spec, oldSpec)) return errs;
  const munged: KubeObject = structuredClone(spec);
  for (const kind of ['containers', 'initContainers']) {
    list(munged[kind]).forEach((c: KubeObject, i) => { c.image = oldSpec[kind][i].image; });
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.schedulingGates = oldSpec.schedulingGates;
  munged.tolerations = oldSpec.tolerations;
  if (typeof oldSpec.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  if (!semanticEqual(munged, oldSpec)) errs.push(fieldErrors.forbidden('spec', `${POD_UPDATABLE_FIELDS_MESSAGE}\n${specDiff(oldSpec, munged)}`));
  return errs;
}

/**
 * An update through pods/ephemeralcontainers (upstream's ValidatePodEphemeralContainersUpdate):
 * ephemeral containers may only be added; each new one is a valid container without ports, probes,
 * lifecycle or resources, named uniquely in the pod, targeting one of its containers if any.
 */
function validateEphemeralContainersUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(pod.metadata, old.metadata, { builtin: true });
  const now = list(pod.spec?.ephemeralContainers);
  const before = list(old.spec?.ephemeralContainers);
  for (const o of before) {
    const i = now.findIndex((c: KubeObject) => c.name === o.name);
    if (i < 0) errs.push(fieldErrors.forbidden('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(o.name)} may not be removed`));
    else if (!semanticEqual(now[i], o)) errs.push(fieldErrors.forbidden(`spec.ephemeralContainers[${i}]`, `existing ephemeral containers ${JSON.stringify(o.name)} may not be changed`));
  }
  const volumes = new Set<string>(list(pod.spec?.volumes).map((v: KubeObject) => v.name));
  const regular = [...list(pod.spec?.containers), ...list(pod.spec?.initContainers)].map((c: KubeObject) => c.name);
  const seen = new Set<string>(regular);
  const existing = new Set<string>(before.map((o: KubeObject) => o.name));
  now.forEach((c: KubeObject, i) => {
    const p = `spec.ephemeralContainers[${i}]`;
    // The first entry of an existing name is that container (checked above); any other is new.
    if (existing.delete(c.name)) { seen.add(c.name); return; }
    if (c.name && seen.has(c.name)) errs.push(fieldErrors.duplicate(`${p}.name`, c.name));
    seen.add(c.name);
    errs.push(...validateContainerCommon(c, volumes, p));
    for (const f of ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resources']) {
      const v = c[f];
      const set = Array.isArray(v) ? v.length > 0 : isObject(v) ? Object.keys(v).length > 0 : v !== undefined && v !== null;
      if (set) errs.push(fieldErrors.forbidden(`${p}.${f}`, 'cannot be set for an Ephemeral Container'));
    }
    if (c.targetContainerName && !regular.includes(c.targetContainerName)) errs.push(fieldErrors.notFound(`${p}.targetContainerName`, c.targetContainerName));
  });
  return errs;
}

/** Pods on create, or on update when `old` is given (through subresource, when one is named). */
export function validatePod(pod: KubeObject, old?: KubeObject, subresource?: string): FieldError[] {
  if (old && subresource === 'ephemeralcontainers') return validateEphemeralContainersUpdate(pod, old);
  if (old) return validatePodUpdate(pod, old);
  const errs = podMetadataAndSpec(pod);
  if (list(pod.spec?.ephemeralContainers).length > 0) errs.push(fieldErrors.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (pod.spec?.nodeName && list(pod.spec?.schedulingGates).length > 0) {
    errs.push(fieldErrors.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

export function validatePodTemplate(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(obj.metadata, old.metadata, { builtin: true })
    : validateObjectMeta(obj.metadata, { requiresNamespace: true, nameFn: nameIsDNSSubdomain, builtin: true });
  errs.push(...validatePodTemplateSpec(obj.template, 'template'));
  return errs;
}
