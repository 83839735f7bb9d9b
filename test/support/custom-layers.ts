/**
 * The guide's custom layers, registered as custom kinds the way a user would: the fixtures' models
 * use them (seed/custom_dense), and they are not Keras classes.
 */
import "../../src/layers/index.js";
import { defineLayer } from "../../src/layers/define.js";
import { defaultRegistry } from "../../src/layers/registry.js";

/** `class CustomDense(layers.Layer)` from the Functional API guide: w (input_dim, units), b (units,). */
export const CustomDense = defineLayer({
  className: "CustomDense",
  defaults: { units: 32 },
  outputs: (ctx) => [[...ctx.inputs[0]!.shape.slice(0, -1), ctx.config.positiveInt("units")]],
  weights: (ctx) => [
    { name: "w", shape: [ctx.inputs[0]!.shape.at(-1), ctx.config.positiveInt("units")] },
    { name: "b", shape: [ctx.config.positiveInt("units")] },
  ],
});

/** A registry with the built-ins and the guide's custom layers. */
export function registryWithCustoms() {
  const registry = defaultRegistry.extend();
  registry.register(CustomDense, { registeredName: "seed>CustomDense" });
  return registry;
}
