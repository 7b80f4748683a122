// Why a pod fits no node, in upstream's words: "0/3 nodes are available: 1 node(s) had
// untolerated taint {…}, 2 Insufficient cpu. preemption: …". Reasons are counted over nodes,
// written "<count> <reason>", sorted as strings.
import type { Status } from './status.ts';

export interface Diagnosis {
  nodeToStatus: Map<string, Status>;
  /** Nodes absent from nodeToStatus count with this status. */
  absentNodesStatus?: Status;
  unschedulablePlugins: Set<string>;
  preFilterMsg: string;
  postFilterMsg: string;
}

export const newDiagnosis = (): Diagnosis => ({ nodeToStatus: new Map(), unschedulablePlugins: new Set(), preFilterMsg: '', postFilterMsg: '' });

export class FitError extends Error {
  readonly numAllNodes: number;
  readonly diagnosis: Diagnosis;

  constructor(numAllNodes: number, diagnosis: Diagnosis) {
    super();
    this.name = 'FitError';
    this.numAllNodes = numAllNodes;
    this.diagnosis = diagnosis;
  }

  override get message(): string { return fitErrorMessage(this.numAllNodes, this.diagnosis); }
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const counts = new Map<string, number>();
    for (const status of d.nodeToStatus.values()) for (const r of status.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    if (d.absentNodesStatus && d.nodeToStatus.size < numAllNodes) {
      for (const r of d.absentNodesStatus.reasons) counts.set(r, (counts.get(r) ?? 0) + numAllNodes - d.nodeToStatus.size);
    }
    // Go's sort.Strings: byte order, not locale order.
    const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (parts.length) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}
