import { dataFormat, defineShapePreservingImageLayer, imageAxes, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.RandomColorDegeneration(factor, value_range=(0, 255), data_format=None, seed=None)`: keeps the
 * input shape; its `compute_output_shape` requires RGB images (3 channels, or an unknown count).
 */
export const RandomColorDegeneration = defineShapePreservingImageLayer({
  className: "RandomColorDegeneration",
  defaults: { value_range: VALUE_RANGE, seed: null },
  check(ctx, images) {
    const channels = images.shape.at(imageAxes(dataFormat(ctx)).c);
    if (channels !== null && channels !== 3) {
      ctx.fail(`input images must have 3 channels. Received: images with ${channels} channels`);
    }
  },
});
