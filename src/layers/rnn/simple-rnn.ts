import { defineRecurrentLayer } from "./recurrent-layer.js";
import { recurrentWeightDefaults } from "./rnn-base.js";
import { simpleRnnStep } from "./simple-rnn-cell.js";

/**
 * `keras.layers.SimpleRNN(units, activation="tanh", use_bias=True, ..., activity_regularizer=None,
 * dropout=0.0, recurrent_dropout=0.0, return_sequences=False, return_state=False, go_backwards=False,
 * stateful=False, unroll=False, seed=None)`: variables under `simple_rnn_cell/`, one state.
 */
export const SimpleRNN = defineRecurrentLayer({
  className: "SimpleRNN",
  cellName: "simple_rnn_cell",
  defaults: { ...recurrentWeightDefaults, activity_regularizer: null },
  step: simpleRnnStep,
});
