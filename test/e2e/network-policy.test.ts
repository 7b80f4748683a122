// NetworkPolicy with kubectl 1.27 and 1.33 against `navarch server` with its node agent: real
// pods on the node's bridge, the policy enforcer's nftables table on the forward path. A policy
// letting only `role: backend` pods reach `app: encryption` pods on one port blocks everyone else
// (other pods, other ports, backends of other namespaces), egress policies limit what a pod may
// reach (pods by selector, addresses by ipBlock), changes follow labels at once, the node keeps
// reaching its pods (probes), and removing the policies restores traffic.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { TestServer, KUBECTL_VERSIONS, until, kubectlIn, agentArgs, httpGet } from './harness.ts';
import { policyTableName } from '../../src/server/node-cleanup.ts';

const server = new TestServer([...agentArgs('network-policy')]);
const nftTable = (): string => {
  try { return execFileSync('nft', ['list', 'table', 'ip', policyTableName(server.dataDir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }); } catch { return ''; }
};

before(async () => {
  await server.start();
  // Every pod serves its name on 8080 and 9090, and has wget to be a client.
  await server.importImage({
    name: 'web:v1',
    cmd: ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && httpd -p 9090 -h /www && exec httpd -f -p 8080 -h /www'],
  });
});
after(async () => {
  await server.cleanup();
  assert.equal(nftTable(), '', 'the policy table is gone once the server stopped');
});

for (const v of KUBECTL_VERSIONS) {
  describe(`kubectl ${v}`, () => {
    const ns = `np-${v.replace('.', '')}`;
    const otherNs = `${ns}-other`;
    const { ok, json, apply } = kubectlIn(server, v, ns);
    const other = kubectlIn(server, v, otherNs);
    const ips: Record<string, string> = {};
    let serviceIP = '';

    const webPod = (name: string, labels: Record<string, string>) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'web', image: 'web:v1', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } }],
      },
    });

    /** Whether pod `from` (in namespace `fromNs`) gets an answer from ip:port within two seconds. */
    const reaches = async (from: string, ip: string, port: number, fromNs = ns): Promise<boolean> => {
      const out = await (fromNs === ns ? ok : other.ok)(['exec', from, '--', 'sh', '-c', `timeout 2 wget -q -O - http://${ip}:${port}/ && echo REACHED || echo BLOCKED`]);
      assert.match(out, /REACHED|BLOCKED/);
      return out.includes('REACHED');
    };
    /** Waits for the first check to turn `want`, then asserts every other one. */
    const expectAll = async (first: [string, string, number, boolean, string?], rest: [string, string, number, boolean, string?][]) => {
      const [from, ip, port, want, fromNs] = first;
      await until(`${from} → ${ip}:${port} ${want ? 'reached' : 'blocked'}`, async () => (await reaches(from, ip, port, fromNs)) === want, 30_000, 200);
      const got = await Promise.all(rest.map(async ([f, i, p, w, n]) => ({ what: `${f} → ${i}:${p}`, want: w, got: await reaches(f, i, p, n) })));
      assert.deepEqual(got.filter((g) => g.got !== g.want), []);
    };

    before(async () => {
      await ok(['create', 'namespace', ns]);
      await ok(['create', 'namespace', otherNs]);
      await apply(webPod('encryption', { app: 'encryption' }));
      await apply(webPod('backend', { role: 'backend' }));
      await apply(webPod('frontend', { role: 'frontend' }));
      await other.apply(webPod('backend', { role: 'backend' }));
      await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'encryption' }, spec: { selector: { app: 'encryption' }, ports: [{ port: 80, targetPort: 8080 }] } });
      await ok(['wait', '--for=condition=Ready', 'pod/encryption', 'pod/backend', 'pod/frontend', '--timeout=90s']);
      await other.ok(['wait', '--for=condition=Ready', 'pod/backend', '--timeout=90s']);
      for (const p of (await json(['get', 'pods'])).items) ips[p.metadata.name] = p.status.podIP;
      ips['other-backend'] = (await other.json(['get', 'pod', 'backend'])).status.podIP;
      serviceIP = (await json(['get', 'service', 'encryption'])).spec.clusterIP;
    });

    test('without policies every pod reaches every port', async () => {
      await expectAll(['frontend', ips.encryption, 8080, true], [
        ['backend', ips.encryption, 9090, true], ['backend', ips.frontend, 8080, true], ['backend', ips.encryption, 8080, true, otherNs],
      ]);
    });

    test('an ingress policy lets only role=backend pods of its namespace reach app=encryption, on one port', async () => {
      await apply({
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'encryption-from-backend' },
        spec: {
          podSelector: { matchLabels: { app: 'encryption' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { role: 'backend' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
        },
      });
      assert.match(await ok(['get', 'networkpolicy']), /encryption-from-backend\s+app=encryption\s+/);
      await expectAll(['frontend', ips.encryption, 8080, false], [
        ['backend', ips.encryption, 8080, true],
        ['backend', serviceIP, 80, true], // through the service: the policy sees the pod behind it
        ['backend', ips.encryption, 9090, false],
        ['frontend', serviceIP, 80, false],
        ['backend', ips.encryption, 8080, false, otherNs],
        ['encryption', ips.frontend, 8080, true], // egress of the isolated pod is not limited
      ]);
      // The node still reaches the pod: its readiness probe keeps passing, and so does a request from the host.
      assert.match(await httpGet(`http://${ips.encryption}:8080/`, 5000), /encryption/);
      await new Promise((r) => setTimeout(r, 2000));
      const ready = (await json(['get', 'pod', 'encryption'])).status.conditions.find((c: any) => c.type === 'Ready');
      assert.equal(ready.status, 'True');
    });

    test('the policy follows labels and namespaces: a relabelled pod and a selected namespace get in', async () => {
      await ok(['label', 'pod', 'frontend', 'role=backend', '--overwrite']);
      await expectAll(['frontend', ips.encryption, 8080, true], [['frontend', ips.encryption, 9090, false]]);
      await ok(['label', 'pod', 'frontend', 'role=frontend', '--overwrite']);
      await apply({
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'encryption-from-other' },
        spec: {
          podSelector: { matchLabels: { app: 'encryption' } },
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': otherNs } }, podSelector: { matchLabels: { role: 'backend' } } }], ports: [{ port: 'http' }] }],
        },
      });
      await expectAll(['backend', ips.encryption, 8080, true, otherNs], [['frontend', ips.encryption, 8080, false], ['backend', ips.encryption, 9090, false, otherNs]]);
      await ok(['delete', 'networkpolicy', 'encryption-from-other']);
    });

    test('egress policies limit what a pod may reach: pods by selector, addresses by ipBlock with except', async () => {
      await apply({
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'backend-out' },
        spec: {
          podSelector: { matchLabels: { role: 'backend' } }, policyTypes: ['Egress'],
          egress: [{ to: [{ podSelector: { matchLabels: { app: 'encryption' } } }], ports: [{ port: 8080 }] }],
        },
      });
      await expectAll(['backend', ips.frontend, 8080, false], [
        ['backend', ips.encryption, 8080, true], ['backend', serviceIP, 80, true], ['backend', ips.encryption, 9090, false],
        ['backend', ips.frontend, 8080, true, otherNs], // another namespace's backend is not selected
        ['frontend', ips['other-backend'], 8080, true],
      ]);
      // Cluster DNS answers from the node, which policies do not cut a pod off from.
      assert.match(await ok(['exec', 'backend', '--', 'nslookup', `encryption.${ns}.svc.cluster.local`]), new RegExp(serviceIP.replace(/\./g, '\\.')));
      const cidr = `${ips.frontend.split('.').slice(0, 3).join('.')}.0/24`;
      await apply({
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'backend-out-block' },
        spec: {
          podSelector: { matchLabels: { role: 'backend' } }, policyTypes: ['Egress'],
          egress: [{ to: [{ ipBlock: { cidr, except: [`${ips['other-backend']}/32`] } }] }],
        },
      });
      await expectAll(['backend', ips.frontend, 8080, true], [['backend', ips.frontend, 9090, true], ['backend', ips['other-backend'], 8080, false]]);
    });

    test('default deny, then removing the policies restores traffic', async () => {
      await apply({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
      await expectAll(['frontend', ips.backend, 8080, false], [['frontend', ips['other-backend'], 8080, false], ['backend', ips.encryption, 8080, true]]);
      assert.match(nftTable(), new RegExp(`pod-in-${ns}/frontend`));
      await ok(['delete', 'networkpolicy', '--all']);
      await expectAll(['frontend', ips.encryption, 9090, true], [
        ['frontend', ips.backend, 8080, true], ['backend', ips.frontend, 9090, true], ['backend', ips['other-backend'], 8080, true], ['backend', ips.encryption, 8080, true, otherNs],
      ]);
      await until('the namespace\'s chains are gone', async () => !nftTable().includes(`${ns}/`), 30_000);
    });
  });
}
