import { defineElementwiseMerge } from "./merge-base.js";

/** `keras.layers.Multiply(**kwargs)`: elementwise product of a list of inputs. */
export const Multiply = defineElementwiseMerge("Multiply");
