import { FormatError } from "../../ir/errors.js";

/** `keras.activations.ALL_OBJECTS`: Keras 3 writes a built-in activation as its function's name. */
const ACTIVATIONS = new Set([
  "relu",
  "leaky_relu",
  "relu6",
  "softmax",
  "celu",
  "elu",
  "selu",
  "softplus",
  "softsign",
  "squareplus",
  "soft_shrink",
  "sparse_plus",
  "silu",
  "gelu",
  "glu",
  "tanh",
  "tanh_shrink",
  "threshold",
  "sigmoid",
  "sparse_sigmoid",
  "exponential",
  "hard_sigmoid",
  "hard_silu",
  "hard_tanh",
  "hard_shrink",
  "linear",
  "mish",
  "log_softmax",
  "log_sigmoid",
  "sparsemax",
]);

/** Names `activations.get` accepts for another function. */
const ALIASES: Record<string, string> = { swish: "silu", hard_swish: "hard_silu" };

/**
 * `activations.serialize(activations.get(value))`: `null`/`undefined` is "linear", a name is the
 * function's own name ("swish" → "silu"); a serialized custom activation object is kept as given.
 */
export function serializeActivation(value: unknown, where: string): unknown {
  if (value === null || value === undefined) return "linear";
  if (typeof value === "string") {
    const name = ALIASES[value] ?? value;
    if (ACTIVATIONS.has(name)) return name;
    throw new FormatError(
      `${where}: unknown activation ${JSON.stringify(value)}. Use one of ${[...ACTIVATIONS].join(", ")}.`,
    );
  }
  if (value && typeof value === "object" && !Array.isArray(value) && "class_name" in value) return value;
  throw new FormatError(
    `${where}: an activation must be a Keras activation name such as "relu". Received: ${String(value)}`,
  );
}
