import { defineElementwiseMerge } from "./merge-base.js";

/** `keras.layers.Minimum(**kwargs)`: elementwise minimum of a list of inputs. */
export const Minimum = defineElementwiseMerge("Minimum");
