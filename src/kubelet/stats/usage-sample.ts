// The raw figures the stats read at one instant; rates come from two of them.

/** A cgroup's cumulative cpu time and current memory working set. */
export interface CgroupUsage {
  cpuNs: number;
  workingSetBytes: number;
}

/** The whole machine: cpu time spent busy since boot and memory in use. */
export interface HostUsage {
  cpuNs: number;
  workingSetBytes: number;
}

/** Enough of the container runtime to know what runs (RuncRuntime fits). */
export interface ContainerLister {
  listContainers(): Promise<Array<{ id: string; name: string; attempt: number; state: string; pid?: number; labels: Record<string, string> }>>;
}
