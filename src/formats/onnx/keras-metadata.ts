import type { Graph, Layer } from "../../ir/graph.js";
import type { WeightData } from "../../ir/weights.js";
import { DeferredTensor, tensorValues } from "./deferred.js";
import { kerasJsonView } from "../keras-json/write.js";
import { DataType, type OnnxGraph, type OnnxModel, type OnnxTensor } from "./model.js";
import { transposeData } from "./tensor-data.js";

/**
 * The Keras model an exported ONNX file came from, kept in its `metadata_props` so that importing the
 * file restores the original layers exactly (the ONNX graph alone loses Keras's layer boundaries and
 * configs). Three entries:
 *
 * - `kerasgraph.keras_config`: Keras 3's model config (`model.to_json()`);
 * - `kerasgraph.keras_weights`: for every weight, where its values are: an initializer of the graph
 *   holding the same values (possibly transposed: `perm`), or — for weights the emitters re-laid out
 *   beyond a transpose (LSTM gate order, folded batch norms) or that are not float32 — the values
 *   themselves in base64;
 * - `kerasgraph.onnx_fingerprint`: the graph's op sequence, so an edited graph is not restored from
 *   stale metadata.
 *
 * This is kept apart from the exporter: the exporter calls `withKerasMetadata` when it writes a file.
 */
export const KERAS_CONFIG_KEY = "kerasgraph.keras_config";
export const KERAS_WEIGHTS_KEY = "kerasgraph.keras_weights";
export const ONNX_FINGERPRINT_KEY = "kerasgraph.onnx_fingerprint";

/** Where one weight's values are in the file. */
export interface WeightSource {
  /** The layer's path: its name, `outer/inner` inside nested models. */
  layer: string;
  weight: string;
  dtype: string;
  shape: number[];
  /**
   * An initializer with the same values, read through `perm`: weight = initializer.squeeze().transpose(perm),
   * or initializer.reshape(layout).transpose(perm) when `layout` is given (the initializer merged axes).
   */
  initializer?: string;
  perm?: number[];
  layout?: number[];
  /** The values' little-endian bytes, base64. */
  data?: string;
}

/**
 * The graph's op sequence and initializer count, hashed (FNV-1a): a stand-in for "this is the graph
 * the metadata describes".
 */
export function onnxFingerprint(opTypes: readonly string[], initializers: number): string {
  let h = 0x811c9dc5;
  const text = `${opTypes.length}|${opTypes.join(",")}|${initializers}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${opTypes.length}:${h.toString(16)}`;
}

/** Every layer with weight values, with its path, once each (nested models walked, shared layers once). */
export function weightedLayers(graph: Graph, prefix = "", seen = new Set<Layer>()): { path: string; layer: Layer }[] {
  const out: { path: string; layer: Layer }[] = [];
  for (const layer of graph.layers) {
    if (seen.has(layer)) continue;
    seen.add(layer);
    if (layer.subgraph) out.push(...weightedLayers(layer.subgraph, `${prefix}${layer.name}/`, seen));
    else if (layer.values.size) out.push({ path: `${prefix}${layer.name}`, layer });
  }
  return out;
}

function permutations(n: number): number[][] {
  if (n <= 1) return [Array.from({ length: n }, (_, i) => i)];
  const out: number[][] = [];
  for (const rest of permutations(n - 1)) {
    for (let at = 0; at <= rest.length; at++) out.push([...rest.slice(0, at), n - 1, ...rest.slice(at)]);
  }
  return out;
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** The initializers the exporter laid out from a weight (their origin), by weight. */
function byOrigin(initializers: OnnxTensor[]): Map<WeightData, DeferredTensor> {
  const out = new Map<WeightData, DeferredTensor>();
  for (const t of initializers)
    if (t instanceof DeferredTensor && t.origin && !out.has(t.origin.weight)) out.set(t.origin.weight, t);
  return out;
}

/** weight = initializer read with `layout` (its origin's axis sizes), transposed by `perm`. */
function fromOrigin(
  t: OnnxTensor,
  axes: number[],
  shape: number[],
): Pick<WeightSource, "initializer" | "perm" | "layout"> {
  const nonUnit = shape.map((d, i) => (d !== 1 ? i : -1)).filter((i) => i >= 0);
  const perm = nonUnit.map((a) => axes.indexOf(a));
  const layout = axes.map((a) => shape[a]!);
  const sameLayout = layout.join() === squeezed(t.dims).join();
  return {
    initializer: t.name,
    ...(perm.every((p, i) => p === i) ? {} : { perm }),
    ...(sameLayout ? {} : { layout }),
  };
}

/**
 * The float32 initializers no weight was laid out from (those hold other weights' values), by element
 * count: the candidates for a weight's values, found once for the whole graph.
 */
function candidatesBySize(initializers: OnnxTensor[]): Map<number, OnnxTensor[]> {
  const out = new Map<number, OnnxTensor[]>();
  for (const t of initializers) {
    if (t.dataType !== DataType.FLOAT || (t instanceof DeferredTensor && t.origin)) continue;
    const size = t.dims.reduce((a, b) => a * b, 1);
    const list = out.get(size);
    if (list) list.push(t);
    else out.set(size, [t]);
  }
  return out;
}

/**
 * For a weight no initializer was laid out from: a float32 initializer of the same size holding its
 * values, as stored or transposed. Sizes of 1 are left out on both sides (they do not move data), so
 * `perm` applies to squeezed dims.
 */
function compareSource(
  values: Float32Array,
  shape: number[],
  bySize: Map<number, OnnxTensor[]>,
): { name: string; perm?: number[] } | null {
  const sameSize = bySize.get(values.length) ?? [];
  for (const t of sameSize) if (sameBits(tensorValues(t) as Float32Array, values)) return { name: t.name };
  const want = squeezed(shape);
  if (want.length < 2 || want.length > 5) return null;
  for (const t of sameSize) {
    const have = squeezed(t.dims);
    if (have.length !== want.length) continue;
    for (const perm of permutations(want.length)) {
      // weight = initializer.transpose(perm): shapes must agree before comparing values.
      if (perm.every((p, i) => p === i) || !perm.every((p, i) => have[p] === want[i])) continue;
      if (sameBits(transposeData(tensorValues(t) as Float32Array, have, perm), values)) return { name: t.name, perm };
    }
  }
  return null;
}

/** Dims without the sizes of 1. */
export function squeezed(dims: readonly number[]): number[] {
  return dims.filter((d) => d !== 1);
}

/**
 * Where a weight no initializer was laid out from is: a float32 initializer of the same size holding
 * the same values, as stored or transposed (an emitter that made a plain tensor of it), else its
 * bytes in base64. Its values are loaded once for both, and dropped again if they were not loaded.
 */
function located(
  w: WeightData,
  bySize: Map<number, OnnxTensor[]>,
): Pick<WeightSource, "initializer" | "perm" | "data"> {
  const wasLoaded = w.loaded;
  try {
    const hit = w.dtype === "float32" ? compareSource(w.values as Float32Array, w.shape, bySize) : null;
    if (hit) return { initializer: hit.name, ...(hit.perm ? { perm: hit.perm } : {}) };
    const a = w.values;
    return { data: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64") };
  } finally {
    if (!wasLoaded) w.release();
  }
}

/** The metadata entries for a graph and its exported ONNX graph. */
export function kerasMetadata(graph: Graph, onnx: OnnxGraph): Record<string, string> {
  const sources: WeightSource[] = [];
  const origins = byOrigin(onnx.initializers);
  const bySize = candidatesBySize(onnx.initializers);
  for (const { path, layer } of weightedLayers(graph)) {
    for (const [weight, w] of layer.values) {
      const entry: WeightSource = { layer: path, weight, dtype: w.dtype, shape: [...w.shape] };
      const own = w.dtype === "float32" ? origins.get(w) : undefined;
      sources.push({ ...entry, ...(own ? fromOrigin(own, own.origin!.axes, w.shape) : located(w, bySize)) });
    }
  }
  return {
    [KERAS_CONFIG_KEY]: JSON.stringify(kerasJsonView(graph, { dialect: "keras3" })),
    [KERAS_WEIGHTS_KEY]: JSON.stringify(sources),
    [ONNX_FINGERPRINT_KEY]: onnxFingerprint(
      onnx.nodes.map((n) => n.opType),
      onnx.initializers.length,
    ),
  };
}

/** The model with the Keras metadata added (the exporter's hook for files it writes). */
export function withKerasMetadata(model: OnnxModel, graph: Graph): OnnxModel {
  model.metadata = { ...model.metadata, ...kerasMetadata(graph, model.graph) };
  return model;
}
