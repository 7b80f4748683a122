// Data plugins keep for one pod's scheduling cycle (PreFilter computes, Filter and Score read).
// Preemption's dry runs clone it, so data that changes with the node's pods clones itself.
export interface StateData { clone(): StateData }

export class CycleState {
  readonly #data = new Map<string, StateData>();
  /** Plugins whose Filter (or Score) is skipped this cycle because PreFilter (PreScore) said Skip. */
  readonly skipFilter = new Set<string>();
  readonly skipScore = new Set<string>();

  /** PreFilter's narrowing of the nodes worth filtering (upstream's PreFilterResult); unset: all. */
  nodeNames: Set<string> | undefined;
  readonly narrowedBy: string[] = [];

  /** A PreFilter plugin says only these nodes can fit; several narrowings intersect. */
  restrictNodes(plugin: string, names: Iterable<string>): void {
    const next = new Set(names);
    this.nodeNames = this.nodeNames ? new Set([...this.nodeNames].filter((n) => next.has(n))) : next;
    this.narrowedBy.push(plugin);
  }

  read<T extends StateData>(key: string): T | undefined { return this.#data.get(key) as T | undefined; }
  write(key: string, data: StateData): void { this.#data.set(key, data); }

  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.#data) c.#data.set(k, v.clone());
    for (const s of this.skipFilter) c.skipFilter.add(s);
    for (const s of this.skipScore) c.skipScore.add(s);
    return c;
  }
}
