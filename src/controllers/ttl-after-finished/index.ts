// The TTL-after-finished controller: deletes finished Jobs once their ttlSecondsAfterFinished passes.
export { TtlAfterFinishedController, type TtlAfterFinishedOptions } from './ttl-after-finished-controller.ts';
