// One pod's sync (upstream's SyncPod / SyncTerminatingPod): makes the runtime match the pod —
// volumes, sandbox (network namespace + pinned IPC/UTS namespaces), images, init containers in order, app containers,
// restarts with back-off — then reports the pod's status; and for a pod being deleted, stops its
// containers within the grace period, frees what it held and deletes it from the API.
import { mkdir, writeFile, rm, readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiClient, EventRecorder, Informer, KubeObject, ResourceRef } from '../../client/index.ts';
import { isNotFound, isConflict } from '../../api/status.ts';
import type { Logger } from '../../base/log.ts';
import { DEFAULT_INSECURE_REGISTRIES, normalizeReference, type ImageStore, type ImageRecord } from '../images/index.ts';
import { imagePullCredentials, type RegistryCredential } from './image-pull-credentials.ts';
import type { PodNetwork } from '../network/index.ts';
import type { ContainerRuntime, ContainerStatus, SandboxStatus, Mount } from '../runtime/runtime.ts';
import type { HostFacts } from '../node/host-node.ts';
import { etcHosts, podHostname, resolvConf, type DnsSettings } from './pod-dns-files.ts';
import type { VolumeManager } from '../volumes/index.ts';
import {
  Backoff, backoffKey, checkBackoff, computePodActions, goDuration, containerArgv, containerEnvironment, containerLabels, containerResources,
  generatePodStatus, mergeImageEnv, sandboxLabels, NoCommandError, podCgroupResources,
  type EnvSources, type StartFailure,
} from './logic/index.ts';
import { applyParentCgroup, removeCgroupTree } from '../runtime/runc/cgroups.ts';
import type { HandlerRunner, ProbeManager } from '../probes/index.ts';
import { Quantity } from '../../api/quantity/index.ts';

const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
/** The sandbox label carrying the pod network's id for it (CNI container id). */
export const NETWORK_ID_LABEL = 'navarch.io/network-id';

export interface PodSyncOptions {
  client: ApiClient;
  runtime: ContainerRuntime;
  network: PodNetwork;
  images: ImageStore;
  /** Registries pulled from over plain HTTP besides loopback ones (`host:port`, `host`, `host:*`). */
  insecureRegistries?: string[];
  volumes: VolumeManager;
  events: EventRecorder;
  log: Logger;
  host: HostFacts;
  podsDir: string;
  /**
   * Volatile per-pod files, on the run directory's tmpfs: the pod's /etc/hosts, resolv.conf and
   * hostname, and its sandbox's IPs. They belong to the sandbox, which a reboot ends anyway.
   */
  podRunDir: string;
  logsDir: string;
  cgroupRoot: string;
  dns: DnsSettings;
  podByUid(uid: string): KubeObject | undefined;
  configMaps: Informer;
  secrets: Informer;
  services: Informer;
  probes?: ProbeManager;
  hooks?: HandlerRunner;
  requeueAfter(uid: string, ms: number): void;
}

const isLive = (c: ContainerStatus) => c.state === 'running' || c.state === 'created';

export class PodSync {
  readonly #o: PodSyncOptions;
  readonly #backoff = new Backoff();
  readonly #imageBackoff = new Backoff();
  /** Why the last start of a container failed, per pod uid + container name (upstream's reason cache). */
  readonly #failures = new Map<string, StartFailure>();
  /**
   * The last status we wrote per pod (and its JSON, to skip identical writes). It is the base of
   * the next status, as upstream's status manager keeps its own: the informer's copy of the pod
   * can lag behind our writes, and generating from it would flip fields back and forth.
   */
  readonly #lastStatus = new Map<string, string>();
  readonly #lastStatusObject = new Map<string, KubeObject>();
  readonly #memoryCapacity: number;
  /** Pods whose volumes failed to set up: their next sandbox waits for the volumes. */
  readonly #volumesFailed = new Set<string>();
  /** The sandbox's IPs per pod, as written or first read (a sync asks for them several times). */
  readonly #podIPsCache = new Map<string, string[]>();

  constructor(o: PodSyncOptions) {
    this.#o = o;
    this.#memoryCapacity = Number(Quantity.parse(o.host.capacity.memory).scaledValue(0));
  }

  async sync(uid: string): Promise<void> {
    const pod = this.#o.podByUid(uid);
    const sandboxes = await this.#o.runtime.listPodSandboxes({ podUid: uid });
    const containers = await this.#o.runtime.listContainers({ podUid: uid });
    if (!pod) {
      // Gone from the API (deleted by force, or by us after termination): free what is left.
      if (sandboxes.length || containers.length || this.#lastStatus.has(uid)) await this.#removePod(uid, sandboxes, containers, 0);
      return;
    }
    if (pod.metadata.deletionTimestamp) return this.#terminate(pod, sandboxes, containers);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return this.#stopFinished(pod, sandboxes, containers);
    return this.#syncRunning(pod, sandboxes, containers);
  }

  // ---- running pods ----

  async #syncRunning(pod: KubeObject, sandboxes: SandboxStatus[], containers: ContainerStatus[]): Promise<void> {
    const uid: string = pod.metadata.uid;
    const actions = computePodActions({ pod, sandboxes, containers, probeResults: this.#o.probes?.results });
    if (actions.killPod) {
      // A sandbox to replace, or nothing left to run: every container and the sandbox stop.
      await Promise.all(containers.filter(isLive).map((c) => this.#o.runtime.stopContainer(c.id, gracePeriod(pod))));
      for (const s of sandboxes.filter((x) => x.state === 'ready')) await this.#stopSandbox(s);
      if (!actions.createSandbox) {
        await this.#writeStatus(pod, ...(await this.#current(uid)), true);
        return;
      }
    }
    // A new sandbox is made while the volumes are set up, unless they failed for this pod before.
    const beside = actions.createSandbox && !this.#volumesFailed.has(uid);
    const volumesReady = this.#o.volumes.setUpPod(pod).then(() => true, () => false);
    const volumesFailed = async (made?: string) => {
      // The volume manager recorded a FailedMount event per failing volume; retry shortly. As
      // upstream, no sandbox stands while they fail: one made beside them goes again.
      this.#volumesFailed.add(uid);
      if (made) await this.#discardSandbox(uid, made);
      await this.#writeStatus(pod, ...(await this.#current(uid)));
      this.#o.requeueAfter(uid, 2000);
    };
    if (!beside && !(await volumesReady)) return volumesFailed();
    let sandboxId = actions.sandboxId;
    if (actions.createSandbox) {
      try {
        sandboxId = await this.#createSandbox(pod, actions.attempt);
      } catch (e) {
        await volumesReady;
        this.#o.events.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(e as Error).message}`);
        this.#o.requeueAfter(uid, 2000);
        await this.#writeStatus(pod, sandboxes, containers);
        return;
      }
    }
    if (beside && !(await volumesReady)) return volumesFailed(sandboxId);
    this.#volumesFailed.delete(uid);
    for (const k of actions.containersToKill) {
      if (k.message) this.#o.events.event(pod, 'Normal', 'Killing', k.message);
      await this.#stopContainer(pod, containers.find((c) => c.id === k.id), k.id, k.gracePeriodSeconds);
    }
    const specs: KubeObject[] = [
      ...actions.initContainersToStart.map((i) => pod.spec.initContainers[i]),
      ...actions.containersToStart.map((i) => pod.spec.containers[i]),
    ];
    for (const spec of specs) {
      if (!sandboxId) break;
      const started = await this.#startContainer(pod, sandboxId, spec, containers);
      // Init containers run one at a time: the next waits for this one to finish.
      if (!started && (pod.spec.initContainers ?? []).includes(spec)) break;
    }
    for (const i of actions.ephemeralContainersToStart) {
      if (!sandboxId) break;
      const spec: KubeObject = pod.spec.ephemeralContainers[i];
      // targetContainerName: share that container's PID namespace (kubectl debug --target).
      let targetContainerId: string | undefined;
      if (spec.targetContainerName) {
        const running = (await this.#o.runtime.listContainers({ podUid: uid })).filter((c) => c.name === spec.targetContainerName && c.state === 'running');
        targetContainerId = running.sort((a, b) => b.attempt - a.attempt)[0]?.id;
      }
      await this.#startContainer(pod, sandboxId, spec, containers, targetContainerId);
    }
    const [freshSandboxes, fresh] = await this.#current(uid);
    this.#o.probes?.syncPod(pod, fresh, await this.#podIPs(pod));
    await this.#writeStatus(pod, freshSandboxes, fresh);
    await this.#pruneDeadContainers(fresh);
  }

  async #current(uid: string): Promise<[SandboxStatus[], ContainerStatus[]]> {
    const sandboxes = await this.#o.runtime.listPodSandboxes({ podUid: uid });
    const containers = await this.#o.runtime.listContainers({ podUid: uid });
    return [sandboxes, containers];
  }

  async #createSandbox(pod: KubeObject, attempt: number): Promise<string> {
    const { runtime, network } = this.#o;
    const uid: string = pod.metadata.uid;
    const hostNetwork = pod.spec?.hostNetwork === true;
    const ref = { namespace: pod.metadata.namespace, name: pod.metadata.name, uid };
    const netId = `${uid.replace(/-/g, '')}-${attempt}`;
    const hostPorts = allContainers(pod).flatMap((c) => (c.ports ?? []).filter((p: KubeObject) => p.hostPort).map((p: KubeObject) => ({
      containerPort: p.containerPort, hostPort: p.hostPort, protocol: p.protocol ?? 'TCP', hostIP: p.hostIP || undefined,
    })));
    // The pod's own cgroup and its limits (upstream's pod cgroup), which its containers nest under.
    await applyParentCgroup(this.#podCgroup(uid), podCgroupResources(pod));
    // The pod network and the sandbox are made side by side; the sandbox waits for the namespace only where it must.
    const networkSetUp = hostNetwork
      ? Promise.resolve({ ips: [this.#o.host.internalIP] })
      : network.setUp({ id: netId, namespace: ref.namespace, name: ref.name, uid, hostPorts });
    const sandboxRun = runtime.runPodSandbox({
      pod: ref, attempt, hostname: podHostname(pod), hostNetwork, hostPID: pod.spec?.hostPID === true,
      netnsPath: hostNetwork ? undefined : network.netnsPathOf(netId), netnsReady: networkSetUp.catch(() => undefined),
      hostIPC: pod.spec?.hostIPC === true, shareProcessNamespace: pod.spec?.shareProcessNamespace === true,
      cgroupParent: this.#podCgroup(uid), labels: { ...sandboxLabels(pod), [NETWORK_ID_LABEL]: hostNetwork ? '' : netId },
    });
    const [net, sandbox] = await Promise.allSettled([networkSetUp, sandboxRun]);
    try {
      if (net.status === 'rejected') throw net.reason;
      if (sandbox.status === 'rejected') throw sandbox.reason;
      const { ips } = net.value;
      const runDir = join(this.#o.podRunDir, uid);
      await mkdir(runDir, { recursive: true });
      await writeFile(join(runDir, 'hosts'), hostNetwork ? readText('/etc/hosts') : etcHosts(pod, ips, this.#o.dns.clusterDomain));
      await writeFile(join(runDir, 'resolv.conf'), resolvConf(pod, this.#o.dns));
      await writeFile(join(runDir, 'hostname'), `${hostNetwork ? this.#o.host.name : podHostname(pod)}\n`);
      await writeFile(join(runDir, 'network.json'), JSON.stringify({ netId, ips }));
      this.#podIPsCache.set(uid, ips);
      return sandbox.value;
    } catch (e) {
      if (sandbox.status === 'fulfilled') await runtime.removePodSandbox(sandbox.value).catch(() => undefined);
      if (!hostNetwork) await network.tearDown(netId).catch(() => undefined);
      throw e;
    }
  }

  /** Absolute (from each hierarchy's root): a relative path would nest under the agent's own cgroup. */
  #podCgroup(uid: string): string { return `/${this.#o.cgroupRoot}/pod${uid}`; }

  async #podIPs(pod: KubeObject): Promise<string[]> {
    if (pod.spec?.hostNetwork) return [this.#o.host.internalIP];
    const uid: string = pod.metadata.uid;
    const cached = this.#podIPsCache.get(uid);
    if (cached) return cached;
    try {
      const ips: string[] = JSON.parse(await readFile(join(this.#o.podRunDir, uid, 'network.json'), 'utf8')).ips ?? [];
      this.#podIPsCache.set(uid, ips);
      return ips;
    } catch {
      return [];
    }
  }

  /** The image for a container, pulling it as its policy says; undefined (and a recorded failure) when not there. */
  async #ensureImage(pod: KubeObject, spec: KubeObject): Promise<ImageRecord | undefined> {
    const uid: string = pod.metadata.uid;
    const key = backoffKey(uid, spec.name);
    const image: string = spec.image;
    // Pull back-off is per pod and image, as upstream keys it.
    const pullKey = backoffKey(uid, image);
    const policy: string = spec.imagePullPolicy ?? 'IfNotPresent';
    // A failed step: the waiting reason and message, upstream's `Error: <reason>` event, and a
    // retry (the kubelet's pod worker also retries a failed sync after about 10 s).
    const fail = (reason: string, message: string, retryMs: number): undefined => {
      this.#failures.set(key, { reason, message });
      this.#o.events.event(pod, 'Warning', 'Failed', `Error: ${reason}`);
      this.#o.requeueAfter(uid, Math.max(100, retryMs));
      return undefined;
    };
    try {
      normalizeReference(image);
    } catch (e) {
      const message = `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${(e as Error).message}`;
      this.#o.events.event(pod, 'Warning', 'InspectFailed', message);
      return fail('InvalidImageName', message, 10_000);
    }
    // Always pulls without looking at what the node has (a failed pull fails even with the image present).
    const present = policy === 'Always' ? undefined : await this.#o.images.get(image).catch(() => undefined);
    if (present) {
      this.#o.events.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return present;
    }
    if (policy === 'Never') {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      this.#o.events.event(pod, 'Warning', 'ErrImageNeverPull', message);
      return fail('ErrImageNeverPull', message, 10_000);
    }
    if (this.#imageBackoff.isInBackOffSinceUpdate(pullKey)) {
      const message = `Back-off pulling image "${image}"`;
      this.#o.events.event(pod, 'Normal', 'BackOff', message);
      // The waiting message carries the last pull's error (1.32+).
      const last = this.#failures.get(key);
      const detailed = last?.reason === 'ErrImagePull' ? `${message}: ErrImagePull: ${last.message}` : last?.reason === 'ImagePullBackOff' ? last.message : message;
      return fail('ImagePullBackOff', detailed, this.#imageBackoff.nextRetryAt(pullKey) - Date.now());
    }
    let credentials: RegistryCredential[];
    try {
      const found = imagePullCredentials(pod, image, (ns, name) => this.#o.secrets.get(`${ns}/${name}`));
      if (found.missingSecrets.length) {
        this.#o.events.event(pod, 'Warning', 'FailedToRetrieveImagePullSecret', `Unable to retrieve some image pull secrets (${found.missingSecrets.join(', ')}); attempting to pull the image may not succeed.`);
      }
      credentials = found.credentials;
    } catch (e) {
      // As upstream, an unreadable docker config Secret is itself the reason.
      const message = (e as Error).message;
      return fail(message, message, 10_000);
    }
    this.#o.events.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const started = Date.now();
    const insecureRegistries = [...DEFAULT_INSECURE_REGISTRIES, ...(this.#o.insecureRegistries ?? [])];
    const errors: string[] = [];
    // Each matching credential in turn until one works, none when none match (upstream's PullImage).
    for (const c of credentials.length ? credentials : [undefined]) {
      try {
        const record = await this.#o.images.pull(image, { username: c?.username, password: c?.password, insecureRegistries });
        this.#imageBackoff.reset(pullKey);
        const took = goDuration(Date.now() - started);
        this.#o.events.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${record.size} bytes.`);
        return record;
      } catch (e) {
        const message = (e as Error).message;
        if (!errors.includes(message)) errors.push(message);
      }
    }
    // Several distinct failures read as upstream's aggregate error: [a, b].
    const message = errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
    this.#imageBackoff.next(pullKey);
    this.#o.events.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
    return fail('ErrImagePull', message, this.#imageBackoff.nextRetryAt(pullKey) - Date.now());
  }

  /** Creates and starts one container; false when it could not (the failure is recorded for the status). */
  async #startContainer(pod: KubeObject, sandboxId: string, spec: KubeObject, containers: ContainerStatus[], targetContainerId?: string): Promise<boolean> {
    const uid: string = pod.metadata.uid;
    const key = backoffKey(uid, spec.name);
    const back = checkBackoff(pod, spec.name, containers, this.#backoff);
    if (back.inBackoff) {
      this.#failures.set(key, back.failure);
      this.#o.events.event(pod, 'Warning', 'BackOff', back.eventMessage);
      this.#o.requeueAfter(uid, Math.max(100, back.retryAt - Date.now()));
      return false;
    }
    const image = await this.#ensureImage(pod, spec);
    if (!image) return false;
    const attempt = containers.filter((c) => c.name === spec.name).reduce((n, c) => Math.max(n, c.attempt + 1), 0);
    const podIPs = await this.#podIPs(pod);
    let env: string[];
    let args: string[];
    let mounts: Mount[];
    try {
      const sources: EnvSources = {
        configMap: (ns, name) => this.#o.configMaps.get(`${ns}/${name}`),
        secret: (ns, name) => this.#o.secrets.get(`${ns}/${name}`),
        services: (ns) => this.#o.services.list().filter((s) => s.metadata.namespace === ns || (s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes')),
      };
      const environment = containerEnvironment({
        pod, container: spec, sources, podIPs, hostIPs: [this.#o.host.internalIP], nodeAllocatable: { cpu: this.#o.host.capacity.cpu, memory: this.#o.host.capacity.memory },
      });
      for (const e of environment.events) this.#o.events.event(pod, e.type, e.reason, e.message);
      args = containerArgv(spec, { entrypoint: image.config.entrypoint, cmd: image.config.cmd }, environment.env);
      env = mergeImageEnv(image.config.env ?? [], environment.env);
      mounts = [...await this.#o.volumes.mountsFor(pod, spec, env), ...this.#podFileMounts(pod)];
    } catch (e) {
      const message = (e as Error).message;
      const reason = e instanceof NoCommandError ? 'CreateContainerError' : 'CreateContainerConfigError';
      this.#failures.set(key, { reason, message });
      this.#o.events.event(pod, 'Warning', 'Failed', `Error: ${message}`);
      this.#o.requeueAfter(uid, 2000);
      return false;
    }
    const logPath = join(this.#o.logsDir, `${pod.metadata.namespace}_${pod.metadata.name}_${uid}`, spec.name, `${attempt}.log`);
    const podSc: KubeObject = pod.spec?.securityContext ?? {};
    const sc: KubeObject = spec.securityContext ?? {};
    let id: string | undefined;
    try {
      id = await this.#o.runtime.createContainer({
        sandboxId, name: spec.name, attempt, imageId: image.id, imageRef: spec.image, args, env,
        workingDir: spec.workingDir || image.config.workingDir || '/', imageUser: image.config.user,
        tty: spec.tty === true, stdin: spec.stdin === true, stdinOnce: spec.stdinOnce === true, mounts,
        resources: containerResources(pod, spec, { memoryCapacityBytes: this.#memoryCapacity }),
        security: {
          runAsUser: sc.runAsUser ?? podSc.runAsUser, runAsGroup: sc.runAsGroup ?? podSc.runAsGroup,
          supplementalGroups: [...(podSc.supplementalGroups ?? []), ...(podSc.fsGroup !== undefined ? [podSc.fsGroup] : [])],
          privileged: sc.privileged, readOnlyRootFilesystem: sc.readOnlyRootFilesystem, allowPrivilegeEscalation: sc.allowPrivilegeEscalation,
          capabilitiesAdd: sc.capabilities?.add, capabilitiesDrop: sc.capabilities?.drop,
        },
        logPath, labels: containerLabels(pod, spec, attempt), targetContainerId,
      });
      this.#o.events.event(pod, 'Normal', 'Created', `Created container ${spec.name}`);
      await this.#o.runtime.startContainer(id);
      this.#failures.delete(key);
      this.#o.events.event(pod, 'Normal', 'Started', `Started container ${spec.name}`);
      const postStart = spec.lifecycle?.postStart;
      if (postStart && this.#o.hooks) {
        // As upstream: the container counts as started only once its postStart hook finished.
        const failure = await this.#o.hooks.run(pod, spec, id, postStart, podIPs[0] ?? '');
        if (failure) {
          this.#o.events.event(pod, 'Warning', 'FailedPostStartHook', failure);
          this.#o.events.event(pod, 'Normal', 'Killing', `FailedPostStartHook`);
          await this.#o.runtime.stopContainer(id, gracePeriod(pod));
          this.#failures.set(key, { reason: 'PostStartHookError', message: failure });
          return false;
        }
      }
      return true;
    } catch (e) {
      const message = (e as Error).message;
      this.#failures.set(key, { reason: id ? 'RunContainerError' : 'CreateContainerError', message });
      this.#o.events.event(pod, 'Warning', 'Failed', `Error: ${message}`);
      this.#o.requeueAfter(uid, 2000);
      return false;
    }
  }

  /** /etc/hosts, /etc/resolv.conf and /etc/hostname, shared by the pod's containers. */
  #podFileMounts(pod: KubeObject): Mount[] {
    const dir = join(this.#o.podRunDir, pod.metadata.uid);
    return ['hosts', 'resolv.conf', 'hostname'].map((f) => ({ hostPath: join(dir, f), containerPath: `/etc/${f}`, readOnly: false, file: true }));
  }

  // ---- status ----

  async #writeStatus(pod: KubeObject, sandboxes: SandboxStatus[], containers: ContainerStatus[], podIsTerminal = false): Promise<void> {
    const uid: string = pod.metadata.uid;
    const status = generatePodStatus({
      pod, sandboxes, containers, podIPs: await this.#podIPs(pod), hostIPs: [this.#o.host.internalIP],
      probeResults: this.#o.probes?.results, startFailure: (name) => this.#failures.get(backoffKey(uid, name)),
      podIsTerminal, now: new Date(), previousStatus: this.#lastStatusObject.get(uid),
    });
    const text = JSON.stringify(status);
    if (this.#lastStatus.get(uid) === text) return;
    try {
      await this.#o.client.patch(PODS, pod.metadata.namespace, pod.metadata.name, { metadata: { uid }, status }, 'strategic', 'status');
      this.#lastStatus.set(uid, text);
      this.#lastStatusObject.set(uid, status);
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }

  // ---- finishing and termination ----

  /** A pod that reached Succeeded/Failed keeps nothing running and no network. */
  async #stopFinished(pod: KubeObject, sandboxes: SandboxStatus[], containers: ContainerStatus[]): Promise<void> {
    await Promise.all(containers.filter(isLive).map((c) => this.#o.runtime.stopContainer(c.id, gracePeriod(pod))));
    for (const s of sandboxes.filter((x) => x.state === 'ready')) await this.#stopSandbox(s);
  }

  async #terminate(pod: KubeObject, sandboxes: SandboxStatus[], containers: ContainerStatus[]): Promise<void> {
    const grace = pod.metadata.deletionGracePeriodSeconds ?? gracePeriod(pod);
    const running = containers.filter(isLive);
    for (const c of running) this.#o.events.event(pod, 'Normal', 'Killing', `Stopping container ${c.name}`);
    await Promise.all(running.map((c) => this.#stopContainer(pod, c, c.id, grace)));
    for (const s of sandboxes.filter((x) => x.state === 'ready')) await this.#stopSandbox(s);
    const [afterSandboxes, after] = await this.#current(pod.metadata.uid);
    await this.#writeStatus(pod, afterSandboxes, after, true).catch(() => undefined);
    await this.#removePod(pod.metadata.uid, afterSandboxes, after, 0);
    try {
      await this.#o.client.delete(PODS, pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }

  /** Runs the container's preStop hook (within the grace period), then stops it with what is left of it. */
  async #stopContainer(pod: KubeObject, status: ContainerStatus | undefined, id: string, graceSeconds: number): Promise<void> {
    const spec = status && allContainers(pod).find((c) => c.name === status.name);
    const preStop = spec?.lifecycle?.preStop;
    let grace = graceSeconds;
    if (preStop && this.#o.hooks && status?.state === 'running' && grace > 0) {
      const started = Date.now();
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), grace * 1000);
      const failure = await this.#o.hooks.run(pod, spec, id, preStop, (await this.#podIPs(pod))[0] ?? '', abort.signal);
      clearTimeout(timer);
      if (failure) this.#o.events.event(pod, 'Warning', 'FailedPreStopHook', failure);
      // Upstream gives the container at least 2 s after the hook.
      grace = Math.max(2, grace - Math.floor((Date.now() - started) / 1000));
    }
    await this.#o.runtime.stopContainer(id, grace);
  }

  /** Stops and removes a sandbox just made, with its network (the pod reports no IP again). */
  async #discardSandbox(uid: string, id: string): Promise<void> {
    const s = (await this.#o.runtime.listPodSandboxes({ podUid: uid })).find((x) => x.id === id);
    if (s) await this.#stopSandbox(s).catch(() => undefined);
    await this.#o.runtime.removePodSandbox(id).catch(() => undefined);
    this.#podIPsCache.delete(uid);
    await rm(join(this.#o.podRunDir, uid, 'network.json'), { force: true });
  }

  async #stopSandbox(s: SandboxStatus): Promise<void> {
    await this.#o.runtime.stopPodSandbox(s.id);
    const netId = s.labels[NETWORK_ID_LABEL];
    if (netId) await this.#o.network.tearDown(netId);
  }

  async #removePod(uid: string, sandboxes: SandboxStatus[], containers: ContainerStatus[], grace: number): Promise<void> {
    for (const c of containers) {
      if (isLive(c)) await this.#o.runtime.stopContainer(c.id, grace);
      await this.#o.runtime.removeContainer(c.id);
    }
    for (const s of sandboxes) {
      await this.#stopSandbox(s).catch((e) => this.#o.log.warn('could not stop pod sandbox', { uid, err: e }));
      await this.#o.runtime.removePodSandbox(s.id);
    }
    await this.#o.volumes.tearDownPod(uid);
    await this.#o.volumes.removePodDir(uid);
    await removeCgroupTree(this.#podCgroup(uid)).catch(() => undefined);
    await rm(join(this.#o.podsDir, uid), { recursive: true, force: true });
    await rm(join(this.#o.podRunDir, uid), { recursive: true, force: true });
    this.#lastStatus.delete(uid);
    this.#lastStatusObject.delete(uid);
    this.#volumesFailed.delete(uid);
    this.#podIPsCache.delete(uid);
    this.#o.probes?.removePod(uid);
    this.#backoff.forgetPod(uid);
    this.#imageBackoff.forgetPod(uid);
    for (const k of this.#failures.keys()) if (k.startsWith(`${uid}/`) || k.startsWith(`${uid}_`)) this.#failures.delete(k);
  }

  /** Keeps the newest attempt of each container and one exited attempt before it (for `logs --previous`). */
  async #pruneDeadContainers(containers: ContainerStatus[]): Promise<void> {
    const byName = new Map<string, ContainerStatus[]>();
    for (const c of containers) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
    for (const list of byName.values()) {
      const sorted = [...list].sort((a, b) => b.attempt - a.attempt);
      for (const c of sorted.slice(2)) if (c.state === 'exited') await this.#o.runtime.removeContainer(c.id).catch(() => undefined);
    }
  }
}

function allContainers(pod: KubeObject): KubeObject[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
}

function gracePeriod(pod: KubeObject): number {
  return pod.spec?.terminationGracePeriodSeconds ?? 30;
}

function readText(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch { return ''; }
}
