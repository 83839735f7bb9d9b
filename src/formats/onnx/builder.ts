import type { TypedArray, WeightData } from "../../ir/weights.js";
import { weightTensor } from "./deferred.js";
import type { OnnxAttribute, OnnxNode, OnnxTensor } from "./model.js";
import { DataType } from "./model.js";

/** Attribute constructors: ONNX attributes are typed, and 1.0 and 1 are different attributes. */
export const attr = {
  f: (value: number): OnnxAttribute => ({ type: "float", value }),
  i: (value: number | boolean): OnnxAttribute => ({ type: "int", value: Number(value) }),
  s: (value: string): OnnxAttribute => ({ type: "string", value }),
  floats: (value: number[]): OnnxAttribute => ({ type: "floats", value }),
  ints: (value: number[]): OnnxAttribute => ({ type: "ints", value }),
  strings: (value: string[]): OnnxAttribute => ({ type: "strings", value }),
};

export type Attributes = Record<string, OnnxAttribute | undefined>;

/**
 * Builds the node list of an ONNX graph: unique node and value names under a scope (the Keras layer's
 * path, so every node keeps its layer's name), initializers, and the opset-dependent forms of ops whose
 * signature changed between opsets 13 and 21 (reductions, Split, Squeeze).
 */
export class OnnxBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers = new Map<string, OnnxTensor>();
  /** The prefix of node and value names: the layer being emitted (`encoder/conv2d`). */
  scope = "";
  private readonly names = new Set<string>();
  private readonly constants = new Map<string, string>();

  constructor(readonly opset: number) {}

  /** Reserves a name (a graph input) so that nothing else takes it. */
  reserve(name: string): string {
    this.names.add(name);
    return name;
  }

  /** A fresh value or node name from a hint, `hint`, `hint_1`, ... */
  unique(hint: string): string {
    let name = hint;
    for (let k = 1; this.names.has(name); k++) name = `${hint}_${k}`;
    this.names.add(name);
    return name;
  }

  private scoped(hint: string): string {
    return this.unique(this.scope ? `${this.scope}/${hint}` : hint);
  }

  /** Adds a node; returns its output value names (`outputs` of them, 1 by default). */
  ops(opType: string, inputs: string[], attributes: Attributes = {}, outputs = 1): string[] {
    const name = this.scoped(opType);
    const outs = Array.from({ length: outputs }, (_, i) => this.unique(outputs === 1 ? `${name}:0` : `${name}:${i}`));
    const attrs: Record<string, OnnxAttribute> = {};
    for (const [k, v] of Object.entries(attributes)) if (v) attrs[k] = v;
    this.nodes.push({ name, opType, inputs, outputs: outs, attributes: attrs });
    return outs;
  }

  /** Adds a node with one output and returns it. */
  op(opType: string, inputs: string[], attributes: Attributes = {}): string {
    return this.ops(opType, inputs, attributes, 1)[0]!;
  }

  /** Adds an initializer named after the scope and the hint; returns its value name. */
  initializer(hint: string, dataType: number, dims: number[], data: TypedArray): string {
    const name = this.scoped(hint);
    this.initializers.set(name, { name, dataType, dims, data });
    return name;
  }

  /**
   * Adds a weight as a float32 initializer, transposed by `perm` and given `dims` (see weightTensor):
   * its values are laid out when the model is written, not now.
   */
  weight(hint: string, w: WeightData, perm?: number[], dims?: number[]): string {
    const name = this.scoped(hint);
    this.initializers.set(name, weightTensor(name, w, perm, dims));
    return name;
  }

  /** An int64 constant (shapes, axes, pads), shared by every node that uses the same values. */
  int64s(values: readonly number[], dims: number[] = [values.length]): string {
    const key = `i64:${dims.join("x")}:${values.join(",")}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.unique(`const_i64_${values.length <= 4 ? values.join("_").replace(/-/g, "m") : this.constants.size}`);
      this.initializers.set(name, {
        name,
        dataType: DataType.INT64,
        dims,
        data: BigInt64Array.from(values.map(BigInt)),
      });
      this.constants.set(key, name);
    }
    return name;
  }

  /** A float32 constant, shared like int64s; a scalar by default. */
  float32s(values: readonly number[], dims: number[] = values.length === 1 ? [] : [values.length]): string {
    const key = `f32:${dims.join("x")}:${values.join(",")}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.unique(
        `const_f32_${values.length === 1 ? String(values[0]).replace(/[-.]/g, "_") : this.constants.size}`,
      );
      this.initializers.set(name, { name, dataType: DataType.FLOAT, dims, data: Float32Array.from(values) });
      this.constants.set(key, name);
    }
    return name;
  }

  /** `ReduceX(x, axes)`: axes moved from an attribute to an input in opset 18 (ReduceSum: 13). */
  reduce(opType: string, x: string, axes: number[], keepdims: boolean): string {
    const asInput = opType === "ReduceSum" ? this.opset >= 13 : this.opset >= 18;
    if (asInput) return this.op(opType, [x, this.int64s(axes)], { keepdims: attr.i(keepdims) });
    return this.op(opType, [x], { axes: attr.ints(axes), keepdims: attr.i(keepdims) });
  }

  unsqueeze(x: string, axes: number[]): string {
    return this.op("Unsqueeze", [x, this.int64s(axes)]);
  }

  squeeze(x: string, axes: number[]): string {
    return this.op("Squeeze", [x, this.int64s(axes)]);
  }

  /** Splits `x` along `axis` into parts of the given sizes. */
  split(x: string, axis: number, sizes: number[]): string[] {
    return this.ops("Split", [x, this.int64s(sizes)], { axis: attr.i(axis) }, sizes.length);
  }

  transpose(x: string, perm: number[]): string {
    return this.op("Transpose", [x], { perm: attr.ints(perm) });
  }

  /** Reshape to a target in which 0 copies the input's dim and -1 is inferred (allowzero = 0). */
  reshape(x: string, shape: number[]): string {
    return this.op("Reshape", [x, this.int64s(shape)]);
  }

  /** `x[starts:ends:steps]` on the given axes. */
  slice(x: string, starts: number[], ends: number[], axes: number[], steps?: number[]): string {
    const inputs = [x, this.int64s(starts), this.int64s(ends), this.int64s(axes)];
    if (steps) inputs.push(this.int64s(steps));
    return this.op("Slice", inputs);
  }
}
