import { defineElementwiseMerge } from "./merge-base.js";

/** `keras.layers.Maximum(**kwargs)`: elementwise maximum of a list of inputs. */
export const Maximum = defineElementwiseMerge("Maximum");
