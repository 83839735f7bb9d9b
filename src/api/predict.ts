import type { NdArray } from "../formats/npy/array.js";
import { exportOnnx } from "../formats/onnx/convert.js";
import { defaultEmitters } from "../formats/onnx/emitter.js";
import { OrtSession } from "../exec/ort/session.js";
import { FormatError, UnsupportedLayerError } from "../ir/errors.js";
import type { Graph, Layer as IrLayer } from "../ir/graph.js";
import { type Layer, boundLayer } from "./layer.js";
import { ensureValues } from "./weights/values.js";
import type { LayerClass } from "./custom/kind.js";
import { layerClassNamed, onnxEmitterOf } from "./custom/register.js";

export type PredictInputs = NdArray | NdArray[] | Record<string, NdArray>;

/** Every layer of a graph and of the models nested in it, once each. */
function allLayers(graph: Graph, out = new Set<IrLayer>()): Set<IrLayer> {
  for (const l of graph.uniqueLayers()) {
    if (out.has(l)) continue;
    out.add(l);
    if (l.subgraph) allLayers(l.subgraph, out);
  }
  return out;
}

/** The API layers of a graph's custom layers. */
function customLayers(graph: Graph): Layer[] {
  return [...allLayers(graph)].map((l) => boundLayer(l)).filter((l): l is Layer => !!l && l.isCustom());
}

/**
 * Keras's `get_config` refuses a custom layer whose class writes no config of its own
 * (`NotImplementedError: Layer X has arguments ... and therefore must override get_config()`).
 */
export function assertSerializable(graph: Graph): void {
  for (const layer of customLayers(graph)) {
    if (!layer.hasOwnConfig()) {
      throw new FormatError(
        `${layer.className} '${layer.name}' cannot be serialized: the custom layer class ${layer.className} does not ` +
          `implement getConfig(), so its constructor arguments would be lost. Add getConfig() returning ` +
          `{ ...super.getConfig(), <its arguments> } (and fromConfig if its constructor does not take that object).`,
      );
    }
  }
}

/** Draws initial values for every weight of the graph (nested models included) that has none. */
export function fillWeights(graph: Graph): void {
  for (const layer of allLayers(graph)) for (const w of layer.weights ?? []) ensureValues(layer, w);
}

/** True unless a custom layer of the graph has no ONNX emitter. */
export function runsOnOnnx(graph: Graph): boolean {
  return customLayers(graph).every((l) => onnxEmitterOf((layerClassNamed(l.className) ?? l.constructor) as LayerClass));
}

/** Emitters for the graph's custom layers (their classes' static `onnx`); an error names a class without one. */
function emittersFor(graph: Graph) {
  const emitters = defaultEmitters.extend();
  for (const layer of customLayers(graph)) {
    const emitter = onnxEmitterOf((layerClassNamed(layer.className) ?? layer.constructor) as LayerClass);
    if (!emitter) {
      throw new UnsupportedLayerError(
        layer.className,
        `cannot run ${layer.className} '${layer.name}' on onnxruntime: the custom layer class ${layer.className} has no ONNX emitter. ` +
          `Give it one: registerLayer(${layer.className}, { onnx: (ctx) => [...] }) or a static onnx emitter ` +
          `(the ONNX nodes of its call()).`,
      );
    }
    emitters.register(layer.className, emitter);
  }
  return emitters;
}

/** The model's outputs for `inputs`, in output order, computed by onnxruntime. */
export async function predictGraph(graph: Graph, inputs: PredictInputs): Promise<NdArray[]> {
  fillWeights(graph);
  const emitters = emittersFor(graph);
  const session = await OrtSession.fromModel(exportOnnx(graph, { emitters }).model);
  try {
    return await session.run(inputs);
  } finally {
    await session.release();
  }
}
