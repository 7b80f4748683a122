// Kubeconfig files for the admin and for in-process components.
import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  user: string;
  cluster?: string;
}

export function renderKubeconfig(k: KubeconfigInput): string {
  const cluster = k.cluster ?? 'navarch';
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: k.server, 'certificate-authority-data': b64(k.caPem) } }],
    users: [{ name: k.user, user: { 'client-certificate-data': b64(k.certPem), 'client-key-data': b64(k.keyPem) } }],
    contexts: [{ name: cluster, context: { cluster, user: k.user } }],
    'current-context': cluster,
    preferences: {},
  });
}
