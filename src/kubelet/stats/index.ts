// Resource usage of the node and its containers, read from cgroups and /proc, for the usage
// report the node agent carries on its Lease (src/api/metrics).
export { StatsCollector, cpuQuantity, memoryQuantity, DEFAULT_STATS_INTERVAL_MS, type StatsCollectorOptions } from './stats-collector.ts';
export { CgroupReader, locateController, readCpuUsageNs, readWorkingSetBytes, workingSet, type CgroupReaderOptions, type ControllerLocation } from './cgroup-reader.ts';
export { readHostUsage, parseProcStatBusyNs, parseMeminfoWorkingSet, USER_HZ } from './host-usage.ts';
export { parseCgroupMounts, parseProcessCgroups, parseFlatKeyed, parseSingleValue, cgroupDir, type CgroupMount, type ProcessCgroup, type CgroupVersion } from './cgroup-files.ts';
export type { CgroupUsage, HostUsage, ContainerLister } from './usage-sample.ts';
