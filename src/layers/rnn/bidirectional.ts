import type { CallContext, InnerResult } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { scoped, sequencesOf, serializedLayerName } from "./rnn-base.js";
import { invalidConfig } from "../config-compat.js";

type Serialized = { class_name?: unknown; config?: Record<string, unknown> } & Record<string, unknown>;

const MERGE_MODES = ["concat", "sum", "mul", "ave"];

/** A copy of a serialized layer with config changes, the way Bidirectional re-creates its layers. */
function withConfig(s: Serialized, changes: Record<string, unknown>): Serialized {
  return { ...s, config: { ...(s.config ?? {}), ...changes } };
}

const dropPrefix = (name: string, prefix: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);

/**
 * Bidirectional's two layers as Keras makes them: the forward one is `layer` renamed
 * `forward_<name>`; the backward one is `backward_layer` if given, else `layer` with `go_backwards=True`
 * named `backward_<name>`.
 */
function directions(ctx: CallContext): { forward: InnerResult; backward: InnerResult } {
  const layer = ctx.config.get("layer") as Serialized;
  if (!layer || typeof layer !== "object" || Array.isArray(layer)) {
    return invalidConfig(ctx, `needs a serialized recurrent \`layer\`. Received: layer=${JSON.stringify(layer)}`);
  }
  const mode = ctx.config.get("merge_mode");
  if (mode !== null && !MERGE_MODES.includes(mode as string)) {
    invalidConfig(
      ctx,
      `Invalid merge mode. Received: ${JSON.stringify(mode)}. Merge mode should be one of {"sum", "mul", "ave", "concat", None}`,
    );
  }
  const name = serializedLayerName(layer);
  const given = ctx.config.get("backward_layer") as Serialized | null;
  const x = sequencesOf(ctx);
  const forward = ctx.inner(withConfig(layer, { name: `forward_${dropPrefix(name, "forward_")}` }), [x]);
  const backward = ctx.inner(
    given ?? withConfig(layer, { name: `backward_${dropPrefix(name, "backward_")}`, go_backwards: true }),
    [x],
  );
  const flag = (r: InnerResult, key: string) => r.config.get(key) === true;
  if (flag(forward, "go_backwards") === flag(backward, "go_backwards")) {
    invalidConfig(
      ctx,
      "Forward layer and backward layer should have different `go_backwards` value. Received: " +
        `forward_layer.go_backwards ${flag(forward, "go_backwards")}, backward_layer.go_backwards=${flag(backward, "go_backwards")}`,
    );
  }
  for (const a of ["stateful", "return_sequences", "return_state"]) {
    if (flag(forward, a) !== flag(backward, a)) {
      invalidConfig(
        ctx,
        `Forward layer and backward layer are expected to have the same value for attribute "${a}", ` +
          `got "${flag(forward, a)}" for forward layer and "${flag(backward, a)}" for backward layer`,
      );
    }
  }
  return { forward, backward };
}

/**
 * `keras.layers.Bidirectional(layer, merge_mode="concat", weights=None, backward_layer=None)`:
 * `Bidirectional.compute_output_shape` from the forward layer's output: last axis doubled by "concat",
 * kept by "sum"/"mul"/"ave", both outputs when None; with `return_state`, the forward then the backward
 * states follow. Variables: `forward_<name>/...` then `backward_<name>/...`.
 */
export const Bidirectional = defineLayer({
  className: "Bidirectional",
  defaults: { merge_mode: "concat", backward_layer: null },
  outputs(ctx) {
    const { forward } = directions(ctx);
    const [output, ...states] = forward.outputs.map((o) => o.shape);
    const mode = ctx.config.get("merge_mode");
    const returnState = forward.config.get("return_state") === true;
    let merged: Shape[];
    if (mode === "concat") {
      const last = output!.at(-1);
      merged = [[...output!.slice(0, -1), last === null || last === undefined ? null : last * 2]];
    } else if (mode === null) merged = [output!, output!];
    else merged = [output!];
    return returnState ? [...merged, ...states, ...states] : merged;
  },
  weights(ctx) {
    const { forward, backward } = directions(ctx);
    return [...scoped(forward.name, forward.weights), ...scoped(backward.name, backward.weights)];
  },
});
