import type { KerasTensor, SymbolicInput } from "../keras-tensor.js";
import { Layer } from "../layer.js";
import { BuiltinLayer } from "./builtin.js";
import { LAYER_ALIASES, LAYER_SIGNATURES } from "./signatures.js";

/**
 * A layer factory: Keras's constructor with its positional arguments in Keras's order, then an
 * options object (camelCase or snake_case keys): `Dense(64, {activation: "relu"})`, `Conv2D(16, 3)`.
 */
export type LayerFactory = (...args: unknown[]) => BuiltinLayer;

type ClassName = Exclude<keyof typeof LAYER_SIGNATURES, "InputLayer"> | keyof typeof LAYER_ALIASES;

const factories = Object.fromEntries(
  [...Object.keys(LAYER_SIGNATURES), ...Object.keys(LAYER_ALIASES)]
    .filter((c) => c !== "InputLayer")
    .map((c) => {
      const target = (LAYER_ALIASES as Record<string, string>)[c] ?? c;
      const make: LayerFactory = (...args) => new BuiltinLayer(target, args);
      return [c, make];
    }),
) as Record<ClassName, LayerFactory>;

type Merged = (inputs: SymbolicInput[], options?: Record<string, unknown>) => KerasTensor;

/** Keras's functional merge helpers: `add([a, b])` is `Add()([a, b])`. */
const merge =
  (className: string): Merged =>
  (inputs, options = {}) =>
    new BuiltinLayer(className, [options])(inputs);

/**
 * `keras.layers`: a factory per built-in layer class (and Keras's aliases: `MaxPool2D`, ...), the
 * functional merge helpers (`add`, `concatenate`, ...) and `Layer`, the base class of custom layers.
 */
export const layers = {
  ...factories,
  Layer,
  add: merge("Add"),
  subtract: merge("Subtract"),
  multiply: merge("Multiply"),
  average: merge("Average"),
  maximum: merge("Maximum"),
  minimum: merge("Minimum"),
  concatenate: (inputs: SymbolicInput[], axis = -1, options: Record<string, unknown> = {}): KerasTensor =>
    new BuiltinLayer("Concatenate", [{ ...options, axis }])(inputs),
  dot: (
    inputs: SymbolicInput[],
    axes: number | number[] = -1,
    normalize = false,
    options: Record<string, unknown> = {},
  ): KerasTensor => new BuiltinLayer("Dot", [{ ...options, axes, normalize }])(inputs),
};
