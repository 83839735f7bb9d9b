import { defineElementwiseMerge } from "./merge-base.js";

/** `keras.layers.Average(**kwargs)`: elementwise mean of a list of inputs. */
export const Average = defineElementwiseMerge("Average");
