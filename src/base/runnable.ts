// Everything long-lived is a runnable: start(signal) resolves once it is ready and keeps
// running until the signal aborts; stop is the abort. Constructors start nothing.
export interface Runnable {
  readonly name: string;
  /** Start; resolves when ready to serve. Work continues until signal aborts. */
  start(signal: AbortSignal): Promise<void>;
  /** Resolves once fully stopped after the signal aborted. */
  stopped(): Promise<void>;
}

/** Invariant broken: a bug in Navarch, never the user's fault. */
export class BugError extends Error {
  constructor(message: string) { super(message); this.name = 'BugError'; }
}
