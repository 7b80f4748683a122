// The outcome of a plugin at an extension point: a code with reasons, never a bare boolean.
// Unschedulable may be resolved by preemption; UnschedulableAndUnresolvable cannot.
export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Skip';

export class Status {
  readonly code: Code;
  readonly reasons: readonly string[];
  /** The plugin that returned it (set by the framework). */
  plugin = '';

  constructor(code: Code, ...reasons: string[]) {
    this.code = code;
    this.reasons = reasons;
  }

  static success(): Status { return SUCCESS; }
  static unschedulable(...reasons: string[]): Status { return new Status('Unschedulable', ...reasons); }
  static unresolvable(...reasons: string[]): Status { return new Status('UnschedulableAndUnresolvable', ...reasons); }
  static error(err: unknown): Status { return new Status('Error', err instanceof Error ? err.message : String(err)); }
  static skip(): Status { return new Status('Skip'); }

  isSuccess(): boolean { return this.code === 'Success'; }
  /** Unschedulable or UnschedulableAndUnresolvable: the pod does not fit, nothing broke. */
  isRejected(): boolean { return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable'; }
  message(): string { return this.reasons.join(', '); }

  withPlugin(name: string): Status {
    if (this === SUCCESS) return this;
    this.plugin = name;
    return this;
  }
}

const SUCCESS = Object.freeze(new Status('Success')) as Status;

/** Success when a plugin returns nothing. */
export const ok = (s: Status | undefined | void): Status => s ?? SUCCESS;
