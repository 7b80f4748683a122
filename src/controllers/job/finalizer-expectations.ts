// The pod UIDs whose tracking finalizer a Job's sync removed and whose removal the cache has
// not shown yet; those pods are skipped so they are not counted twice.
export class FinalizerExpectations {
  readonly #byJob = new Map<string, Set<string>>();

  expect(jobKey: string, uids: readonly string[]): void {
    let set = this.#byJob.get(jobKey);
    if (!set) this.#byJob.set(jobKey, (set = new Set()));
    for (const u of uids) set.add(u);
  }

  observed(jobKey: string, uid: string): void {
    const set = this.#byJob.get(jobKey);
    if (!set) return;
    set.delete(uid);
    if (set.size === 0) this.#byJob.delete(jobKey);
  }

  expected(jobKey: string): ReadonlySet<string> { return new Set(this.#byJob.get(jobKey) ?? []); }
  forget(jobKey: string): void { this.#byJob.delete(jobKey); }
}
