import { FormatError, UnsupportedLayerError } from "../../../ir/errors.js";
import { type Const, numbers } from "./const.js";
import type { Attr, ImportGraph, Node } from "./graph.js";

/**
 * Typed reads of a node's attributes and constant inputs, with ONNX's defaults, whose errors name the
 * node and what was received.
 */
export class NodeReader {
  constructor(
    readonly graph: ImportGraph,
    readonly node: Node,
  ) {}

  get where(): string {
    return this.graph.describe(this.node);
  }

  has(name: string): boolean {
    return name in this.node.attrs;
  }

  int(name: string, fallback?: number): number {
    const v = this.node.attrs[name];
    if (v === undefined) return this.missing(name, fallback);
    if (typeof v !== "number") throw this.bad(name, "an int", v);
    return v;
  }

  float(name: string, fallback?: number): number {
    return this.int(name, fallback);
  }

  ints(name: string, fallback?: number[]): number[] {
    const v = this.node.attrs[name];
    if (v === undefined) return this.missing(name, fallback);
    if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) throw this.bad(name, "a list of ints", v);
    return v as number[];
  }

  string(name: string, fallback?: string): string {
    const v = this.node.attrs[name];
    if (v === undefined) return this.missing(name, fallback);
    if (typeof v !== "string") throw this.bad(name, "a string", v);
    return v;
  }

  strings(name: string, fallback?: string[]): string[] {
    const v = this.node.attrs[name];
    if (v === undefined) return this.missing(name, fallback);
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw this.bad(name, "a list of strings", v);
    return v as string[];
  }

  /** Input i's name ("" when absent). */
  input(i: number): string {
    return this.node.inputs[i] ?? "";
  }

  /** Input i's constant value, undefined when the input is absent; throws when it is not constant. */
  constInput(i: number, what: string): Const | undefined {
    const name = this.input(i);
    if (!name) return undefined;
    const c = this.graph.constant(name);
    if (!c) {
      throw new UnsupportedLayerError(
        this.node.op,
        `${this.where}: its ${what} (input ${i}, '${name}') is computed at run time; Keras layers need it fixed. Received: a non-constant ${what}`,
        { file: this.graph.file },
      );
    }
    return c;
  }

  /** Input i as numbers, or `fallback` when absent. */
  constNumbers(i: number, what: string, fallback?: number[]): number[] | undefined {
    const c = this.constInput(i, what);
    return c ? numbers(c) : fallback;
  }

  /** An attribute in opsets before `since`, an input from it on (Reshape, Slice, Pad, Squeeze, ...). */
  intsAttrOrInput(name: string, input: number, since: number, fallback?: number[]): number[] | undefined {
    if (this.graph.opset < since || this.has(name)) return this.has(name) ? this.ints(name) : fallback;
    return this.constNumbers(input, name, fallback);
  }

  unsupported(detail: string): never {
    throw new UnsupportedLayerError(this.node.op, `${this.where}: ${detail}`, { file: this.graph.file });
  }

  private missing<T>(name: string, fallback: T | undefined): T {
    if (fallback !== undefined) return fallback;
    throw new FormatError(
      `${this.where} needs the attribute '${name}'. Received: attributes ${Object.keys(this.node.attrs).join(", ") || "none"}`,
      {
        file: this.graph.file,
      },
    );
  }

  private bad(name: string, want: string, got: Attr): FormatError {
    return new FormatError(
      `${this.where}: attribute '${name}' should be ${want}. Received: ${JSON.stringify(got)?.slice(0, 80)}`,
      {
        file: this.graph.file,
      },
    );
  }
}
