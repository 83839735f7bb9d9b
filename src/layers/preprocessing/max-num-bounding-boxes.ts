import { defineLayer } from "../define.js";
import { flattenWithPaths, imageDefaults, imagesSpec } from "./image-layer.js";

/**
 * `keras.layers.MaxNumBoundingBoxes(max_number, fill_value=-1)`: pads or truncates the boxes of a
 * `{"images", "bounding_boxes": {"boxes", "labels"}}` dict to `max_number` per image (axis 1); everything
 * else keeps its shape. Outputs follow Keras's flatten order (dict keys sorted).
 */
export const MaxNumBoundingBoxes = defineLayer({
  className: "MaxNumBoundingBoxes",
  defaults: { ...imageDefaults, fill_value: -1 },
  outputs(ctx) {
    imagesSpec(ctx);
    const maxNumber = ctx.config.int("max_number");
    const leaves = flattenWithPaths(ctx.args[0]!);
    const extra = leaves
      .filter(({ path }) => path[0] === "bounding_boxes" && !["boxes", "labels"].includes(path[1] ?? ""))
      .map(({ path }) => path.slice(1).join("/"));
    if (extra.length) {
      ctx.fail(`bounding_boxes may only hold "boxes" and "labels". Received: unsupported keys ${extra.join(", ")}`);
    }
    return leaves.map(({ path, spec }) => {
      const shape = [...spec.shape];
      if (path[0] === "bounding_boxes") {
        if (shape.length < 2)
          ctx.fail(`bounding_boxes/${path[1]} must be batched (rank >= 2). Received: shape ${JSON.stringify(shape)}`);
        shape[1] = maxNumber;
      }
      return { shape, dtype: ctx.computeDtype };
    });
  },
});
