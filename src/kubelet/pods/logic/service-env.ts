// Service discovery variables (docker-link style) for the services a pod sees: those of its own
// namespace when enableServiceLinks is not false, and always default/kubernetes.
import type { EnvVar, KubeObject } from './types.ts';

const MASTER_NAMESPACE = 'default';
const MASTER_SERVICES = new Set(['kubernetes']);

const hasClusterIP = (svc: KubeObject) => {
  const ip = svc.spec?.clusterIP;
  return typeof ip === 'string' && ip !== '' && ip !== 'None';
};

const envName = (s: string) => s.replace(/-/g, '_').toUpperCase();
const hostPort = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** The variables of the given services, in order (upstream's FromServices). */
export function envFromServices(services: KubeObject[]): EnvVar[] {
  const out: EnvVar[] = [];
  for (const svc of services) {
    const ports: KubeObject[] = svc.spec?.ports ?? [];
    if (!hasClusterIP(svc) || ports.length === 0) continue;
    const ip: string = svc.spec.clusterIP;
    const prefix = envName(svc.metadata.name);
    out.push({ name: `${prefix}_SERVICE_HOST`, value: ip });
    out.push({ name: `${prefix}_SERVICE_PORT`, value: String(ports[0].port) });
    for (const p of ports) {
      if (p.name) out.push({ name: `${prefix}_SERVICE_PORT_${envName(p.name)}`, value: String(p.port) });
    }
    ports.forEach((p, i) => {
      const proto = String(p.protocol || 'TCP');
      const url = `${proto.toLowerCase()}://${hostPort(ip, p.port)}`;
      if (i === 0) out.push({ name: `${prefix}_PORT`, value: url });
      const pp = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
      out.push({ name: pp, value: url });
      out.push({ name: `${pp}_PROTO`, value: proto.toLowerCase() });
      out.push({ name: `${pp}_PORT`, value: String(p.port) });
      out.push({ name: `${pp}_ADDR`, value: ip });
    });
  }
  return out;
}

/** The service variables of a pod in `namespace` (upstream's getServiceEnvVarMap), as a map. */
export function serviceEnvFor(namespace: string, enableServiceLinks: boolean, all: KubeObject[]): Map<string, string> {
  const chosen = new Map<string, KubeObject>();
  const byName = [...all].sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
  for (const svc of byName) {
    if (!hasClusterIP(svc)) continue;
    if (enableServiceLinks && svc.metadata?.namespace === namespace) chosen.set(svc.metadata.name, svc);
  }
  // The master service comes from default unless the pod's namespace has its own of that name.
  for (const svc of byName) {
    if (!hasClusterIP(svc)) continue;
    const name = svc.metadata?.name;
    if (svc.metadata?.namespace === MASTER_NAMESPACE && MASTER_SERVICES.has(name) && !chosen.has(name)) chosen.set(name, svc);
  }
  const ordered = [...chosen.values()].sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)));
  return new Map(envFromServices(ordered).map((e) => [e.name, e.value]));
}
