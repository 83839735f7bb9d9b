import type { CallContext } from "../../ir/kind.js";
import { invalidConfig } from "../config-compat.js";
import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";
import { checkUnitInterval } from "./rate.js";

/** `keras.layers.Dropout(rate, noise_shape=None, seed=None)`: identity at inference, same shape. */
export const Dropout = defineLayer({
  className: "Dropout",
  defaults: { noise_shape: null, seed: null },
  outputs(ctx) {
    checkUnitInterval(ctx, "rate");
    checkNoiseShape(ctx);
    return [singleInput(ctx).shape];
  },
});

/** `Dropout._validate_noise_shape`: a list of positive integers or nulls. */
export function checkNoiseShape(ctx: CallContext): void {
  const v = ctx.config.get("noise_shape");
  if (v === null || v === undefined) return;
  const ok = Array.isArray(v) && v.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0));
  if (!ok) {
    invalidConfig(
      ctx,
      `Invalid value received for argument \`noise_shape\`. Expected a tuple or list of positive integers or None. ` +
        `Received: noise_shape=${JSON.stringify(v)}`,
    );
  }
}
