// The plugin API: one Plugin type whose optional methods are the extension points it takes
// part in, in the order a scheduling cycle runs them. Plugins are pure over the cache; only
// PostFilter (preemption) and Bind talk to the API, through the Handle.
import type { ApiClient, EventRecorder, KubeObject } from '../../client/index.ts';
import type { Labels } from '../../api/selectors/index.ts';
import type { Logger } from '../../base/index.ts';
import type { CycleState } from './cycle-state.ts';
import type { ClusterEventSpec } from './events.ts';
import type { NodeInfo } from './node-info.ts';
import type { PodInfo } from './pod-info.ts';
import type { Status } from './status.ts';

export const MAX_NODE_SCORE = 100;

export interface NodeScore { name: string; score: number }

/** A pod waiting in the scheduling queue. */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When it was last added to the queue. */
  timestamp: number;
  /** When it was first added, for latency. */
  initialAttemptTimestamp: number;
  attempts: number;
  /** Plugins that rejected it last time; only their events move it back. */
  unschedulablePlugins: Set<string>;
  /** Backoff ends at this time (ms since epoch). */
  backoffExpiry: number;
}

export interface PostFilterResult { nominatedNodeName?: string; status: Status }

export interface Plugin {
  readonly name: string;
  /** Cluster events that may make a pod this plugin rejected schedulable. */
  events?(): ClusterEventSpec[];
  /** QueueSort: whether a comes before b in activeQ. */
  less?(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
  preFilter?(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): Status | void;
  /** PreFilter extensions: keep the PreFilter state right when preemption adds or removes a pod. */
  addPod?(state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo): void;
  removePod?(state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo): void;
  filter?(state: CycleState, pod: PodInfo, node: NodeInfo): Status | void;
  postFilter?(state: CycleState, pod: PodInfo, statuses: Map<string, Status>): Promise<PostFilterResult>;
  preScore?(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): Status | void;
  score?(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /** Scales the raw scores to 0..MAX_NODE_SCORE in place. */
  normalizeScore?(state: CycleState, pod: PodInfo, scores: NodeScore[]): void;
  reserve?(state: CycleState, pod: PodInfo, nodeName: string): Status | void;
  unreserve?(state: CycleState, pod: PodInfo, nodeName: string): void;
  permit?(state: CycleState, pod: PodInfo, nodeName: string): Status | void;
  preBind?(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status | void>;
  /** Skip passes the pod to the next bind plugin. */
  bind?(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status>;
  postBind?(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** What plugins may use of the scheduler. */
export interface Handle {
  readonly schedulerName: string;
  readonly client: ApiClient;
  readonly recorder: EventRecorder;
  readonly log: Logger;
  /** Nodes of the current cycle, in a stable order. */
  nodes(): NodeInfo[];
  node(name: string): NodeInfo | undefined;
  namespaceLabels(namespace: string): Labels | undefined;
  /** PodDisruptionBudgets, for preemption's choice of victims. */
  podDisruptionBudgets(): KubeObject[];
  /** Pods nominated to a node (by preemption), which the node must keep room for. */
  nominatedPodsFor(nodeName: string): PodInfo[];
  /** Runs every Filter plugin, counting pods nominated to the node of at least the pod's priority. */
  runFilterWithNominatedPods(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
  runPreFilterAddPod(state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo): void;
  runPreFilterRemovePod(state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo): void;
}

export type PluginFactory = (args: Record<string, unknown>, handle: Handle) => Plugin;

/** A scheduler profile: its name and the plugins it runs (each at every point it implements). */
export interface Profile {
  schedulerName: string;
  plugins: { name: string; weight?: number; args?: Record<string, unknown> }[];
}
