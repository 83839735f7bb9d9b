import * as tf from "@tensorflow/tfjs-core";
// Custom layers compute with tfjs on the CPU backend unless an executor chose another.
import "@tensorflow/tfjs-backend-cpu";
import { FormatError } from "../../ir/errors.js";
import type { DType, Layer as IrLayer } from "../../ir/graph.js";
import type { WeightData } from "../../ir/weights.js";
import { ShapeError } from "../../ir/errors.js";
import { initializers } from "../serialize/initializers.js";
import type { KerasObjectJson } from "../serialize/keras-object.js";

/**
 * One variable of a custom layer, as `self.add_weight(...)` returns in Keras. Inside `call`, `value`
 * is its current tfjs tensor: the one an executor bound (its training variable), or else one made from
 * the values the layer holds (loaded from a file or freshly initialized).
 */
export class Weight {
  private bound: tf.Tensor | null = null;
  private cached: { data: WeightData; tensor: tf.Tensor } | null = null;

  constructor(
    /** The IR layer whose `values` hold this weight's numbers. */
    private readonly owner: () => IrLayer,
    readonly name: string,
    readonly shape: number[],
    readonly dtype: DType,
    readonly trainable: boolean,
    readonly initializer: KerasObjectJson,
  ) {}

  /** Makes `tensor` this weight's value inside `call` (an executor's variable); null unbinds. */
  bind(tensor: tf.Tensor | null): void {
    this.bound = tensor;
  }

  /** The tensor `call` computes with. */
  get value(): tf.Tensor {
    if (this.bound) return this.bound;
    const layer = this.owner();
    const data = layer.values.get(this.name);
    if (!data) {
      throw new FormatError(
        `${layer.className} '${layer.name}': weight '${this.name}' has no values yet. Call the layer on a tensor first (it builds then).`,
      );
    }
    if (this.cached?.data !== data) {
      this.cached?.tensor.dispose();
      const values = data.values as Float32Array | Int32Array;
      this.cached = {
        data,
        tensor: tf.keep(tf.tensor(values, data.shape, this.dtype === "int32" ? "int32" : "float32")),
      };
    }
    return this.cached.tensor;
  }
}

/** `add_weight`'s arguments. */
export interface WeightArgs {
  shape: readonly (number | null)[];
  /** An initializer name ("glorot_uniform", the default) or `{className, config}`. */
  initializer?: unknown;
  trainable?: boolean;
  /** The weight's name within the layer (`variable`, `variable_1`, ... by default). */
  name?: string;
  dtype?: string;
}

/** A new weight for `add_weight`, named uniquely among `taken`; its shape must be fully known. */
export function declareWeight(
  owner: () => IrLayer,
  spec: WeightArgs,
  taken: readonly Weight[],
  context: { where: string; floatx: string },
): Weight {
  if (spec.shape.some((d) => typeof d !== "number" || !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`${context.where}: addWeight needs a fully known shape. Received: (${spec.shape.join(", ")})`);
  }
  const names = new Set(taken.map((w) => w.name));
  let name = spec.name ?? "variable";
  for (let i = 1; names.has(name); i++) name = `${spec.name ?? "variable"}_${i}`;
  const initializer = initializers.serialize(spec.initializer ?? "glorot_uniform", `${context.where} weight '${name}'`);
  return new Weight(
    owner,
    name,
    spec.shape as number[],
    spec.dtype ?? context.floatx,
    spec.trainable ?? true,
    initializer,
  );
}
