// QueueSort: higher priority first, then the pod queued earlier.
import type { Plugin, PluginFactory, QueuedPodInfo } from '../../framework/interface.ts';

export const NAME = 'PrioritySort';

export const newPrioritySort: PluginFactory = (): Plugin => ({
  name: NAME,
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const pa = a.podInfo.priority;
    const pb = b.podInfo.priority;
    return pa > pb || (pa === pb && a.timestamp < b.timestamp);
  },
});
