import { FormatError, GraphError } from "../../ir/errors.js";
import { Graph } from "../../ir/graph.js";
import "../../layers/index.js";
import { defaultRegistry, type LayerRegistry } from "../../layers/registry.js";
import { OnnxBuilder } from "./builder.js";
import { checkEmitters, emitGraph, type EmitState } from "./emit-graph.js";
import { type EmitterRegistry, type Val, defaultEmitters } from "./emitter.js";
import "./emitters/index.js";
import { type ExposedOutput, outputName, resolveExposed } from "./exposed.js";
import { type OnnxModel, type OnnxValueInfo, irVersionForOpset, onnxDataType } from "./model.js";
import { finalizeOutputs } from "./outputs.js";
import { optimizeOnnxGraph } from "./passes/index.js";

export type { ExposedOutput } from "./exposed.js";

export const DEFAULT_OPSET = 17;
export const MIN_OPSET = 13;
export const MAX_OPSET = 21;

export interface ToOnnxOptions {
  /** The ai.onnx opset to target, 13–21 (default 17). */
  opset?: number;
  /** Layer kinds whose defaults the emitters read (the built-in catalog by default). */
  registry?: LayerRegistry;
  /** Emitters by class name (the built-in ones by default; extend it for custom layers). */
  emitters?: EmitterRegistry;
  /**
   * Layers whose outputs become extra graph outputs (feature extraction): paths such as `dense_1` or,
   * inside nested models, `encoder/conv2d` (a bare inner name works when it is unique), or "all".
   */
  expose?: string[] | "all";
  /** Runs the layout pass and dead-code removal (default true). */
  optimize?: boolean;
}

export interface OnnxExport {
  model: OnnxModel;
  /** Graph input names, in the Keras model's input order. */
  inputs: string[];
  /** Graph output names of the Keras model's outputs, in order. */
  outputs: string[];
  exposed: ExposedOutput[];
}

/**
 * Converts a Keras model (a Graph with weight values, or any model object holding one as `graph`, such
 * as the API's Model or the executor's OrtModel) to an ONNX model. See `exportOnnx` for the details.
 */
export function toOnnx(model: Graph | { graph: Graph | null }, options: ToOnnxOptions = {}): OnnxModel {
  const graph = model instanceof Graph ? model : model.graph;
  if (!graph) throw new GraphError("this model has no Keras graph to convert (it was read from an ONNX file).");
  return exportOnnx(graph, options).model;
}

/**
 * Translates the graph call by call with one emitter per layer class, nested models inline, then runs
 * the layout pass. Every layer class is checked for an emitter first, so an unsupported layer raises
 * UnsupportedLayerError before anything is built or written.
 */
export function exportOnnx(graph: Graph, options: ToOnnxOptions = {}): OnnxExport {
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new FormatError(`ONNX opset must be an integer from ${MIN_OPSET} to ${MAX_OPSET}. Received: opset=${opset}`);
  }
  const registry = options.registry ?? defaultRegistry;
  const emitters = options.emitters ?? defaultEmitters;
  checkEmitters(graph, emitters, registry);

  const g = new OnnxBuilder(opset);
  const state: EmitState = { g, registry, emitters, params: new Map(), emitted: [], calls: new Map() };
  const inputs: OnnxValueInfo[] = graph.inputs.map((t) => {
    const name = g.reserve(t.layer.name);
    return valueInfo(name, t.shape, t.dtype, `input '${name}'`);
  });
  const inputVals = graph.inputs.map((t, i): Val => ({ name: inputs[i]!.name, shape: t.shape, dtype: t.dtype }));
  const outVals = emitGraph(state, graph, inputVals, "");

  const requests = graph.outputs.map((t, i) => ({
    name: outputName(graph, t, i),
    val: outVals[i]!,
    shape: t.shape,
    dtype: t.dtype,
  }));
  const exposed = resolveExposed(state.emitted, options.expose);
  const onnxGraph = {
    name: graph.name,
    nodes: g.nodes,
    inputs,
    outputs: [] as OnnxValueInfo[],
    initializers: [...g.initializers.values()],
    valueInfo: [],
  };
  const all = [
    ...requests,
    ...exposed.map((e) => ({ name: e.info.key, val: e.val, shape: e.val.shape, dtype: e.val.dtype })),
  ];
  onnxGraph.outputs = all.map((r) => valueInfo(r.val.name, r.shape, r.dtype, `output '${r.name}'`));
  if (options.optimize !== false) optimizeOnnxGraph(onnxGraph);
  const names = finalizeOutputs(
    onnxGraph,
    all.map((r) => r.name),
  );
  const model: OnnxModel = {
    irVersion: irVersionForOpset(opset),
    opsetImports: [{ domain: "", version: opset }],
    producerName: "kerasgraph",
    producerVersion: "0.1.0",
    graph: onnxGraph,
    metadata: { keras_model: graph.name },
  };
  return {
    model,
    inputs: inputs.map((i) => i.name),
    outputs: names.slice(0, requests.length),
    exposed: exposed.map((e, i) => ({ ...e.info, output: names[requests.length + i]! })),
  };
}

/** A graph input or output's type: Keras float dtypes compute as float32 in the exported graph. */
export function valueInfo(name: string, shape: (number | null)[], dtype: string, what: string): OnnxValueInfo {
  const type = dtype.startsWith("float") || dtype === "bfloat16" ? 1 : onnxDataType(dtype);
  if (type === undefined || type === 8) {
    throw new FormatError(
      `${what} has dtype '${dtype}', which kerasgraph cannot export to ONNX (numeric dtypes only).`,
    );
  }
  return {
    name,
    elemType: type,
    shape: shape.map((d, i) => (i === 0 ? "batch" : d === null ? `${name}_dim${i}` : d)),
  };
}
