import type { TensorSpec } from "../../ir/graph.js";
import { defineLayer } from "../define.js";

/**
 * `keras.layers.InputLayer(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
 * input_tensor=None, optional=False, name=None)`; Keras 2 writes `batch_input_shape` instead of
 * `batch_shape`. Its one call has no inputs and makes the model's input tensor.
 */
export const InputLayer = defineLayer({
  className: "InputLayer",
  defaults: { sparse: false, ragged: false, optional: false },
  outputs(ctx): TensorSpec[] {
    const c = ctx.config;
    let shape: (number | null)[];
    if (c.get("batch_shape") != null) shape = c.shape("batch_shape");
    else if (c.get("batch_input_shape") != null) shape = c.shape("batch_input_shape");
    else if (c.get("shape") != null) shape = [c.optionalInt("batch_size"), ...c.shape("shape")];
    else if (c.get("input_shape") != null) shape = [c.optionalInt("batch_size"), ...c.shape("input_shape")];
    else return ctx.fail("needs batch_shape (Keras 3) or batch_input_shape (Keras 2). Received neither.");
    const dtype = typeof c.get("dtype") === "string" ? (c.get("dtype") as string) : ctx.computeDtype;
    return [{ shape, dtype }];
  },
});
