import { KerasObjectModule } from "./keras-object.js";

/** `keras.constraints` (keras/src/constraints/constraints.py). */
export const constraints = new KerasObjectModule("keras.constraints", "constraint", {
  MaxNorm: { defaults: { max_value: 2, axis: 0 } },
  NonNeg: { defaults: {} },
  UnitNorm: { defaults: { axis: 0 } },
  MinMaxNorm: { defaults: { min_value: 0, max_value: 1, rate: 1, axis: 0 } },
});
