// Slow-start batches: create children in batches of 1, 2, 4, … so a systematic failure (quota,
// webhook, invalid template) costs one call instead of hundreds (upstream's slowStartBatch).
// Returns how many succeeded; stops at the first batch with a failure and rethrows it.
export async function slowStartBatch(count: number, initialBatchSize: number, fn: (index: number) => Promise<void>): Promise<number> {
  let remaining = count;
  let done = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, (_, i) => fn(done + i)));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    done += ok;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw Object.assign(failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason)), { succeeded: done });
    remaining -= batch;
  }
  return done;
}
