import type { LayerConfig } from "./config.js";
import type { ArgTree, DType, Layer, TensorSpec, WeightSpec } from "./graph.js";
import type { Shape } from "./shape.js";

/** What a layer kind sees when its layer is called: the config and the inputs' shapes and dtypes. */
export interface CallContext {
  readonly layer: Layer;
  readonly config: LayerConfig;
  /** Every input tensor in argument order (positional first), flattened. */
  readonly inputs: TensorSpec[];
  readonly args: ArgTree<TensorSpec>[];
  readonly kwargs: Record<string, ArgTree<TensorSpec>>;
  /** The dtype policy's compute dtype ("float32", "float16" under mixed_float16, ...). */
  readonly computeDtype: DType;
  /** The dtype policy's variable dtype. */
  readonly variableDtype: DType;
  /** `Dense 'dense_1'`: the layer as error messages name it. */
  readonly where: string;
  /** Throws a ShapeError naming the layer: "Dense 'dense_1': <message>". */
  fail(message: string): never;
  /**
   * Calls a layer serialized inside this one (the `layer` of TimeDistributed, Bidirectional's
   * forward and backward layers) on the given inputs: its outputs and the weights it would build.
   */
  inner(serialized: unknown, inputs: TensorSpec[], kwargs?: Record<string, ArgTree<TensorSpec>>): InnerResult;
}

export interface InnerResult {
  className: string;
  name: string;
  config: LayerConfig;
  outputs: TensorSpec[];
  weights: WeightSpec[];
}

/**
 * A weight as kinds declare it; the dtype defaults to the layer's variable dtype. A dimension that is
 * unknown (null/undefined) is reported as a ShapeError naming the layer when the layer is built.
 */
export type WeightDecl = Omit<WeightSpec, "dtype" | "trainable" | "shape"> & {
  shape: readonly (number | null | undefined)[];
  dtype?: DType;
  trainable?: boolean;
};

/**
 * Everything kerasgraph knows about one Keras layer class: its config defaults (Keras's, not tfjs's),
 * its output-shape rule and the variables its `build` creates.
 */
export interface LayerKind {
  /** Keras's class name, e.g. "Dense". */
  className: string;
  /** Other class names Keras accepts for the same layer (e.g. "GlobalMaxPool2D"). */
  aliases?: string[];
  /** Keras's constructor defaults, read beneath the stored config. */
  defaults: Record<string, unknown>;
  /** Output shapes (or specs, where the dtype is not the compute dtype) of one call. */
  outputs(ctx: CallContext): (Shape | TensorSpec)[];
  /** The variables `build` creates on the first call, in Keras's creation order. */
  weights?(ctx: CallContext): (WeightDecl | false | null | undefined)[];
}

/**
 * Finds the kind for a class name; throws UnsupportedLayerError for an unknown one. `module` tells Keras 3
 * operations (`keras.src.ops.numpy` `Add`, from `x + 3` in a functional model) from layers of the same
 * class name.
 */
export type KindResolver = (
  className: string,
  where?: { layer?: string; registeredName?: string | null; module?: string | null },
) => LayerKind;
