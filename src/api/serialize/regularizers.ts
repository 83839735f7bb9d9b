import { KerasObjectModule } from "./keras-object.js";

/** `keras.regularizers` (keras/src/regularizers/regularizers.py): `"l2"` is `L2(l2=0.01)`. */
export const regularizers = new KerasObjectModule("keras.regularizers", "regularizer", {
  L1: { defaults: { l1: 0.01 } },
  L2: { defaults: { l2: 0.01 } },
  L1L2: { defaults: { l1: 0, l2: 0 } },
  OrthogonalRegularizer: { defaults: { factor: 0.01, mode: "rows" } },
});
