import { evaluateLayer } from "../../ir/build.js";
import { LayerConfig } from "../../ir/config.js";
import { FormatError, GraphError } from "../../ir/errors.js";
import type { ArgTree, Tensor, TensorSpec } from "../../ir/graph.js";
import { Graph, Layer, forEachTensor, mapArgTree } from "../../ir/graph.js";
import { topologicalCalls } from "../../ir/topo.js";
import "../../layers/index.js";
import { defaultRegistry, type LayerRegistry } from "../../layers/registry.js";
import { OnnxBuilder } from "./builder.js";
import {
  type EmitContext,
  type EmitterRegistry,
  type Val,
  defaultEmitters,
  findWeight,
  noEmitterError,
} from "./emitter.js";
import "./emitters/index.js";
import { type OnnxModel, type OnnxValueInfo, irVersionForOpset, onnxDataType } from "./model.js";
import { finalizeOutputs } from "./outputs.js";
import { optimizeOnnxGraph } from "./passes/index.js";

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

/** One layer output made a graph output by `expose`. */
export interface ExposedOutput {
  /** The layer's path (`encoder/conv2d`), with `@k` for its k-th call (k > 0) and `:i` for output i > 0. */
  key: string;
  layerPath: string;
  call: number;
  index: number;
  /** The graph output's name. */
  output: string;
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

interface Emitted {
  path: string;
  call: number;
  values: Val[];
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
  const state: State = { g, registry, emitters, params: new Map(), emitted: [], calls: new Map() };
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

interface State {
  g: OnnxBuilder;
  registry: LayerRegistry;
  emitters: EmitterRegistry;
  params: Map<Layer, Map<string, string>>;
  emitted: Emitted[];
  /** Calls of each layer path emitted so far (a nested model called twice emits its layers twice). */
  calls: Map<string, number>;
}

function emitGraph(state: State, graph: Graph, inputVals: Val[], prefix: string): Val[] {
  const values = new Map<Tensor, Val>();
  graph.inputs.forEach((t, i) => values.set(t, inputVals[i]!));
  const lookup = (t: Tensor): Val => {
    const v = values.get(t);
    if (!v) throw new GraphError(`model '${graph.name}': tensor ${t.label} is used before it is computed.`);
    return v;
  };
  const record = (path: string, outs: Val[]) => {
    const n = state.calls.get(path) ?? 0;
    state.calls.set(path, n + 1);
    state.emitted.push({ path, call: n, values: outs });
  };
  for (const call of topologicalCalls(graph)) {
    const layer = call.layer;
    const path = prefix + layer.name;
    if (call.outputs.every((t) => values.has(t))) {
      // An InputLayer: its tensor is the graph's (or the nested model's) input.
      if (call.inputs.length === 0)
        record(
          path,
          call.outputs.map((t) => values.get(t)!),
        );
      continue;
    }
    let outs: Val[];
    if (layer.subgraph) {
      const flat: Val[] = [];
      forEachTensor(call.args, (t) => flat.push(lookup(t)));
      forEachTensor(call.kwargs, (t) => flat.push(lookup(t)));
      outs = emitGraph(state, layer.subgraph, flat.slice(0, layer.subgraph.inputs.length), `${path}/`);
    } else {
      const args = mapArgTree(call.args, lookup) as ArgTree<Val>[];
      const kwargs = mapArgTree(call.kwargs, lookup) as Record<string, ArgTree<Val>>;
      const specs = call.outputs.map((t): TensorSpec => ({ shape: t.shape, dtype: t.dtype }));
      outs = emitLayer(state, layer, args, kwargs, specs, path);
    }
    if (outs.length !== call.outputs.length) {
      throw new GraphError(
        `${layer.className} '${path}': the emitter made ${outs.length} outputs; Keras's call has ${call.outputs.length}.`,
      );
    }
    call.outputs.forEach((t, i) => values.set(t, outs[i]!));
    record(path, outs);
  }
  return graph.outputs.map(lookup);
}

function emitLayer(
  state: State,
  layer: Layer,
  args: ArgTree<Val>[],
  kwargs: Record<string, ArgTree<Val>>,
  outputs: TensorSpec[],
  path: string,
): Val[] {
  const emitter = findEmitter(state.emitters, state.registry, layer.className);
  if (!emitter) throw noEmitterError([layer.className], [path]);
  const kind = state.registry.get(layer.className, layer.meta.registeredName);
  const where = `${layer.className} '${path}'`;
  const inputs: Val[] = [];
  mapArgTree(args, (v: Val) => inputs.push(v), isVal);
  mapArgTree(kwargs, (v: Val) => inputs.push(v), isVal);
  const g = state.g;
  const ctx: EmitContext = {
    g,
    layer,
    config: new LayerConfig(layer.config, kind?.defaults ?? {}, where),
    inputs,
    args,
    kwargs,
    outputs,
    where,
    opset: g.opset,
    weight: (name) => findWeight(layer, name, where),
    hasWeight: (name) => layer.values.has(name) || [...layer.values.keys()].some((k) => k.endsWith(`/${name}`)),
    param(key, make) {
      let byKey = state.params.get(layer);
      if (!byKey) state.params.set(layer, (byKey = new Map()));
      let name = byKey.get(key);
      if (!name) {
        const { dims, data } = make();
        const type = data instanceof Float32Array ? 1 : data instanceof BigInt64Array ? 7 : 6;
        name = g.initializer(key, type, dims, data);
        byKey.set(key, name);
      }
      return name;
    },
    inner(serialized, innerInputs, weightPrefix) {
      const s = serialized as { class_name?: string; config?: Record<string, unknown>; registered_name?: string };
      const cfg = s.config ?? {};
      const innerLayer = new Layer(String(s.class_name), String(cfg.name ?? s.class_name), cfg, {
        registeredName: s.registered_name ?? null,
      });
      for (const [k, v] of layer.values) {
        if (k.startsWith(`${weightPrefix}/`)) innerLayer.values.set(k.slice(weightPrefix.length + 1), v);
      }
      const specs = innerInputs.map((v): TensorSpec => ({ shape: v.shape, dtype: v.dtype }));
      const resolve = state.registry.resolver();
      const { outputs: innerOuts } = evaluateLayer(innerLayer, [specs.length === 1 ? specs[0]! : specs], {}, resolve);
      const arg = innerInputs.length === 1 ? innerInputs[0]! : innerInputs;
      return emitLayer(state, innerLayer, [arg], {}, innerOuts, `${path}/${innerLayer.name}`).map((v) => v.name);
    },
    unsupported(detail) {
      throw noEmitterDetail(layer.className, where, detail);
    },
  };
  const saved = g.scope;
  g.scope = path;
  try {
    const names = emitter(ctx);
    return names.map((name, i): Val => ({
      name,
      shape: outputs[i]?.shape ?? [],
      dtype: outputs[i]?.dtype ?? "float32",
    }));
  } finally {
    g.scope = saved;
  }
}

const isVal = (v: unknown): v is Val =>
  !!v &&
  typeof v === "object" &&
  !Array.isArray(v) &&
  typeof (v as Val).name === "string" &&
  Array.isArray((v as Val).shape);

function noEmitterDetail(className: string, where: string, detail: string): Error {
  const e = noEmitterError([className], [where]);
  e.message = `${where}: cannot export to ONNX: ${detail}`;
  return e;
}

function findEmitter(emitters: EmitterRegistry, registry: LayerRegistry, className: string) {
  const direct = emitters.get(className);
  if (direct) return direct;
  const kind = registry.get(className);
  for (const name of kind ? [kind.className, ...(kind.aliases ?? [])] : []) {
    const e = emitters.get(name);
    if (e) return e;
  }
  return undefined;
}

/** Every layer class of the graph (nested models and wrapped layers included) must have an emitter. */
function checkEmitters(graph: Graph, emitters: EmitterRegistry, registry: LayerRegistry): void {
  const missing = new Map<string, string[]>();
  const visitClass = (className: string, where: string, config: Record<string, unknown>) => {
    if (!findEmitter(emitters, registry, className)) missing.set(className, [...(missing.get(className) ?? []), where]);
    for (const key of ["layer", "backward_layer"]) {
      const inner = config[key] as { class_name?: unknown; config?: Record<string, unknown> } | null | undefined;
      if (inner && typeof inner === "object" && typeof inner.class_name === "string") {
        visitClass(inner.class_name, `${where}/${String(inner.config?.name ?? inner.class_name)}`, inner.config ?? {});
      }
    }
  };
  const visit = (gr: Graph, prefix: string) => {
    for (const layer of gr.layers) {
      if (layer.subgraph) visit(layer.subgraph, `${prefix}${layer.name}/`);
      else visitClass(layer.className, `'${prefix}${layer.name}'`, layer.config);
    }
  };
  visit(graph, "");
  if (missing.size) throw noEmitterError([...missing.keys()], [...missing.values()].flat());
}

/** The output layer's name; a layer that gives several outputs adds `_1`, `_2`, ... from the second on. */
function outputName(graph: Graph, t: Tensor, i: number): string {
  const k = graph.outputs.slice(0, i).filter((o) => o.layer === t.layer).length;
  return k === 0 ? t.layer.name : `${t.layer.name}_${k}`;
}

function resolveExposed(
  emitted: Emitted[],
  expose: string[] | "all" | undefined,
): { info: Omit<ExposedOutput, "output">; val: Val }[] {
  if (!expose) return [];
  const out: { info: Omit<ExposedOutput, "output">; val: Val }[] = [];
  const add = (e: Emitted) => {
    const calls = emitted.filter((x) => x.path === e.path).length;
    e.values.forEach((val, index) => {
      const key = `${e.path}${calls > 1 && e.call > 0 ? `@${e.call}` : ""}${index > 0 ? `:${index}` : ""}`;
      out.push({ info: { key, layerPath: e.path, call: e.call, index }, val });
    });
  };
  if (expose === "all") {
    for (const e of emitted) add(e);
    return out;
  }
  const paths = [...new Set(emitted.map((e) => e.path))];
  for (const want of expose) {
    let path = paths.find((p) => p === want);
    if (!path) {
      const tail = paths.filter((p) => p.endsWith(`/${want}`));
      if (tail.length === 1) path = tail[0];
      else if (tail.length > 1) {
        throw new GraphError(`layer name '${want}' is ambiguous; use one of its paths: ${tail.join(", ")}`);
      }
    }
    if (!path) {
      throw new GraphError(
        `the model has no layer '${want}'. Received: ${JSON.stringify(want)}; layers are: ${paths.slice(0, 40).join(", ")}` +
          (paths.length > 40 ? `, ... (${paths.length} in all)` : ""),
      );
    }
    for (const e of emitted) if (e.path === path) add(e);
  }
  return out;
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
