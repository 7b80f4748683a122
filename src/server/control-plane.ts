// The composition root of `navarch server`: storage → watch cache → API server → bootstrap
// objects → controllers, started in that order and stopped in reverse.
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hostname } from 'node:os';
import { createHash } from 'node:crypto';
import type { Logger } from '../base/log.ts';
import { openStore, type Store } from '../storage/index.ts';
import { WatchCache } from '../apiserver/watchcache/watch-cache.ts';
import { ApiRegistry } from '../apiserver/registry.ts';
import { ApiServer } from '../apiserver/server.ts';
import { CertificateAuthority, loadOrIssue, localSubjectAltNames, coversNames } from '../apiserver/pki/pki.ts';
import { renderKubeconfig } from '../apiserver/kubeconfig.ts';
import { withStrategies } from '../apiserver/strategies.ts';
import { namespaceLifecycle, IMMORTAL_NAMESPACES } from '../apiserver/admission/namespace-lifecycle.ts';
import { limitRanger } from '../apiserver/admission/limit-ranger.ts';
import { resourceQuota } from '../apiserver/admission/resource-quota.ts';
import { builtinResources } from '../api/registry/builtin/index.ts';
import { builtinTypes } from '../api/schema/index.ts';
import { defaulters } from '../api/defaults/index.ts';
import { validators } from '../api/validation/index.ts';
import type { ApiContext } from '../apiserver/rest/context.ts';
import { isStatusError } from '../api/status.ts';
import { buildExtensions } from '../apiserver/extensions.ts';
import type { ControllerManagerThreadOptions } from '../controllers/controller-manager-thread.ts';
import { ApiClient } from '../client/api-client.ts';
import { LeaderElector } from '../client/leader-election.ts';
import type { SchedulerThreadOptions } from '../scheduler/scheduler-thread.ts';
import { startComponentThread } from '../base/thread/component-thread.ts';
import { NodeAgent } from '../kubelet/index.ts';
import type { SimulatedNodesThreadOptions } from '../kubelet/sim/simulated-nodes-thread.ts';
import { priorityAdmission } from '../apiserver/admission/priority.ts';
import { defaultTolerationSeconds } from '../apiserver/admission/default-tolerations.ts';
import { defaultStorageClass } from '../apiserver/admission/default-storage-class.ts';
import { defaultIngressClass } from '../apiserver/admission/default-ingress-class.ts';
import { serviceAccountAdmission } from '../apiserver/admission/service-account.ts';
import { loadOrCreateSigningKey, DEFAULT_ISSUER } from '../apiserver/serviceaccount/index.ts';
import { CrdRegistrar } from '../apiserver/crd/index.ts';
import { ServiceAllocator, AllocationRepair, type PortRange } from '../apiserver/allocation/index.ts';
import { parseIpv4Cidr, nthAddress } from '../api/net/ipv4.ts';
import { ServiceProxy } from '../proxy/index.ts';
import { NetworkPolicyEnforcer } from '../netpol/index.ts';
import { ClusterDNS } from '../dns/index.ts';
import { publishClusterDNS } from './cluster-dns-service.ts';
import { IngressController } from '../ingress/index.ts';
import { ensureDefaultIngressClass, INGRESS_CLASS, INGRESS_CONTROLLER } from './ingress-class.ts';
import { policyTableName, serviceTableName } from './node-cleanup.ts';
import { advertiseAddress, kubernetesEndpoints } from './kubernetes-endpoints.ts';
import type { KubeObject } from '../api/registry/resource.ts';

export interface ControlPlaneOptions {
  dataDir: string;
  host: string;
  port: number;
  /** Where pods reach the API server (the `kubernetes` service's endpoint); see advertiseAddress. */
  advertiseAddress?: string;
  /** 'memory': SQLite in memory, for tests. */
  store: 'sqlite' | 'etcd' | 'memory';
  etcdEndpoints: string[];
  log: Logger;
  /** Which registered controllers run (default: all). */
  controllers?: string[];
  /** Run the scheduler (default true). */
  scheduler?: boolean;
  /** Simulated nodes to run in this process (0: none). */
  simulatedNodes?: number;
  /** Spread the simulated nodes over this many zones (0: no zone labels). */
  simulatedZones?: number;
  /** A silent node turns Unknown after this long (default 40 s, as upstream). */
  nodeMonitorGracePeriodMs?: number;
  /**
   * Run the ServiceAccount admission (default: when the serviceaccount controller runs, since it
   * makes the `default` accounts every pod needs; test clusters without it run without, as
   * upstream's integration tests disable the plugin).
   */
  serviceAccountAdmission?: boolean;
  /** Service cluster IP range (default 10.96.0.0/12); the first address goes to the `kubernetes` service. */
  serviceCIDR?: string;
  /** Node port range (default 30000-32767). */
  nodePortRange?: PortRange;
  /** Run the node agent for this machine (real containers on runc); absent: none. */
  agent?: {
    clusterCIDR: string; nodeName?: string; kubeletPort?: number; insecureRegistries?: string[];
    /** The ingress controller's ports on every address of the node (0: a free one); absent: no ingress controller. */
    ingress?: { httpPort: number; httpsPort: number };
  };
}

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';

/** Starts `start` whenever this process holds the named Lease; resolves once it first leads. */
function runElected(name: string, identity: string, config: { server: string; caPem: string; certPem: string; keyPem: string }, signal: AbortSignal, log: Logger, start: (leading: AbortSignal) => Promise<void>): Promise<void> {
  const client = new ApiClient({ ...config, userAgent: `navarch-${name}/leader-election` });
  signal.addEventListener('abort', () => client.close(), { once: true });
  const elector = new LeaderElector(client, { namespace: 'kube-system', name, identity }, log.with({ component: name }));
  return new Promise<void>((resolve) => {
    void elector.run(signal, async (leading) => { await start(leading); resolve(); });
  });
}

export class ControlPlane {
  readonly name = 'control-plane';
  readonly #opts: ControlPlaneOptions;
  #store: Store | undefined;
  #server: ApiServer | undefined;
  #stopped: Promise<void> = Promise.resolve();
  kubeconfigPath = '';
  url = '';

  constructor(opts: ControlPlaneOptions) { this.#opts = opts; }

  async start(signal: AbortSignal): Promise<void> {
    const { dataDir, log } = this.#opts;
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const pkiDir = join(dataDir, 'pki');
    const ca = await CertificateAuthority.loadOrCreate(pkiDir);
    const serviceCIDR = parseIpv4Cidr(this.#opts.serviceCIDR ?? DEFAULT_SERVICE_CIDR);
    if (!serviceCIDR) throw new Error(`service CIDR "${this.#opts.serviceCIDR}" is not an IPv4 CIDR`);
    const kubernetesServiceIP = nthAddress(serviceCIDR, 1);
    const advertise = advertiseAddress(this.#opts.host, this.#opts.advertiseAddress);
    // In-cluster clients connect to the kubernetes service's IP (KUBERNETES_SERVICE_HOST) or the advertised address.
    const sans = localSubjectAltNames([
      ...(this.#opts.host !== '0.0.0.0' && this.#opts.host !== '::' ? [this.#opts.host] : []), kubernetesServiceIP, ...(advertise ? [advertise] : []),
    ]);
    const serving = await loadOrIssue(pkiDir, 'apiserver', () => ca.issueServing(sans), (c) => coversNames(c, sans));
    const admin = await loadOrIssue(pkiDir, 'admin', () => ca.issueClient({ user: 'admin', groups: ['system:masters'] }));

    const store = this.#opts.store === 'etcd'
      ? await openStore({ kind: 'etcd', endpoints: this.#opts.etcdEndpoints })
      : await openStore({ kind: 'sqlite', dataDir: this.#opts.store === 'memory' ? ':memory:' : join(dataDir, 'db') });
    this.#store = store;
    const cache = new WatchCache(store, log.with({ component: 'watch-cache' }));
    const cacheAbort = new AbortController();
    await cache.start(cacheAbort.signal);

    const registry = new ApiRegistry(withStrategies(builtinResources, { defaults: defaulters, validators }));
    const withServiceAccounts = this.#opts.serviceAccountAdmission ?? (!this.#opts.controllers || this.#opts.controllers.includes('serviceaccount'));
    const serviceAllocator = new ServiceAllocator(store, cache, { serviceCIDR, nodePortRange: this.#opts.nodePortRange });
    const ctx: ApiContext = {
      store, cache, registry, defs: builtinTypes, log: log.with({ component: 'apiserver' }),
      admission: [namespaceLifecycle, ...(withServiceAccounts ? [serviceAccountAdmission] : []), priorityAdmission, defaultTolerationSeconds, defaultStorageClass, defaultIngressClass, limitRanger, resourceQuota],
      allocators: [serviceAllocator],
      now: () => new Date(),
    };
    const serviceAccountKey = await loadOrCreateSigningKey(pkiDir);
    // The API server's identity towards kubelets (pods/log, exec, attach, portforward), as kubeadm names it.
    const kubeletClient = await loadOrIssue(pkiDir, 'apiserver-kubelet-client', () => ca.issueClient({ user: 'kube-apiserver-kubelet-client', groups: ['system:masters'] }));
    const ext = buildExtensions(ctx, { kubeletClient: { certPem: kubeletClient.cert, keyPem: kubeletClient.key } });
    const server = new ApiServer({
      host: this.#opts.host, port: this.#opts.port, tls: { cert: serving.cert, key: serving.key, ca: ca.certPem },
      ctx, log: log.with({ component: 'apiserver' }), decoder: ext.decoder, extensions: ext.extensions,
      serviceAccountTokens: { key: serviceAccountKey, issuer: DEFAULT_ISSUER, audiences: [DEFAULT_ISSUER] },
    });
    this.#server = server;
    const serverAbort = new AbortController();
    await server.start(serverAbort.signal);
    await new CrdRegistrar(ctx, server.resourceStore).start(serverAbort.signal);
    const port = server.address!.port;
    const host = this.#opts.host === '0.0.0.0' || this.#opts.host === '::' ? '127.0.0.1' : this.#opts.host;
    this.url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

    await this.#bootstrap(server, ctx, kubernetesServiceIP, port, advertise);
    await new AllocationRepair(store, cache, log.with({ component: 'service-allocation-repair' })).start(serverAbort.signal);

    this.kubeconfigPath = join(dataDir, 'kubeconfig');
    const kc = renderKubeconfig({ server: this.url, caPem: ca.certPem, certPem: admin.cert, keyPem: admin.key, user: 'admin' });
    writeFileSync(this.kubeconfigPath + '.tmp', kc, { mode: 0o600 });
    renameSync(this.kubeconfigPath + '.tmp', this.kubeconfigPath);

    // Controllers and the scheduler are API clients with their own identity, even in this
    // process, and each runs only while it holds its Lease (two control planes, one leader).
    const cmAbort = new AbortController();
    // Stable per host and data dir, so a restarted server (even after kill -9) takes its own
    // leases back at once, while another control plane sharing the store stays a different candidate.
    const identity = `${hostname()}_${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)}`;
    const cmConfig = await this.clientConfig('system:kube-controller-manager');
    // The controllers and the scheduler each on a thread of their own: their work (reconciling,
    // scheduling cycles, decoding what they watch) uses the other core while this one serves the API.
    const cmThread = new URL('../controllers/controller-manager-thread.ts', import.meta.url);
    const cmOptions: ControllerManagerThreadOptions = {
      config: cmConfig, controllers: this.#opts.controllers,
      env: { nodeMonitorGracePeriodMs: this.#opts.nodeMonitorGracePeriodMs, localStorageDir: join(dataDir, 'storage') },
    };
    const elected: Promise<void>[] = [runElected('kube-controller-manager', identity, cmConfig, cmAbort.signal, log, async (signal) => {
      await startComponentThread(cmThread, cmOptions, signal, log);
    })];
    if (this.#opts.scheduler ?? true) {
      const schedConfig = await this.clientConfig('system:kube-scheduler');
      const schedulerThread = new URL('../scheduler/scheduler-thread.ts', import.meta.url);
      elected.push(runElected('kube-scheduler', identity, schedConfig, cmAbort.signal, log, async (signal) => {
        await startComponentThread(schedulerThread, { config: schedConfig } satisfies SchedulerThreadOptions, signal, log);
      }));
    }
    // A fresh cluster wins its leases at once; a restarted one may wait for old leases to expire.
    await Promise.race([Promise.all(elected), new Promise((r) => setTimeout(r, 3000))]);

    if (this.#opts.simulatedNodes) {
      // Simulated node agents, one identity for all (as kwok does), through the API like kubelets.
      // On a thread of their own too: a thousand nodes' heartbeats and pod status writes are client work.
      const simOptions: SimulatedNodesThreadOptions = {
        client: await this.clientConfig('system:node:simulated', ['system:nodes']), count: this.#opts.simulatedNodes,
        zones: this.#opts.simulatedZones || undefined,
      };
      await startComponentThread(new URL('../kubelet/sim/simulated-nodes-thread.ts', import.meta.url), simOptions, cmAbort.signal, log);
    }

    let agent: NodeAgent | undefined;
    let proxy: ServiceProxy | undefined;
    let policies: NetworkPolicyEnforcer | undefined;
    let dns: ClusterDNS | undefined;
    let ingress: IngressController | undefined;
    const agentAbort = new AbortController();
    if (this.#opts.agent) {
      const a = this.#opts.agent;
      const nodeName = (a.nodeName ?? hostname()).toLowerCase();
      // The kubelet's serving certificate, signed by the cluster CA for this machine's names and addresses.
      const kubeletSans = localSubjectAltNames([nodeName]);
      const kubeletServing = await loadOrIssue(pkiDir, 'kubelet-serving', () => ca.issueServing(kubeletSans), (c) => coversNames(c, kubeletSans));
      // The cluster DNS service takes the tenth address of the range, as kubeadm's kube-dns.
      const dnsIP = nthAddress(serviceCIDR, 10);
      agent = new NodeAgent({
        client: await this.clientConfig(`system:node:${nodeName}`, ['system:nodes']), dataDir, kubeletPort: a.kubeletPort,
        serving: { certPem: kubeletServing.cert, keyPem: kubeletServing.key, caPem: ca.certPem },
        clusterCIDR: a.clusterCIDR, serviceCIDR: this.#opts.serviceCIDR ?? DEFAULT_SERVICE_CIDR, nodeName, log: log.with({ component: 'kubelet' }), insecureRegistries: a.insecureRegistries,
        clusterDNS: [dnsIP],
      });
      await agent.start(agentAbort.signal);
      const dnsClient = await this.#componentClient('system:kube-dns', [], 'navarch-dns', agentAbort.signal);
      dns = new ClusterDNS({ client: dnsClient, host: agent.internalIP, port: 0, nameserverAddresses: [dnsIP], log: log.with({ component: 'cluster-dns' }) });
      await dns.start(agentAbort.signal);
      await publishClusterDNS(dnsClient, { serviceIP: dnsIP, address: dns.address!.host, port: dns.address!.port, nodeName }).catch((err) => log.error('publishing the kube-dns service failed; pods will not resolve cluster names', { err }));
      // The service proxy of this node: its own identity, as kube-proxy's.
      const proxyClient = await this.#componentClient('system:kube-proxy', ['system:node-proxier'], 'navarch-proxy', agentAbort.signal);
      proxy = new ServiceProxy({
        client: proxyClient, nodeName, table: serviceTableName(dataDir), clusterCIDR: a.clusterCIDR,
        localnetInterfaces: [agent.bridgeName], log: log.with({ component: 'service-proxy' }),
      });
      await proxy.start(agentAbort.signal);
      // NetworkPolicy on this node's pod traffic, as the policy controller k3s's agent embeds.
      const policyClient = await this.#componentClient('system:network-policy-controller', [], 'navarch-network-policy', agentAbort.signal);
      policies = new NetworkPolicyEnforcer({ client: policyClient, nodeName, table: policyTableName(dataDir), log: log.with({ component: 'network-policy' }) });
      await policies.start(agentAbort.signal);
      if (a.ingress) {
        const ingressClient = await this.#componentClient('system:ingress-controller', [], 'navarch-ingress', agentAbort.signal);
        await ensureDefaultIngressClass(ingressClient).catch((err) => log.error('creating the navarch IngressClass failed', { err }));
        ingress = new IngressController({
          client: ingressClient, http: { host: '0.0.0.0', port: a.ingress.httpPort }, https: { host: '0.0.0.0', port: a.ingress.httpsPort },
          className: INGRESS_CLASS, controllerName: INGRESS_CONTROLLER, statusAddresses: [agent.internalIP], log: log.with({ component: 'ingress' }),
        });
        try {
          await ingress.start(agentAbort.signal);
          log.info('ingress listening', { http: ingress.addresses.http?.port, https: ingress.addresses.https?.port });
        } catch (err) {
          // A busy port 80/443 (another web server) should not keep the cluster from starting.
          log.error('the ingress controller cannot listen; Ingresses will not be served (see --ingress-http-port, --disable-ingress)', { err });
          ingress = undefined;
        }
      }
    }

    this.#stopped = new Promise<void>((resolve) => {
      signal.addEventListener('abort', async () => {
        agentAbort.abort();
        await ingress?.stopped();
        await proxy?.stopped();
        await policies?.stopped();
        await dns?.stopped();
        await agent?.stopped();
        cmAbort.abort();
        serverAbort.abort();
        cacheAbort.abort();
        await store.close().catch(() => undefined);
        resolve();
      }, { once: true });
    });
    log.info('control plane ready', { url: this.url, kubeconfig: this.kubeconfigPath });
  }

  stopped(): Promise<void> { return this.#stopped; }

  /** An API client of an in-process component with its own identity, closed when signal aborts. */
  async #componentClient(user: string, groups: string[], userAgent: string, signal: AbortSignal): Promise<ApiClient> {
    const client = new ApiClient({ ...(await this.clientConfig(user, groups)), userAgent });
    signal.addEventListener('abort', () => client.close(), { once: true });
    return client;
  }

  /** A client identity for another in-process component (its own certificate, signed by the cluster CA). */
  async clientConfig(user: string, groups: string[] = []): Promise<{ server: string; caPem: string; certPem: string; keyPem: string }> {
    const ca = await CertificateAuthority.loadOrCreate(join(this.#opts.dataDir, 'pki'));
    const pair = await loadOrIssue(join(this.#opts.dataDir, 'pki'), `client-${user.replace(/[^a-z0-9-]/gi, '_')}`, () => ca.issueClient({ user, groups }));
    return { server: this.url, caPem: ca.certPem, certPem: pair.cert, keyPem: pair.key };
  }

  /** The namespaces every cluster has. */
  async #bootstrap(server: ApiServer, ctx: ApiContext, kubernetesServiceIP: string, securePort: number, advertise: string | undefined): Promise<void> {
    const createOnce = async (plural: string, namespace: string, obj: KubeObject) => {
      const desc = ctx.registry.lookup('', 'v1', plural)!;
      // Already there (a restart): a create would first claim the service's IP again and fail on that.
      if (await server.resourceStore.get(desc, namespace, obj.metadata.name).then(() => true, () => false)) return;
      try {
        await server.resourceStore.create(desc, namespace, obj, { dryRun: false });
      } catch (e) {
        if (!(isStatusError(e) && e.reason === 'AlreadyExists')) throw e;
      }
    };
    for (const name of [...IMMORTAL_NAMESPACES, 'kube-node-lease']) await createOnce('namespaces', '', { metadata: { name } });
    // The API server's own service, first address of the range, as upstream's apiserver creates it.
    await createOnce('services', 'default', {
      metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: kubernetesServiceIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: securePort }] },
    });
    if (!advertise) return;
    // Its endpoints: this server, at the port it listens on now (a restart may bind another).
    const { endpoints, slice } = kubernetesEndpoints(advertise, securePort);
    for (const [group, version, plural, obj] of [['', 'v1', 'endpoints', endpoints], ['discovery.k8s.io', 'v1', 'endpointslices', slice]] as const) {
      const desc = ctx.registry.lookup(group, version, plural)!;
      const current = await server.resourceStore.get(desc, 'default', 'kubernetes').catch(() => undefined);
      const wanted = { ...current, ...obj, metadata: { ...current?.metadata, ...obj.metadata } };
      if (!current) await server.resourceStore.create(desc, 'default', obj, { dryRun: false });
      // Unchanged (a restart on the same port): no write, no watch event.
      else if (JSON.stringify(wanted) !== JSON.stringify(current)) await server.resourceStore.update(desc, 'default', 'kubernetes', wanted, { dryRun: false });
    }
  }
}
