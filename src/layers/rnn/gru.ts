import { gruCellDefaults, gruStep } from "./gru-cell.js";
import { defineRecurrentLayer } from "./recurrent-layer.js";

/**
 * `keras.layers.GRU(units, activation="tanh", recurrent_activation="sigmoid", use_bias=True, ...,
 * dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
 * go_backwards=False, stateful=False, unroll=False, reset_after=True, use_cudnn="auto")`: variables under
 * `gru_cell/`, the bias `(2, 3*units)` when `reset_after`, else `(3*units,)`.
 */
export const GRU = defineRecurrentLayer({
  className: "GRU",
  cellName: "gru_cell",
  defaults: { ...gruCellDefaults, activity_regularizer: null },
  step: gruStep,
});
