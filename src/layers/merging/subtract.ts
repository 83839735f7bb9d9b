import { defineElementwiseMerge } from "./merge-base.js";

/** `keras.layers.Subtract(**kwargs)`: `inputs[0] - inputs[1]`; Keras requires exactly two inputs. */
export const Subtract = defineElementwiseMerge("Subtract", { exactly: 2 });
