import { tf } from "../../exec/tfjs/runtime.js";
import { allowTfjsLayerClass } from "../../formats/tfjs/tfjs-support.js";
import { GraphError } from "../../ir/errors.js";
import type { Graph, Layer as IrLayer } from "../../ir/graph.js";
import type { Shape } from "../../ir/shape.js";
import { type Layer, boundLayer } from "../layer.js";
import { customOutputShapes } from "./kind.js";

type TfShape = (number | null)[];
type LayerVariable = ReturnType<InstanceType<typeof tf.layers.Layer>["addWeight"]>;

/** The custom layers of the graph being built on tfjs, by name (tfjs-layers makes layers from names and configs). */
let building: Map<string, Layer> | null = null;
const adapted = new Set<string>();

/**
 * A tfjs-layers layer class for a custom layer class: it stands in the tfjs model for the layer of the
 * same name and computes with the custom layer's own `call`, its weights bound to tfjs variables (so
 * the tfjs executor trains them; their values come from and go back to the IR as for any layer).
 */
function adapterClass(className: string) {
  return class extends tf.layers.Layer {
    static className = className;
    private readonly api: Layer;
    private variables: LayerVariable[] = [];

    constructor(config: { name: string; trainable?: boolean }) {
      super({ name: config.name, trainable: config.trainable ?? true });
      const api = building?.get(config.name);
      if (!api) {
        throw new GraphError(
          `custom layer '${config.name}' (${className}) can be built on tfjs only as part of its model.`,
        );
      }
      this.api = api;
    }

    override build(inputShape: TfShape | TfShape[]): void {
      this.api.ensureBuilt(inputShape as Shape | Shape[]);
      for (const w of this.api.customWeights) {
        const dtype = w.dtype === "int32" ? "int32" : "float32";
        this.variables.push(this.addWeight(w.name, w.shape, dtype, tf.initializers.zeros(), undefined, w.trainable));
      }
      this.built = true;
    }

    override computeOutputShape(inputShape: TfShape | TfShape[]): TfShape | TfShape[] {
      const list = Array.isArray(inputShape[0]);
      const shapes = (list ? inputShape : [inputShape]) as Shape[];
      const specs = shapes.map((shape) => ({ shape, dtype: "float32" }));
      const out = customOutputShapes(this.api, specs, list);
      return out.length === 1 ? out[0]! : out;
    }

    override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
      const weights = this.api.customWeights;
      weights.forEach((w, i) => w.bind(this.variables[i]!.read()));
      try {
        return this.api.call(Array.isArray(inputs) && inputs.length === 1 ? inputs[0]! : inputs, kwargs);
      } finally {
        for (const w of weights) w.bind(null);
      }
    }
  };
}

function customLayersOf(graph: Graph, out = new Map<string, Layer>()): Map<string, Layer> {
  for (const ir of graph.uniqueLayers() as IrLayer[]) {
    if (ir.subgraph) customLayersOf(ir.subgraph, out);
    const api = boundLayer(ir);
    if (!api?.isCustom()) continue;
    if (out.has(ir.name) && out.get(ir.name) !== api) {
      throw new GraphError(
        `two custom layers are named '${ir.name}' in model '${graph.name}'; tfjs-layers needs unique names.`,
      );
    }
    out.set(ir.name, api);
  }
  return out;
}

/**
 * Runs `build` (the tfjs executor making the graph's tfjs model) with the graph's custom layer classes
 * registered with tfjs-layers, each layer standing for the API layer of its name.
 */
export async function withTfjsCustomLayers<T>(graph: Graph, build: () => Promise<T>): Promise<T> {
  const customs = customLayersOf(graph);
  for (const api of customs.values()) {
    if (adapted.has(api.className)) continue;
    tf.serialization.registerClass(adapterClass(api.className));
    allowTfjsLayerClass(api.className);
    adapted.add(api.className);
  }
  building = customs;
  try {
    return await build();
  } finally {
    building = null;
  }
}
