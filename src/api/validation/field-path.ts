// A field path as upstream prints it: `spec.containers[0].ports[1].containerPort`, `metadata.labels[app]`.

export class FieldPath {
  readonly #text: string;
  private constructor(text: string) {
    this.#text = text;
  }
  /** A root path; more names are appended as children. */
  static of(name: string, ...more: string[]): FieldPath {
    return more.reduce((p, n) => p.child(n), new FieldPath(name));
  }
  child(name: string, ...more: string[]): FieldPath {
    const first = new FieldPath(this.#text === '' ? name : `${this.#text}.${name}`);
    return more.reduce((p, n) => p.child(n), first);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.#text}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.#text}[${k}]`);
  }
  toString(): string {
    return this.#text;
  }
}

/** The path a missing (nil) path renders as upstream, e.g. in label selector parse errors. */
export const NIL_PATH = '<nil>';
