import { FormatError } from "./errors.js";

/**
 * Read access to a layer's Keras config with the kind's defaults beneath it, and errors that name the
 * layer and what was received. The stored config is never modified: defaults are applied on read only,
 * so writing the layer back gives exactly what was read.
 */
export class LayerConfig {
  constructor(
    readonly raw: Record<string, unknown>,
    readonly defaults: Record<string, unknown>,
    /** "Dense 'dense_1'" — used in every message. */
    readonly where: string,
  ) {}

  has(key: string): boolean {
    return this.raw[key] !== undefined || this.defaults[key] !== undefined;
  }

  get(key: string): unknown {
    const v = this.raw[key];
    return v === undefined ? this.defaults[key] : v;
  }

  private fail(key: string, want: string): never {
    throw new FormatError(
      `${this.where}: config '${key}' must be ${want}. Received: ${key}=${JSON.stringify(this.get(key))}`,
    );
  }

  int(key: string): number {
    const v = this.get(key);
    if (typeof v !== "number" || !Number.isInteger(v)) this.fail(key, "an integer");
    return v;
  }

  /** A positive integer (units, filters, ...): Keras rejects zero and negatives at construction. */
  positiveInt(key: string): number {
    const v = this.int(key);
    if (v <= 0) this.fail(key, "a positive integer");
    return v;
  }

  number(key: string): number {
    const v = this.get(key);
    if (typeof v !== "number") this.fail(key, "a number");
    return v;
  }

  bool(key: string): boolean {
    const v = this.get(key);
    if (typeof v !== "boolean") this.fail(key, "true or false");
    return v;
  }

  string(key: string): string {
    const v = this.get(key);
    if (typeof v !== "string") this.fail(key, "a string");
    return v;
  }

  optionalInt(key: string): number | null {
    const v = this.get(key);
    if (v === null || v === undefined) return null;
    return this.int(key);
  }

  /** An int or a list of `n` ints (`kernel_size=3` means `(3, 3)` in Conv2D), as Keras's `standardize_tuple`. */
  tuple(key: string, n: number): number[] {
    const v = this.get(key);
    if (typeof v === "number" && Number.isInteger(v)) return Array(n).fill(v);
    if (Array.isArray(v) && v.length === n && v.every((x) => typeof x === "number" && Number.isInteger(x))) {
      return v as number[];
    }
    return this.fail(key, `an integer or a list of ${n} integers`);
  }

  /** A list of ints of any length, or a single int as a list of one. */
  intList(key: string): number[] {
    const v = this.get(key);
    if (typeof v === "number" && Number.isInteger(v)) return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isInteger(x))) return v as number[];
    return this.fail(key, "an integer or a list of integers");
  }

  /** A list of shape dims where null means unknown. */
  shape(key: string): (number | null)[] {
    const v = this.get(key);
    if (Array.isArray(v) && v.every((x) => x === null || (typeof x === "number" && Number.isInteger(x)))) {
      return v as (number | null)[];
    }
    return this.fail(key, "a list of integers or nulls");
  }

  oneOf<T extends string>(key: string, choices: readonly T[]): T {
    const v = this.get(key);
    if (typeof v === "string" && (choices as readonly string[]).includes(v.toLowerCase())) return v.toLowerCase() as T;
    return this.fail(key, `one of ${choices.map((c) => `"${c}"`).join(", ")}`);
  }
}

/**
 * The name a config gives for a serialized object: `"relu"`, `{"class_name": "ReLU", ...}` (Keras 2
 * activation objects), or `{"module": ..., "class_name": "function", "config": "relu"}` (Keras 3).
 */
export function serializedName(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (o.class_name === "function" && typeof o.config === "string") return o.config;
    if (typeof o.class_name === "string") return o.class_name;
  }
  return null;
}
