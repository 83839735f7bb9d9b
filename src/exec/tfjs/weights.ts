import { castWeight, missingWeights } from "../../formats/weight-values.js";
import { GraphError } from "../../ir/errors.js";
import type { Graph, Layer, WeightSpec } from "../../ir/graph.js";
import { WeightData } from "../../ir/weights.js";
import { type tf as TF, tf } from "./runtime.js";

type LayersModel = TF.LayersModel;
type TfLayer = ReturnType<LayersModel["getLayer"]>;
type LayerVariable = TfLayer["weights"][number];

/** The tfjs dtype that holds a Keras weight dtype: float32 for every float, int32 for every int. */
export function tfjsDtype(dtype: string): "float32" | "int32" | "bool" {
  if (dtype === "bool") return "bool";
  return /^u?int/.test(dtype) ? "int32" : "float32";
}

/**
 * Pairs every variable of a Keras layer with the tfjs-layers variable that holds it. tfjs names its
 * variables `<scope>/<layer>/<name>`, so the last part is Keras's own name; where the names do not pair
 * up one to one (wrappers such as Bidirectional name them after their inner layers), creation order
 * pairs them, which both libraries keep.
 */
export function pairVariables(layer: Layer, tfLayer: TfLayer): [WeightSpec, LayerVariable][] {
  const specs = layer.weights ?? [];
  const vars = tfLayer.weights;
  if (specs.length !== vars.length) {
    throw new GraphError(
      `layer '${layer.name}' (${layer.className}) has ${specs.length} weight(s) in Keras ` +
        `(${specs.map((w) => w.name).join(", ") || "none"}) but ${vars.length} in tfjs-layers ` +
        `(${vars.map((v) => v.originalName).join(", ") || "none"}). Received: a layer tfjs builds differently.`,
    );
  }
  const short = vars.map((v) => v.originalName.split("/").at(-1)!);
  const byName = specs.every((w) => short.filter((s) => s === w.name).length === 1);
  const pairs = specs.map((w, i): [WeightSpec, LayerVariable] => [w, byName ? vars[short.indexOf(w.name)]! : vars[i]!]);
  for (const [w, v] of pairs) {
    if (w.shape.length !== v.shape.length || w.shape.some((d, i) => d !== v.shape[i])) {
      throw new GraphError(
        `layer '${layer.name}' (${layer.className}): weight '${w.name}' has shape (${w.shape.join(", ")}) in Keras ` +
          `and (${v.shape.join(", ")}) in tfjs-layers (${v.originalName}). Received: a layer tfjs builds differently.`,
      );
    }
  }
  return pairs;
}

/** Calls `fn` for every weighted Keras layer of `graph` with its tfjs-layers counterpart, nested models included. */
export function forEachLayerPair(graph: Graph, model: LayersModel, fn: (layer: Layer, tfLayer: TfLayer) => void): void {
  for (const layer of graph.uniqueLayers()) {
    if (!layer.subgraph && !(layer.weights?.length ?? 0)) continue;
    const tfLayer = findLayer(model, layer);
    if (layer.subgraph) forEachLayerPair(layer.subgraph, tfLayer as LayersModel, fn);
    else fn(layer, tfLayer);
  }
}

function findLayer(model: LayersModel, layer: Layer): TfLayer {
  const found = model.layers.find((l) => l.name === layer.name);
  if (!found) {
    throw new GraphError(
      `layer '${layer.name}' (${layer.className}) has no counterpart in the tfjs model '${model.name}'. ` +
        `Received: tfjs layers ${model.layers.map((l) => l.name).join(", ")}`,
    );
  }
  return found;
}

/** Copies the graph's weight values into the tfjs model's variables; every weight must have a value. */
export function setTfjsWeights(graph: Graph, model: LayersModel): void {
  const missing = missingWeights(graph);
  if (missing.length) {
    throw new GraphError(
      `model '${graph.name}' lacks the values of ${missing.length} weight(s), so tfjs cannot run it with Keras's weights. ` +
        `Received: no value for ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", ..." : ""}. ` +
        `Open a file with weights (.keras, .h5, a TF.js folder) or pass a weights file.`,
    );
  }
  forEachLayerPair(graph, model, (layer, tfLayer) => {
    const pairs = pairVariables(layer, tfLayer);
    tf.tidy(() => {
      const values = pairs.map(([w, v]) => {
        const data = layer.values.get(w.name)!;
        const dtype = tfjsDtype(w.dtype);
        const plain = dtype === "float32" && data.dtype !== "float32" ? castWeight(data, "float32") : data;
        return tf.tensor(toTfjsValues(plain, dtype), w.shape, v.dtype === "int32" ? "int32" : dtype);
      });
      tfLayer.setWeights(values);
    });
  });
}

function toTfjsValues(data: WeightData, dtype: string): Float32Array | Int32Array | Uint8Array {
  const v = data.values;
  if (dtype === "float32") return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
  if (dtype === "bool") return v instanceof Uint8Array ? v : Uint8Array.from(v as ArrayLike<number>);
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Int32Array.from(v, Number);
  return v instanceof Int32Array ? v : Int32Array.from(v as ArrayLike<number>);
}

/** Copies the tfjs model's variables back into the graph (`Layer.values`), in each weight's Keras dtype. */
export function readTfjsWeights(graph: Graph, model: LayersModel): void {
  forEachLayerPair(graph, model, (layer, tfLayer) => {
    for (const [w, v] of pairVariables(layer, tfLayer)) {
      const values = v.read().dataSync() as Float32Array | Int32Array | Uint8Array;
      const data = new WeightData(
        v.dtype === "int32" ? "int32" : v.dtype === "bool" ? "bool" : "float32",
        [...w.shape],
        values.slice(),
      );
      layer.values.set(w.name, data.dtype === w.dtype ? data : castWeight(data, w.dtype));
    }
  });
}
