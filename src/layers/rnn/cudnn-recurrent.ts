import type { LayerKind } from "../../ir/kind.js";
import { defineLayer } from "../define.js";
import { inputDim, rnnOutputs, sequencesOf, stepInput, unitsOf } from "./rnn-base.js";

/**
 * Keras 2's GPU-only `CuDNNLSTM` / `CuDNNGRU` (`keras.layers.CuDNNLSTM(units, kernel_initializer=
 * "glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros", unit_forget_bias=True,
 * ..., return_sequences=False, return_state=False, go_backwards=False, stateful=False)`), still found in
 * old `.h5` files; Keras 3 has no such class. Variables sit on the layer itself (no cell) and the bias
 * holds the input and recurrent biases back to back: `(2 * gates * units,)`.
 */
export function defineCuDNNRecurrent(className: string, gates: 3 | 4, states: 1 | 2): LayerKind {
  return defineLayer({
    className,
    defaults: {
      return_sequences: false,
      return_state: false,
      go_backwards: false,
      stateful: false,
      kernel_initializer: "glorot_uniform",
      recurrent_initializer: "orthogonal",
      bias_initializer: "zeros",
      ...(gates === 4 ? { unit_forget_bias: true } : {}),
      kernel_regularizer: null,
      recurrent_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      recurrent_constraint: null,
      bias_constraint: null,
    },
    outputs(ctx) {
      const x = sequencesOf(ctx, 3);
      const units = unitsOf(ctx.config);
      const h = [x.shape[0]!, units];
      return rnnOutputs(ctx, x, { output: h, states: Array(states).fill(h) });
    },
    weights(ctx) {
      const units = unitsOf(ctx.config);
      return [
        { name: "kernel", shape: [inputDim(ctx, stepInput(sequencesOf(ctx, 3)).shape), gates * units] },
        { name: "recurrent_kernel", shape: [units, gates * units] },
        { name: "bias", shape: [2 * gates * units] },
      ];
    },
  });
}
