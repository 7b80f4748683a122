// Services with kubectl 1.27 and 1.33 against `navarch server` with its node agent and service
// proxy: cluster IPs balance over ready pods in the kernel (nftables DNAT), from the host and from
// pods (hairpin included), node ports answer on the node's addresses and loopback, a service without
// ready endpoints refuses at once, and the proxy's table follows deletions and goes with the server.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { TestServer, KUBECTL_VERSIONS, until, kubectlIn, agentArgs, httpGet } from './harness.ts';
import { hostBinariesLayer } from '../../src/kubelet/images/testing/host-binaries.ts';
import { serviceTableName } from '../../src/server/node-cleanup.ts';

const server = new TestServer([...agentArgs('services')]);
const table = () => serviceTableName(server.dataDir);
const nftTable = (): string => {
  try { return execFileSync('nft', ['list', 'table', 'ip', table()], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }); } catch { return ''; }
};

before(async () => {
  await server.start();
  // Each replica serves its own name, and /ready while its readiness file is there.
  await server.importImage({
    name: 'web:v1',
    cmd: ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && touch /www/ready && exec httpd -f -p 8080 -h /www'],
    // GNU wget resolves names with glibc, through the pod's resolv.conf (search list, ndots).
    extraLayers: [hostBinariesLayer(['/usr/bin/wget'])],
  });
});
after(async () => {
  await server.cleanup();
  assert.equal(nftTable(), '', 'the service table is gone once the server stopped');
  // Nor any route or address in the suite's pod and service ranges (their first two octets are the suite's own).
  const prefixes = ['--cluster-cidr', '--service-cidr'].map((f) => server.extraArgs[server.extraArgs.indexOf(f) + 1]!.split('.').slice(0, 2).join('.') + '.');
  const left = [execFileSync('ip', ['-o', '-4', 'route', 'show', 'table', 'all'], { encoding: 'utf8' }), execFileSync('ip', ['-o', '-4', 'addr'], { encoding: 'utf8' })]
    .join('\n').split('\n').filter((l) => prefixes.some((p) => l.includes(` ${p}`)));
  assert.deepEqual(left, [], 'routes or addresses of the cluster left behind');
});

/** Connects to host:port and reports how it ended, and how fast. */
function dial(host: string, port: number): Promise<{ outcome: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolveDial) => {
    const s = connect({ host, port, timeout: 5000 });
    s.on('connect', () => { s.destroy(); resolveDial({ outcome: 'connected', ms: Date.now() - started }); });
    s.on('timeout', () => { s.destroy(); resolveDial({ outcome: 'timeout', ms: Date.now() - started }); });
    s.on('error', (e: NodeJS.ErrnoException) => resolveDial({ outcome: e.code ?? e.message, ms: Date.now() - started }));
  });
}

/** Names answering at url over `tries` requests from the host. */
async function namesFromHost(url: string, tries: number): Promise<Set<string>> {
  const names = new Set<string>();
  for (let i = 0; i < tries; i++) names.add((await httpGet(url, 5000)).trim());
  return names;
}

for (const v of KUBECTL_VERSIONS) {
  describe(`kubectl ${v}`, () => {
    const ns = `svc-${v.replace('.', '')}`;
    const { k, ok, json, apply } = kubectlIn(server, v, ns);
    let pods: { name: string; ip: string }[] = [];
    let clusterIP = '';

    /** Names answering inside pod `from` over `tries` requests to url. */
    const namesFromPod = async (from: string, url: string, tries: number): Promise<Set<string>> => {
      const out = await ok(['exec', from, '--', 'sh', '-c', `for i in $(seq 1 ${tries}); do wget -q -O - ${url}; done`]);
      return new Set(out.split('\n').map((l) => l.trim()).filter(Boolean));
    };

    before(async () => {
      await ok(['create', 'namespace', ns]);
      await apply({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
        spec: {
          replicas: 3, selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              terminationGracePeriodSeconds: 1,
              containers: [{
                name: 'web', image: 'web:v1', ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1, failureThreshold: 1 },
              }],
            },
          },
        },
      });
      await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
      await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'web:v1', command: ['sleep', '3600'] }] } });
      await ok(['rollout', 'status', 'deployment/web', '--timeout=120s']);
      await ok(['wait', '--for=condition=Ready', 'pod/client', '--timeout=60s']);
      pods = (await json(['get', 'pods', '-l', 'app=web'])).items.map((p: any) => ({ name: p.metadata.name, ip: p.status.podIP }));
      clusterIP = (await json(['get', 'service', 'web'])).spec.clusterIP;
    });

    test('a ClusterIP service answers from all three replicas, from the host and from another pod', async () => {
      assert.match(clusterIP, /^172\.\d+\.\d+\.\d+$/);
      assert.match(await ok(['get', 'service', 'web']), new RegExp(`web\\s+ClusterIP\\s+${clusterIP.replace(/\./g, '\\.')}\\s+<none>\\s+80/TCP`));
      const all = new Set(pods.map((p) => p.name));
      assert.equal(all.size, 3);
      const fromHost = await until('all replicas answer from the host', async () => {
        const names = await namesFromHost(`http://${clusterIP}:80/`, 30);
        return names.size === 3 ? names : undefined;
      }, 30_000, 100);
      assert.deepEqual([...fromHost].sort(), [...all].sort());
      const fromPod = await until('all replicas answer from a pod', async () => {
        const names = await namesFromPod('client', `http://${clusterIP}:80/`, 30);
        return names.size === 3 ? names : undefined;
      }, 30_000, 100);
      assert.deepEqual([...fromPod].sort(), [...all].sort());
      // By name: the short name through the search list, and the full name.
      const byName = await until('all replicas answer a pod by DNS name', async () => {
        const names = await namesFromPod('client', 'http://web/', 30);
        return names.size === 3 ? names : undefined;
      }, 30_000, 100);
      assert.deepEqual([...byName].sort(), [...all].sort());
      assert.ok(all.has((await ok(['exec', 'client', '--', 'wget', '-q', '-O', '-', `http://web.${ns}.svc.cluster.local/`])).trim()));
    });

    test('pods reach the API server through the kubernetes service, with their service account token', async () => {
      const ep = await ok(['get', 'endpoints', 'kubernetes', '-n', 'default']);
      const port = new URL(server.url).port;
      assert.match(ep, new RegExp(`kubernetes\\s+\\d+\\.\\d+\\.\\d+\\.\\d+:${port}\\s`));
      const slice = await json(['get', 'endpointslice', 'kubernetes', '-n', 'default']);
      assert.equal(slice.ports[0].port, Number(port));
      // As client-go's in-cluster config: the service IP from the environment, the pod's token, the cluster CA
      // (GNU wget, by path: busybox sh prefers its own applet; it verifies the certificate names that IP).
      const out = await ok(['exec', 'client', '--', 'sh', '-c', 'd=/var/run/secrets/kubernetes.io/serviceaccount; '
        + '/usr/bin/wget -q -O - --ca-certificate=$d/ca.crt --header "Authorization: Bearer $(cat $d/token)" https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api']);
      assert.equal(JSON.parse(out).kind, 'APIVersions');
    });

    test('a pod reaches its own service (hairpin), and a replica that turns unready leaves the rotation', async () => {
      const self = pods[0].name;
      const seen = await until('the pod itself answers through its service', async () => {
        const names = await namesFromPod(self, `http://${clusterIP}:80/`, 20);
        return names.has(self) ? names : undefined;
      }, 30_000, 100);
      assert.ok(seen.size >= 2, [...seen].join());
      await ok(['exec', self, '--', 'rm', '/www/ready']);
      await until('the endpoint turns not ready', async () => {
        const slices = (await json(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web'])).items;
        const ready = slices.flatMap((s: any) => s.endpoints ?? []).filter((e: any) => e.conditions?.ready);
        return ready.length === 2;
      }, 30_000);
      // The proxy follows within moments; then the unready pod gets nothing.
      await new Promise((r) => setTimeout(r, 500));
      const names = await namesFromHost(`http://${clusterIP}:80/`, 30);
      assert.ok(!names.has(self), `${self} still answered: ${[...names].join()}`);
      assert.equal(names.size, 2);
      await ok(['exec', self, '--', 'touch', '/www/ready']);
    });

    test('a NodePort answers on loopback and on the node address; ClientIP affinity keeps a client on one pod', async () => {
      await apply({
        apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-np' },
        spec: { type: 'NodePort', selector: { app: 'web' }, sessionAffinity: 'ClientIP', ports: [{ port: 80, targetPort: 8080 }] },
      });
      const svc = await json(['get', 'service', 'web-np']);
      const nodePort: number = svc.spec.ports[0].nodePort;
      assert.ok(nodePort >= 30000 && nodePort <= 32767, String(nodePort));
      assert.match(await ok(['get', 'service', 'web-np']), new RegExp(`web-np\\s+NodePort\\s+\\S+\\s+<none>\\s+80:${nodePort}/TCP`));
      const node = (await json(['get', 'nodes'])).items[0];
      const nodeIP = node.status.addresses.find((a: any) => a.type === 'InternalIP').address;
      for (const host of ['127.0.0.1', nodeIP]) {
        const names = await until(`node port on ${host}`, async () => namesFromHost(`http://${host}:${nodePort}/`, 10).catch(() => undefined), 30_000);
        assert.equal(names.size, 1, `affinity: one pod for one client on ${host}, got ${[...names].join()}`);
      }
    });

    test('a LoadBalancer service shows the node address as EXTERNAL-IP and answers there', async () => {
      const port = v === '1.27' ? 18127 : 18133;
      await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-lb' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port, targetPort: 8080 }] } });
      const ingress = await until('an EXTERNAL-IP', async () => (await json(['get', 'service', 'web-lb'])).status?.loadBalancer?.ingress, 30_000);
      const node = (await json(['get', 'nodes'])).items[0];
      const nodeIP = node.status.addresses.find((a: any) => a.type === 'InternalIP').address;
      assert.deepEqual(ingress.map((i: any) => i.ip), [nodeIP]);
      assert.match(await ok(['get', 'service', 'web-lb']), new RegExp(`web-lb\\s+LoadBalancer\\s+\\S+\\s+${nodeIP.replace(/\./g, '\\.')}\\s+${port}:\\d+/TCP`));
      const names = await until('the load balancer address answers', async () => namesFromHost(`http://${nodeIP}:${port}/`, 20).catch(() => undefined), 30_000);
      assert.ok(names.size >= 2, `balanced over the replicas: ${[...names].join()}`);
    });

    test('cluster DNS answers pods for services, headless services, StatefulSet pods and SRV, through the kube-dns service', async () => {
      const kubeDns = await json(['-n', 'kube-system', 'get', 'service', 'kube-dns']);
      const resolv = await ok(['exec', 'client', '--', 'cat', '/etc/resolv.conf']);
      assert.match(resolv, new RegExp(`nameserver ${kubeDns.spec.clusterIP.replace(/\./g, '\\.')}`));
      assert.match(resolv, new RegExp(`search ${ns}\\.svc\\.cluster\\.local svc\\.cluster\\.local cluster\\.local`));
      assert.match(resolv, /options ndots:5/);
      await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] } });
      await apply({
        apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
        spec: {
          serviceName: 'db', replicas: 2, selector: { matchLabels: { app: 'db' } },
          template: { metadata: { labels: { app: 'db' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'db', image: 'web:v1', command: ['sleep', '3600'], ports: [{ name: 'pg', containerPort: 5432 }] }] } },
        },
      });
      await ok(['rollout', 'status', 'statefulset/db', '--timeout=120s']);
      const dbIPs = (await json(['get', 'pods', '-l', 'app=db'])).items.map((p: any) => p.status.podIP).sort();
      const lookup = async (name: string, type = 'A') => ok(['exec', 'client', '--', 'nslookup', `-type=${type}`, name]);
      await until('the service name resolves to its cluster IP', async () => (await lookup(`web.${ns}.svc.cluster.local`).catch(() => '')).includes(`Address: ${clusterIP}`), 30_000);
      const headless = await until('the headless service resolves to both pods', async () => {
        const out = await lookup(`db.${ns}.svc.cluster.local`).catch(() => '');
        return dbIPs.every((ip: string) => out.includes(`Address: ${ip}`)) ? out : undefined;
      }, 30_000);
      assert.ok(!headless.includes(clusterIP));
      const db1: string = (await json(['get', 'pod', 'db-1'])).status.podIP;
      assert.ok((await lookup(`db-1.db.${ns}.svc.cluster.local`)).includes(`Address: ${db1}`), 'a StatefulSet pod resolves through its governing service');
      const srv = await lookup(`_pg._tcp.db.${ns}.svc.cluster.local`, 'SRV');
      assert.match(srv, new RegExp(`5432 db-0\\.db\\.${ns}\\.svc\\.cluster\\.local`));
      assert.match(srv, new RegExp(`5432 db-1\\.db\\.${ns}\\.svc\\.cluster\\.local`));
      // A name outside the cluster fails promptly (no internet here), never hangs.
      const started = Date.now();
      const outside = await k(['exec', 'client', '--', 'nslookup', 'example.invalid']);
      assert.notEqual(outside.code, 0);
      assert.ok(Date.now() - started < 15_000, `outside lookup took ${Date.now() - started} ms`);
    });

    test('an Ingress routes two hosts and two paths to different services and terminates TLS with a Secret\'s certificate', async () => {
      const m = /msg="ingress listening".*?http=(\d+) https=(\d+)/.exec(server.output);
      assert.ok(m, 'the server reports its ingress ports');
      const [httpPort, httpsPort] = [Number(m[1]), Number(m[2])];
      for (const who of ['a', 'b']) {
        const label = who.toUpperCase();
        await apply({
          apiVersion: 'v1', kind: 'Pod', metadata: { name: `site-${who}`, labels: { site: who } },
          spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'web', image: 'web:v1', ports: [{ name: 'http', containerPort: 8080 }], command: ['sh', '-c', `mkdir -p /www/api && echo ${label} > /www/index.html && echo ${label}-api > /www/api/index.html && echo ${label}-docs > /www/docs && exec httpd -f -p 8080 -h /www`] }] },
        });
        await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: `site-${who}` }, spec: { selector: { site: who }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] } });
      }
      await ok(['wait', '--for=condition=Ready', 'pod/site-a', 'pod/site-b', '--timeout=60s']);
      const dir = join(server.dataDir, '..', `tls-${ns}`);
      execFileSync('mkdir', ['-p', dir]);
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt'), '-days', '1', '-subj', `/CN=one-${ns}.example`, '-addext', `subjectAltName=DNS:one-${ns}.example`], { stdio: 'ignore' });
      await ok(['create', 'secret', 'tls', 'one-tls', '--cert', join(dir, 'tls.crt'), '--key', join(dir, 'tls.key')]);
      const one = `one-${ns}.example`;
      const two = `two-${ns}.example`;
      const backend = (name: string) => ({ service: { name, port: { name: 'web' } } });
      await apply({
        apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'sites' },
        spec: {
          tls: [{ hosts: [one], secretName: 'one-tls' }],
          rules: [
            { host: one, http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('site-a') }, { path: '/api', pathType: 'Prefix', backend: backend('site-b') }] } },
            { host: two, http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('site-b') }, { path: '/docs', pathType: 'Exact', backend: backend('site-a') }] } },
          ],
        },
      });
      const get = (host: string, path: string) => new Promise<{ code: number; body: string }>((resolveGet, reject) => {
        httpRequest({ host: '127.0.0.1', port: httpPort, path, headers: { Host: host }, agent: false }, (res) => {
          let body = '';
          res.on('data', (d) => { body += d; });
          res.on('end', () => resolveGet({ code: res.statusCode ?? 0, body: body.trim() }));
        }).on('error', reject).end();
      });
      await until('the ingress routes', async () => (await get(one, '/').catch(() => ({ body: '' }))).body === 'A', 30_000);
      assert.deepEqual(await get(one, '/api/'), { code: 200, body: 'B-api' });
      assert.deepEqual(await get(two, '/'), { code: 200, body: 'B' });
      assert.deepEqual(await get(two, '/docs'), { code: 200, body: 'A-docs' });
      assert.equal((await get('nobody.example', '/')).code, 404);
      const tls = await new Promise<{ body: string; cn: string }>((resolveTls, reject) => {
        httpsRequest({ host: '127.0.0.1', port: httpsPort, path: '/', servername: one, headers: { Host: one }, rejectUnauthorized: false, agent: false }, (res) => {
          const cn = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN ?? '';
          let body = '';
          res.on('data', (d) => { body += d; });
          res.on('end', () => resolveTls({ body: body.trim(), cn: String(cn) }));
        }).on('error', reject).end();
      });
      assert.deepEqual(tls, { body: 'A', cn: one });
      const nodeIP = (await json(['get', 'nodes'])).items[0].status.addresses.find((a: any) => a.type === 'InternalIP').address;
      await until('the Ingress shows its class and address', async () => new RegExp(`sites\\s+navarch\\s+${one.replace(/\./g, '\\.')},${two.replace(/\./g, '\\.')}\\s+${nodeIP.replace(/\./g, '\\.')}\\s+80, 443`).test(await ok(['get', 'ingress', 'sites'])), 30_000);
    });

    test('a service without ready endpoints refuses at once; deleting a service removes its rules', async () => {
      await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'nobody' }, spec: { selector: { app: 'nobody' }, ports: [{ port: 80 }] } });
      const ip: string = (await json(['get', 'service', 'nobody'])).spec.clusterIP;
      const r = await until('the empty service is programmed', async () => {
        const d = await dial(ip, 80);
        return d.outcome === 'ECONNREFUSED' ? d : undefined;
      }, 30_000);
      assert.ok(r.ms < 1000, `refused after ${r.ms} ms`);
      assert.ok(nftTable().includes(`${clusterIP} . tcp . 80`));
      await ok(['delete', 'service', 'web', 'nobody']);
      await until('the rules of the deleted services are gone', async () => {
        const t = nftTable();
        return t !== '' && !t.includes(`${clusterIP} . tcp . 80`) && !t.includes(`${ip} . tcp . 80`) && !t.includes(`svc-${ns}/web/`);
      }, 30_000);
    });
  });
}
