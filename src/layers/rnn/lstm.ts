import { lstmCellDefaults, lstmStep } from "./lstm-cell.js";
import { defineRecurrentLayer } from "./recurrent-layer.js";

/**
 * `keras.layers.LSTM(units, activation="tanh", recurrent_activation="sigmoid", use_bias=True, ...,
 * unit_forget_bias=True, dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
 * return_state=False, go_backwards=False, stateful=False, unroll=False, use_cudnn="auto")`: variables
 * under `lstm_cell/`; with `return_state` the outputs are `output, h, c`. Keras 2's `time_major` and
 * `implementation` are accepted and ignored.
 */
export const LSTM = defineRecurrentLayer({
  className: "LSTM",
  cellName: "lstm_cell",
  defaults: { ...lstmCellDefaults, activity_regularizer: null },
  step: lstmStep,
});
