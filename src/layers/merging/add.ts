import { defineElementwiseMerge } from "./merge-base.js";

/** `keras.layers.Add(**kwargs)`: elementwise sum of a list of inputs, broadcast as Keras's Merge base does. */
export const Add = defineElementwiseMerge("Add");
