// Terminal size changes as an async iterable: the session pushes, the runtime iterates until
// the session ends.
import type { TerminalSize } from './streaming-runtime.ts';

export class ResizeQueue implements AsyncIterable<TerminalSize> {
  readonly #items: TerminalSize[] = [];
  #waiter: ((r: IteratorResult<TerminalSize>) => void) | undefined;
  #ended = false;

  push(size: TerminalSize): void {
    if (this.#ended) return;
    if (this.#waiter) { const w = this.#waiter; this.#waiter = undefined; w({ value: size, done: false }); } else this.#items.push(size);
  }

  end(): void {
    this.#ended = true;
    if (this.#waiter) { const w = this.#waiter; this.#waiter = undefined; w({ value: undefined, done: true }); }
  }

  /** Parses resize messages: one or more JSON objects {"Width":w,"Height":h}. */
  pushJSON(text: string): void {
    for (const m of text.matchAll(/\{[^{}]*\}/g)) {
      try {
        const o = JSON.parse(m[0]);
        const width = Number(o.Width ?? o.width), height = Number(o.Height ?? o.height);
        if (Number.isFinite(width) && Number.isFinite(height)) this.push({ width, height });
      } catch { /* a malformed size is dropped, as upstream's decoder would stop */ }
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<TerminalSize> {
    return {
      next: () => {
        const item = this.#items.shift();
        if (item) return Promise.resolve({ value: item, done: false });
        if (this.#ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => { this.#waiter = resolve; });
      },
      return: () => { this.end(); return Promise.resolve({ value: undefined, done: true }); },
    };
  }
}
