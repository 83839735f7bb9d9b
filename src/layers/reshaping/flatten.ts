import { defineLayer } from "../define.js";
import { autocastDtype, singleInput } from "../input-spec.js";
import { shapeSize } from "../../ir/shape.js";

/**
 * `keras.layers.Flatten(data_format=None)`: `(batch, prod(input_shape[1:]))`, unknown if any dimension
 * is; a rank-1 input gives `(batch, 1)`. Keeps the input's dtype (after Keras's float autocast).
 */
export const Flatten = defineLayer({
  className: "Flatten",
  defaults: { data_format: null },
  outputs(ctx) {
    const x = singleInput(ctx, { minNdim: 1 });
    const rest = x.shape.slice(1);
    return [{ shape: [x.shape[0] ?? null, rest.length === 0 ? 1 : shapeSize(rest)], dtype: autocastDtype(ctx, x) }];
  },
});
