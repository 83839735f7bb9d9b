import type { TensorSpec, WeightSpec } from "../../ir/graph.js";
import type { CallContext } from "../../ir/kind.js";
import { defineLayer } from "../define.js";

/**
 * `keras.layers.Pipeline(layers, name=None)`: calls its serialized `layers` one after the other. The output
 * is the last layer's (shapes and dtypes as each inner layer computes them); the weights are the inner
 * layers' in order, under "<inner layer name>/".
 */
export const Pipeline = defineLayer({
  className: "Pipeline",
  defaults: {},
  outputs: (ctx) => runPipeline(ctx).outputs,
  weights: (ctx) => runPipeline(ctx).weights,
});

function runPipeline(ctx: CallContext): { outputs: TensorSpec[]; weights: WeightSpec[] } {
  const layers = ctx.config.get("layers");
  if (!Array.isArray(layers)) {
    return ctx.fail(`config 'layers' must be a list of serialized layers. Received: layers=${JSON.stringify(layers)}`);
  }
  let outputs = ctx.inputs;
  const weights: WeightSpec[] = [];
  for (const serialized of layers) {
    const inner = ctx.inner(serialized, outputs);
    outputs = inner.outputs;
    weights.push(...inner.weights.map((w) => ({ ...w, name: `${inner.name}/${w.name}` })));
  }
  return { outputs, weights };
}
