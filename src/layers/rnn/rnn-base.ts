import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext, WeightDecl } from "../../ir/kind.js";
import type { LayerConfig } from "../../ir/config.js";
import type { Shape } from "../../ir/shape.js";
import { formatShape } from "../../ir/shape.js";
import { checkInput } from "../input-spec.js";

/** What one step of a cell makes: its output `(batch, output_size)`, its states, its variables. */
export interface CellStep {
  output: Shape;
  states: Shape[];
  weights: WeightDecl[];
}

/** Keras's `RNN` constructor flags, which every recurrent layer's config carries. */
export const rnnFlagDefaults: Record<string, unknown> = {
  return_sequences: false,
  return_state: false,
  go_backwards: false,
  stateful: false,
  unroll: false,
  zero_output_for_mask: false,
};

/** Initializers, regularizers and constraints shared by SimpleRNN, LSTM and GRU (and their cells). */
export const recurrentWeightDefaults: Record<string, unknown> = {
  activation: "tanh",
  use_bias: true,
  kernel_initializer: "glorot_uniform",
  recurrent_initializer: "orthogonal",
  bias_initializer: "zeros",
  kernel_regularizer: null,
  recurrent_regularizer: null,
  bias_regularizer: null,
  kernel_constraint: null,
  recurrent_constraint: null,
  bias_constraint: null,
  dropout: 0.0,
  recurrent_dropout: 0.0,
};

/** `units`, or Keras 1's `output_dim` for the same thing. */
export function unitsOf(config: LayerConfig): number {
  const legacy = config.raw.units === undefined && config.raw.output_dim !== undefined;
  return config.positiveInt(legacy ? "output_dim" : "units");
}

/**
 * The sequences a recurrent layer is called on: the first input (Keras 2 also passes initial states
 * in the same list, `[x, h, c]`). Keras needs `(batch, timesteps, features...)`.
 */
export function sequencesOf(ctx: CallContext, ndim?: number): TensorSpec {
  const x = ctx.inputs[0];
  if (!x) return ctx.fail("expects a sequence input (batch, timesteps, features). Received: no input");
  checkInput(ctx, x, ndim !== undefined ? { ndim } : { minNdim: 3 });
  return x;
}

/** `(batch,) + sequences_shape[2:]`: what the cell sees at each step. */
export function stepInput(x: TensorSpec): TensorSpec {
  return { shape: [x.shape[0]!, ...x.shape.slice(2)], dtype: x.dtype };
}

/** The last axis of a step input, which sizes the input kernel; unknown means Keras cannot build. */
export function inputDim(ctx: CallContext, step: Shape): number {
  const d = step.at(-1);
  if (d === null || d === undefined) {
    ctx.fail(
      `the last dimension of the inputs must be known to build the kernel. Received: input_shape=${formatShape(step)}`,
    );
  }
  return d;
}

/**
 * `RNN.compute_output_shape`: the step output with the time axis when `return_sequences`, followed by
 * the states when `return_state`. `RNN.build` with `stateful=True` needs a static batch size.
 */
export function rnnOutputs(ctx: CallContext, x: TensorSpec, step: Pick<CellStep, "output" | "states">): Shape[] {
  const c = ctx.config;
  const [batch, steps] = [x.shape[0]!, x.shape[1]!];
  if (c.get("stateful") === true && batch === null) {
    ctx.fail(
      `When using \`stateful=True\` in a RNN, the batch size must be static. Found dynamic batch size: sequence.shape=${formatShape(x.shape)}`,
    );
  }
  const perStep = step.output.slice(1);
  const output = c.bool("return_sequences") ? [batch, steps, ...perStep] : [batch, ...perStep];
  return c.bool("return_state") ? [output, ...step.states.map((s) => [batch, ...s.slice(1)])] : [output];
}

/** Variables built by a sublayer appear under its name: `lstm_cell/kernel`. */
export function scoped(prefix: string, weights: readonly WeightDecl[]): WeightDecl[] {
  return weights.map((w) => ({ ...w, name: `${prefix}/${w.name}` }));
}

/** Keras's `to_snake_case`, its automatic layer names: `LSTMCell` → `lstm_cell`, `Conv2D` → `conv2d`. */
export function snakeName(className: string): string {
  return className
    .replace(/\W+/g, "")
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/** The name a serialized sublayer (`{"class_name", "config": {"name"}}`) will have. */
export function serializedLayerName(serialized: unknown): string {
  const s = (serialized ?? {}) as { class_name?: unknown; config?: { name?: unknown } };
  if (typeof s.config?.name === "string") return s.config.name;
  return typeof s.class_name === "string" ? snakeName(s.class_name) : "layer";
}
