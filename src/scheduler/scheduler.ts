// The scheduler as a runnable: informers feed the cache (bound pods, nodes) and the queue
// (pending pods of its profiles); one loop pops a pod, runs the scheduling cycle, assumes the
// pod on the chosen node and starts its binding cycle without waiting for it.
import { ApiClient, ApiEventRecorder, InformerFactory, type ClientConfig, type KubeObject, type ResourceRef } from '../client/index.ts';
import type { Logger, Runnable } from '../base/index.ts';
import type { Labels } from '../api/selectors/index.ts';
import { SchedulerCache } from './cache/cache.ts';
import { SchedulingQueue } from './queue/scheduling-queue.ts';
import { Framework } from './framework/framework.ts';
import { CycleState } from './framework/cycle-state.ts';
import { FitError } from './framework/fit-error.ts';
import { assignedPodUpdateActions, nodeUpdateActions, type ClusterEvent, type ClusterEventSpec } from './framework/events.ts';
import type { PluginFactory, Profile, QueuedPodInfo } from './framework/interface.ts';
import { podInfoOf, podKey } from './framework/pod-info.ts';
import { PodScheduler } from './schedule-pod.ts';
import { defaultProfile, DEFAULT_SCHEDULER_NAME, pluginRegistry } from './plugins/registry.ts';

const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const NAMESPACES: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const PDBS: ResourceRef = { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', namespaced: true };

export interface SchedulerOptions {
  profiles?: Profile[];
  registry?: ReadonlyMap<string, PluginFactory>;
  /** 0: upstream's adaptive share of nodes to filter before scoring. */
  percentageOfNodesToScore?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const isAssigned = (pod: KubeObject) => !!pod.spec?.nodeName;
const isTerminal = (pod: KubeObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const withKind = (pod: KubeObject) => ({ ...pod, kind: 'Pod', apiVersion: 'v1' });

export class Scheduler implements Runnable {
  readonly name = 'scheduler';
  readonly #config: ClientConfig;
  readonly #log: Logger;
  readonly #opts: SchedulerOptions;
  readonly cache = new SchedulerCache();
  #client: ApiClient | undefined;
  #queue: SchedulingQueue | undefined;
  #frameworks = new Map<string, Framework>();
  #podScheduler: PodScheduler;
  #recorder: ApiEventRecorder | undefined;
  #informers: InformerFactory | undefined;
  #bindings = new Set<Promise<void>>();
  #stopped: Promise<void> = Promise.resolve();
  /** Pods bound so far (benchmarks, metrics). */
  scheduledCount = 0;

  constructor(config: ClientConfig, log: Logger, opts: SchedulerOptions = {}) {
    this.#config = config;
    this.#log = log.with({ component: 'scheduler' });
    this.#opts = opts;
    this.#podScheduler = new PodScheduler(opts.percentageOfNodesToScore ?? 0);
  }

  get queue(): SchedulingQueue {
    if (!this.#queue) throw new Error('scheduler not started');
    return this.#queue;
  }

  async start(signal: AbortSignal): Promise<void> {
    const client = new ApiClient({ ...this.#config, userAgent: this.#config.userAgent ?? 'navarch-scheduler' });
    this.#client = client;
    const recorder = new ApiEventRecorder(client, DEFAULT_SCHEDULER_NAME, this.#log);
    this.#recorder = recorder;
    const informers = new InformerFactory(client, this.#log);
    this.#informers = informers;
    const pods = informers.informerFor(PODS);
    const nodes = informers.informerFor(NODES);
    const namespaces = informers.informerFor(NAMESPACES);
    const pdbs = informers.informerFor(PDBS);

    const env = {
      client, recorder, log: this.#log,
      nodes: () => this.cache.nodes(),
      node: (name: string) => this.cache.node(name),
      namespaceLabels: (ns: string): Labels | undefined => namespaces.get(ns)?.metadata?.labels,
      podDisruptionBudgets: () => pdbs.list(),
      nominatedPodsFor: (name: string) => this.#queue?.nominator.podsFor(name) ?? [],
    };
    const registry = this.#opts.registry ?? pluginRegistry;
    for (const profile of this.#opts.profiles ?? [defaultProfile]) this.#frameworks.set(profile.schedulerName, new Framework(profile, registry, env));
    const first = this.#frameworks.values().next().value!;
    const events = new Map<string, ClusterEventSpec[]>();
    for (const f of this.#frameworks.values()) for (const [k, v] of f.events()) events.set(k, v);
    const queue = new SchedulingQueue({ less: (a, b) => first.less(a, b), events, initialBackoffMs: this.#opts.initialBackoffMs, maxBackoffMs: this.#opts.maxBackoffMs });
    this.#queue = queue;

    nodes.addHandler({
      add: (n) => { this.cache.addNode(n); this.#event('Node', 'Add'); },
      update: (o, n) => {
        this.cache.updateNode(n);
        for (const a of nodeUpdateActions(o, n)) this.#event('Node', a);
      },
      delete: (n) => { this.cache.removeNode(n.metadata.name); this.#event('Node', 'Delete'); },
    });
    pods.addHandler({
      add: (p) => this.#onPodAdd(p),
      update: (o, p) => this.#onPodUpdate(o, p),
      delete: (p) => this.#onPodDelete(p),
    });

    await informers.start(signal);
    queue.run(signal);
    const loop = this.#loop(signal);
    this.#stopped = loop.then(async () => {
      await Promise.allSettled([...this.#bindings]);
      await recorder.flush();
      client.close();
    });
    this.#log.info('scheduler started', { profiles: [...this.#frameworks.keys()].join(',') });
  }

  stopped(): Promise<void> { return this.#stopped; }

  #event(resource: ClusterEvent['resource'], action: ClusterEvent['action']): void {
    this.#queue?.onEvent({ resource, action, label: `${resource}${action}` });
  }

  #responsible(pod: KubeObject): boolean {
    return this.#frameworks.has(pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME);
  }

  #onPodAdd(pod: KubeObject): void {
    if (isAssigned(pod)) {
      if (isTerminal(pod)) return;
      this.cache.addPod(pod);
      this.#queue!.nominator.delete(podKey(pod));
      this.#event('AssignedPod', 'Add');
    } else if (this.#responsible(pod) && !pod.metadata.deletionTimestamp) {
      this.#queue!.add(pod);
    }
  }

  #onPodUpdate(old: KubeObject, pod: KubeObject): void {
    const queue = this.#queue!;
    if (isAssigned(pod)) {
      if (isTerminal(pod)) {
        if (!isTerminal(old)) { this.cache.removePod(pod); this.#event('AssignedPod', 'Delete'); }
        return;
      }
      if (!isAssigned(old)) {
        queue.delete(pod);
        this.cache.addPod(pod);
        this.#event('AssignedPod', 'Add');
        return;
      }
      this.cache.updatePod(pod);
      for (const a of assignedPodUpdateActions(old, pod)) this.#event('AssignedPod', a);
      return;
    }
    if (!this.#responsible(pod) || this.cache.isAssumed(podKey(pod))) return;
    if (pod.metadata.deletionTimestamp) { queue.delete(pod); return; }
    queue.update(old, pod);
  }

  #onPodDelete(pod: KubeObject): void {
    if (isAssigned(pod)) {
      this.cache.removePod(pod);
      this.#event('AssignedPod', 'Delete');
    } else {
      this.#queue!.delete(pod);
    }
  }

  async #loop(signal: AbortSignal): Promise<void> {
    const queue = this.#queue!;
    while (!signal.aborted) {
      const q = await queue.pop();
      if (!q) return;
      try {
        await this.#scheduleOne(q);
      } catch (err) {
        this.#log.error('scheduling cycle failed', { pod: q.podInfo.key, err });
        queue.addUnschedulable(q, queue.schedulingCycle);
      }
      // Let informer events in between pods.
      await new Promise((r) => setImmediate(r));
    }
  }

  async #scheduleOne(q: QueuedPodInfo): Promise<void> {
    const queue = this.#queue!;
    const key = q.podInfo.key;
    const latest = this.#informers!.informerFor(PODS).get(key);
    if (!latest || isAssigned(latest) || latest.metadata.deletionTimestamp || latest.metadata.uid !== q.podInfo.pod.metadata.uid || this.cache.isAssumed(key)) {
      queue.done(key);
      return;
    }
    const pi = podInfoOf(latest);
    q.podInfo = pi;
    const fwk = this.#frameworks.get(latest.spec?.schedulerName || DEFAULT_SCHEDULER_NAME)!;
    const cycle = queue.schedulingCycle;
    const state = new CycleState();
    let nodeName: string;
    try {
      nodeName = this.#podScheduler.schedule(fwk, state, pi, this.cache.nodes()).nodeName;
    } catch (err) {
      if (!(err instanceof FitError)) { await this.#failed(fwk, q, cycle, err as Error, undefined); return; }
      const post = await fwk.runPostFilter(state, pi, err.diagnosis.nodeToStatus);
      if (post.status.code === 'Error') this.#log.warn('preemption failed', { pod: key, err: post.status.message() });
      else err.diagnosis.postFilterMsg = post.status.message();
      q.unschedulablePlugins = err.diagnosis.unschedulablePlugins;
      await this.#failed(fwk, q, cycle, err, post.nominatedNodeName);
      return;
    }

    // Assume: the next cycle sees the node's room taken while this pod binds.
    this.cache.assume(latest, nodeName);
    queue.nominator.delete(key);
    const reserve = fwk.runReserve(state, pi, nodeName);
    const permit = reserve.isSuccess() ? fwk.runPermit(state, pi, nodeName) : reserve;
    if (!permit.isSuccess()) {
      fwk.runUnreserve(state, pi, nodeName);
      this.cache.forget(key);
      await this.#failed(fwk, q, cycle, new Error(permit.message()), undefined);
      return;
    }
    queue.done(key);
    const binding = this.#bind(fwk, state, q, nodeName);
    this.#bindings.add(binding);
    void binding.finally(() => this.#bindings.delete(binding));
  }

  async #bind(fwk: Framework, state: CycleState, q: QueuedPodInfo, nodeName: string): Promise<void> {
    const pod = q.podInfo.pod;
    const key = q.podInfo.key;
    let status = await fwk.runPreBind(state, q.podInfo, nodeName);
    if (status.isSuccess()) status = await fwk.runBind(state, q.podInfo, nodeName);
    if (status.isSuccess()) {
      this.cache.finishBinding(key);
      this.scheduledCount++;
      this.#recorder!.event(withKind(pod), 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`);
      fwk.runPostBind(state, q.podInfo, nodeName);
      return;
    }
    fwk.runUnreserve(state, q.podInfo, nodeName);
    this.cache.forget(key);
    // The room the pod held is free again.
    this.#event('AssignedPod', 'Delete');
    const latest = this.#informers!.informerFor(PODS).get(key);
    if (!latest || isAssigned(latest) || latest.metadata.uid !== pod.metadata.uid) return;
    this.#queue!.add(latest);
    this.#log.debug('binding failed', { pod: key, node: nodeName, err: status.message() });
    this.#recorder!.event(withKind(latest), 'Warning', 'FailedScheduling', `Binding rejected: ${status.message()}`);
  }

  /** Records why the pod did not fit (event, PodScheduled=False, nomination) and re-queues it. */
  async #failed(fwk: Framework, q: QueuedPodInfo, cycle: number, err: Error, nominatedNodeName: string | undefined): Promise<void> {
    const queue = this.#queue!;
    const key = q.podInfo.key;
    const pod = this.#informers!.informerFor(PODS).get(key);
    if (!pod || isAssigned(pod) || pod.metadata.uid !== q.podInfo.pod.metadata.uid) { queue.done(key); return; }
    const fit = err instanceof FitError;
    if (!fit) q.unschedulablePlugins = new Set();
    const message = err.message;
    if (nominatedNodeName !== undefined) queue.nominator.set(q.podInfo, nominatedNodeName || undefined);
    queue.addUnschedulable(q, cycle);
    this.#recorder!.event(withKind(pod), 'Warning', 'FailedScheduling', message);
    const reason = fit ? 'Unschedulable' : 'SchedulerError';
    const current = (pod.status?.conditions ?? []).find((c: KubeObject) => c.type === 'PodScheduled');
    const conditionChanged = !current || current.status !== 'False' || current.reason !== reason || current.message !== message;
    const nominationChanged = nominatedNodeName !== undefined && (pod.status?.nominatedNodeName ?? '') !== nominatedNodeName;
    if (!conditionChanged && !nominationChanged) return;
    const status: KubeObject = {};
    if (conditionChanged) {
      status.conditions = [{
        type: 'PodScheduled', status: 'False', reason, message, lastProbeTime: null,
        lastTransitionTime: current?.status === 'False' ? current.lastTransitionTime : stamp(),
      }];
    }
    if (nominationChanged) status.nominatedNodeName = nominatedNodeName || null;
    try {
      await fwk.client.patch(PODS, pod.metadata.namespace, pod.metadata.name, { status }, 'strategic', 'status');
    } catch (e) {
      this.#log.debug('could not update pod status', { pod: key, err: e });
    }
  }
}
