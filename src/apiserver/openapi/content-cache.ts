// Memoizes document builds by the content of their inputs: the same TypeDefs and resource
// descriptions (even as new or mutated-in-place objects) give back the same document
// without rebuilding it; any change to them builds anew.
import { createHash } from 'node:crypto';

const MAX_ENTRIES = 4;

export class ContentCache<T> {
  private readonly entries = new Map<string, T>();

  get(inputs: unknown[], build: () => T): T {
    // Functions (printer columns, defaulting) drop out of JSON, which is what we want: they
    // do not change the documents.
    const hash = createHash('sha256');
    for (const input of inputs) hash.update(JSON.stringify(input) ?? 'undefined').update('\0');
    const key = hash.digest('hex');
    let value = this.entries.get(key);
    if (value === undefined) {
      value = build();
      this.entries.set(key, value);
      if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    }
    return value;
  }
}
