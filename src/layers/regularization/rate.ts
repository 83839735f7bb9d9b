import type { CallContext } from "../../ir/kind.js";
import { compatConfig, invalidConfig } from "../config-compat.js";

/**
 * Keras's constructor check on `rate` (Dropout family) or `stddev` (GaussianNoise): a number in [0, 1].
 * A config without it (Keras 1 wrote `p` / `sigma`, which compatConfig maps) is left to the runtime.
 */
export function checkUnitInterval(ctx: CallContext, key: "rate" | "stddev"): void {
  const value = compatConfig(ctx).get(key);
  if (value === undefined || value === null) return;
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    invalidConfig(
      ctx,
      `Invalid value received for argument \`${key}\`. Expected a float value between 0 and 1. Received: ${key}=${JSON.stringify(value)}`,
    );
  }
}
