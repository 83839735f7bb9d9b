import type { CallContext, InnerResult } from "../../ir/kind.js";
import { defineLayer } from "../define.js";
import { singleInput } from "./axes.js";
import { invalidConfig } from "../config-compat.js";

function wrapped(ctx: CallContext): InnerResult {
  const power = ctx.config.int("power_iterations");
  if (power <= 0)
    invalidConfig(ctx, `\`power_iterations\` should be greater than zero. Received: \`power_iterations=${power}\``);
  const shape = singleInput(ctx);
  if (shape.length < 1) ctx.fail("expects an input of rank >= 1. Received: shape ()");
  return ctx.inner(ctx.config.get("layer"), [ctx.inputs[0]!]);
}

/**
 * `keras.layers.SpectralNormalization(layer, power_iterations=1)`: wraps a layer that has a `kernel`
 * (Dense, Conv...) or `embeddings` (Embedding). Its outputs are the wrapped layer's; it adds a
 * non-trainable `vector_u` of shape `(1, kernel.shape[-1])`, listed (as Keras's `layer.weights` does)
 * before the wrapped layer's variables, which live under the wrapped layer's name.
 */
export const SpectralNormalization = defineLayer({
  className: "SpectralNormalization",
  defaults: { power_iterations: 1 },
  outputs(ctx) {
    return wrapped(ctx).outputs.map((o) => o.shape);
  },
  weights(ctx) {
    const inner = wrapped(ctx);
    const kernel = inner.weights.find((w) => w.name === "kernel") ?? inner.weights.find((w) => w.name === "embeddings");
    if (!kernel) return ctx.fail(`${inner.className} object has no attribute 'kernel' nor 'embeddings'`);
    return [
      { name: "vector_u", shape: [1, kernel.shape.at(-1)], trainable: false, dtype: kernel.dtype },
      ...inner.weights.map((w) => ({ ...w, name: `${inner.name}/${w.name}` })),
    ];
  },
});
