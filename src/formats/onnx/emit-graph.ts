import { evaluateLayer } from "../../ir/build.js";
import { LayerConfig } from "../../ir/config.js";
import { GraphError } from "../../ir/errors.js";
import type { ArgTree, Graph, Tensor, TensorSpec } from "../../ir/graph.js";
import { Layer, forEachTensor, mapArgTree } from "../../ir/graph.js";
import { topologicalCalls } from "../../ir/topo.js";
import { isLambdaLayer, lambdaRefusal } from "../../layers/core/lambda-function.js";
import type { LayerRegistry } from "../../layers/registry.js";
import type { OnnxBuilder } from "./builder.js";
import { type EmitContext, type EmitterRegistry, type Val, findWeight, noEmitterError } from "./emitter.js";
import { checkMaskUse, outputMasks } from "./masks.js";

/** One call of one layer as emitted: its path (`encoder/conv2d`), which call it was, its values. */
export interface Emitted {
  path: string;
  call: number;
  values: Val[];
}

/** What the walk carries: the builder, kinds and emitters, per-layer initializers, what was emitted. */
export interface EmitState {
  g: OnnxBuilder;
  registry: LayerRegistry;
  emitters: EmitterRegistry;
  params: Map<Layer, Map<string, string>>;
  emitted: Emitted[];
  /** Calls of each layer path emitted so far (a nested model called twice emits its layers twice). */
  calls: Map<string, number>;
}

export function emitGraph(state: EmitState, graph: Graph, inputVals: Val[], prefix: string): Val[] {
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
  state: EmitState,
  layer: Layer,
  args: ArgTree<Val>[],
  kwargs: Record<string, ArgTree<Val>>,
  outputs: TensorSpec[],
  path: string,
): Val[] {
  const emitter = findEmitter(state.emitters, state.registry, layer.className, layer.meta.module);
  if (!emitter) throw noEmitterError([qualified(layer.className, layer.meta.module)], [path]);
  const kind = state.registry.get(layer.className, layer.meta.registeredName, layer.meta.module);
  const where = `${layer.className} '${path}'`;
  const inputs: Val[] = [];
  mapArgTree(args, (v: Val) => inputs.push(v), isVal);
  mapArgTree(kwargs, (v: Val) => inputs.push(v), isVal);
  const g = state.g;
  const masks: (string | null | undefined)[] = [];
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
    weightParam(key, weight, layout = {}) {
      let byKey = state.params.get(layer);
      if (!byKey) state.params.set(layer, (byKey = new Map()));
      let name = byKey.get(key);
      if (!name) {
        name = g.weight(key, findWeight(layer, weight, where), layout.perm, layout.dims);
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
    setOutputMask(index, mask) {
      masks[index] = mask;
    },
    unsupported(detail) {
      throw noEmitterDetail(layer.className, where, detail);
    },
  };
  const saved = g.scope;
  g.scope = path;
  try {
    checkMaskUse(ctx);
    const names = emitter(ctx);
    const outMasks = outputMasks(ctx, masks, names.length);
    return names.map((name, i): Val => ({
      name,
      shape: outputs[i]?.shape ?? [],
      dtype: outputs[i]?.dtype ?? "float32",
      mask: outMasks[i] ?? null,
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

/**
 * A layer's emitter: by class name (or the kind's aliases). A Keras operation (`module:
 * "keras.src.ops.numpy"`, the `Add` of `x + 3`) is looked up as `<module>.<class>` only, never as the
 * layer of the same name.
 */
function findEmitter(emitters: EmitterRegistry, registry: LayerRegistry, className: string, module?: string | null) {
  if (module?.startsWith("keras.src.ops")) {
    const kind = registry.get(className, null, module);
    for (const name of [className, ...(kind?.aliases ?? [])]) {
      const e = emitters.get(`${module}.${name}`);
      if (e) return e;
    }
    return undefined;
  }
  // A Keras 3 registered name ("package>Name", as legacy .h5 files store custom classes) finds "Name" too.
  const direct =
    emitters.get(className) ?? (className.includes(">") ? emitters.get(className.split(">").at(-1)!) : undefined);
  if (direct) return direct;
  const kind = registry.get(className);
  for (const name of kind ? [kind.className, ...(kind.aliases ?? [])] : []) {
    const e = emitters.get(name);
    if (e) return e;
  }
  return undefined;
}

/** How a layer is named in messages about emitters: an operation by its module. */
function qualified(className: string, module?: string | null): string {
  return module?.startsWith("keras.src.ops") ? `${module}.${className}` : className;
}

/** Every layer class of the graph (nested models and wrapped layers included) must have an emitter. */
export function checkEmitters(graph: Graph, emitters: EmitterRegistry, registry: LayerRegistry): void {
  const missing = new Map<string, string[]>();
  const visitClass = (className: string, where: string, config: Record<string, unknown>, module?: string | null) => {
    if (!findEmitter(emitters, registry, className, module)) {
      const name = qualified(className, module);
      missing.set(name, [...(missing.get(name) ?? []), where]);
    }
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
      else if (isLambdaLayer(layer) && !findEmitter(emitters, registry, layer.className, layer.meta.module)) {
        const where = `'${prefix}${layer.name}'`;
        throw lambdaRefusal(layer, where, "the ONNX export (and onnxruntime)", {
          lead: `cannot export to ONNX: no emitter for layer class 'Lambda' (used by ${where}): `,
          remedy: `If you know what it computes, register an emitter: registerEmitter("Lambda", (ctx) => [...]).`,
        });
      } else visitClass(layer.className, `'${prefix}${layer.name}'`, layer.config, layer.meta.module);
    }
  };
  visit(graph, "");
  if (missing.size) throw noEmitterError([...missing.keys()], [...missing.values()].flat());
}
