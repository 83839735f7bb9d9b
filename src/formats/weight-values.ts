import { FormatError } from "../ir/errors.js";
import type { Graph, Layer, WeightSpec } from "../ir/graph.js";
import { kerasLayerOrder } from "../ir/order.js";
import { type TypedArray, WeightData, withDeferredChecks } from "../ir/weights.js";

/** One variable as a file stores it: the layer whose `values` hold it and its spec. */
export interface WeightRef {
  layer: Layer;
  weight: WeightSpec;
}

/**
 * A model's `layers` as Keras lists them when it saves or loads weights: for Sequential without the
 * InputLayer (`Sequential.layers` omits it), for a functional model in Keras's own order (`map_graph`),
 * which is the order of the config Keras writes.
 */
export function savedLayers(graph: Graph): Layer[] {
  if (graph.className === "Sequential") {
    return graph.layers[0]?.className === "InputLayer" ? graph.layers.slice(1) : [...graph.layers];
  }
  if (graph.outputs.length) {
    const ordered = kerasLayerOrder(graph.inputs, graph.outputs);
    const all = new Set(graph.layers);
    if (ordered.length === all.size && ordered.every((l) => all.has(l))) return ordered;
  }
  return graph.uniqueLayers();
}

/**
 * A layer's variables in the legacy HDF5 order, `layer.trainable_weights + layer.non_trainable_weights`
 * (`_legacy_weights`): a nested model contributes its inner layers' variables, a frozen layer's are all
 * non-trainable.
 */
export function legacyWeightOrder(layer: Layer): WeightRef[] {
  const seen = new Set<WeightSpec>();
  const all = layer.variables().filter((v) => !seen.has(v.weight) && seen.add(v.weight));
  const refs = (trainable: boolean) =>
    all.filter((v) => v.trainable === trainable).map(({ layer, weight }) => ({ layer, weight }));
  return [...refs(true), ...refs(false)];
}

/** `(3, 4)` as Keras prints shapes in its messages. */
export function shapeText(shape: readonly number[]): string {
  return `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
}

/**
 * Attaches a value read from a file to a layer's variable. The shape must match (Keras's `assign` raises
 * otherwise); a different dtype is converted to the variable's, as `assign` does, keeping a lazy value
 * lazy.
 */
export function attachWeight(ref: WeightRef, data: WeightData, where: string): void {
  const { layer, weight } = ref;
  if (data.shape.length !== weight.shape.length || data.shape.some((d, i) => d !== weight.shape[i])) {
    throw new FormatError(
      `layer '${layer.name}' (${layer.className}): weight '${weight.name}' has shape ${shapeText(weight.shape)} in the model, ` +
        `but ${where} holds shape ${shapeText(data.shape)}. The weights do not belong to this architecture.`,
    );
  }
  layer.values.set(weight.name, data.dtype === weight.dtype ? data : castWeight(data, weight.dtype));
}

/** Reorders a layer's values to the order of its weights. */
export function inWeightOrder(layer: Layer): void {
  const order = (layer.weights ?? []).map((w) => w.name).filter((n) => layer.values.has(n));
  if (order.length !== layer.values.size || order.every((n, i) => [...layer.values.keys()][i] === n)) return;
  const values = new Map(order.map((n) => [n, layer.values.get(n)!]));
  layer.values.clear();
  for (const [n, v] of values) layer.values.set(n, v);
}

/** A value converted to another dtype, lazily when the value itself is not loaded yet. */
export function castWeight(data: WeightData, dtype: string): WeightData {
  const convert = () => castArray(data.values, data.dtype, dtype);
  return new WeightData(dtype, data.shape, data.loaded ? convert() : convert);
}

function castArray(values: TypedArray, from: string, to: string): TypedArray {
  const numbers = toNumbers(values, from);
  switch (to) {
    case "float32":
      return Float32Array.from(numbers);
    case "float64":
      return Float64Array.from(numbers);
    case "float16":
      return floatsToHalf(numbers);
    case "bfloat16": {
      const bits = new Uint32Array(Float32Array.from(numbers).buffer);
      return Uint16Array.from(bits, (b) => b >>> 16);
    }
    case "int8":
      return Int8Array.from(numbers);
    case "uint8":
      return Uint8Array.from(numbers);
    case "bool":
      return Uint8Array.from(numbers, (v) => (v ? 1 : 0));
    case "int16":
      return Int16Array.from(numbers);
    case "uint16":
      return Uint16Array.from(numbers);
    case "int32":
      return Int32Array.from(numbers);
    case "uint32":
      return Uint32Array.from(numbers);
    case "int64":
      return BigInt64Array.from(numbers, (v) => BigInt(Math.trunc(v)));
    case "uint64":
      return BigUint64Array.from(numbers, (v) => BigInt(Math.trunc(v)));
  }
  throw new FormatError(`cannot convert a weight to dtype '${to}'. Received: a ${from} value.`);
}

function toNumbers(values: TypedArray, dtype: string): Float64Array {
  if (dtype === "float16") return Float64Array.from(values as Uint16Array, halfToFloat);
  if (dtype === "bfloat16")
    return Float64Array.from(values as Uint16Array, (b) => new Float32Array(Uint32Array.of(b << 16).buffer)[0]!);
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) return Float64Array.from(values, Number);
  return Float64Array.from(values as ArrayLike<number>);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Rounds to the nearest float16 (ties to even, through float32 as NumPy's astype does). */
function floatsToHalf(numbers: Float64Array): Uint16Array {
  const f32 = Float32Array.from(numbers);
  const u32 = new Uint32Array(f32.buffer);
  const out = new Uint16Array(numbers.length);
  for (let i = 0; i < u32.length; i++) {
    const x = u32[i]!;
    const sign = (x >>> 16) & 0x8000;
    const e = (x >>> 23) & 0xff;
    const mant = x & 0x7fffff;
    if (e === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    const exp = e - 127 + 15;
    if (exp >= 31) out[i] = sign | 0x7c00;
    else if (exp <= 0) {
      if (exp < -10) out[i] = sign;
      else {
        const m = mant | 0x800000;
        const shift = 14 - exp;
        let half = m >> shift;
        const rest = m & ((1 << shift) - 1);
        const mid = 1 << (shift - 1);
        if (rest > mid || (rest === mid && half & 1)) half++;
        out[i] = sign | half;
      }
    } else {
      let half = sign | (exp << 10) | (mant >> 13);
      const rest = mant & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
      out[i] = half;
    }
  }
  return out;
}

/**
 * Every variable of the graph that has no value yet, as "layer/weight" — after a reader attached what
 * the file holds, these are the weights the file lacks.
 */
export function missingWeights(graph: Graph): string[] {
  const missing: string[] = [];
  const visit = (g: Graph) => {
    for (const layer of g.uniqueLayers()) {
      if (layer.subgraph) visit(layer.subgraph);
      else for (const w of layer.weights ?? []) if (!layer.values.has(w.name)) missing.push(`${layer.name}/${w.name}`);
    }
  };
  visit(graph);
  return missing;
}

/**
 * Loads every value of the graph (and its optimizer state) now, for readers asked not to be lazy. The
 * sources' checks (a large `.keras` member's CRC) are made once all are loaded, from those reads: if one
 * fails, the values loaded are dropped and its error is thrown.
 */
export function loadAll(graph: Graph): void {
  const visit = (g: Graph) => {
    for (const layer of g.uniqueLayers()) {
      if (layer.subgraph) visit(layer.subgraph);
      for (const v of layer.values.values()) void v.values;
    }
  };
  withDeferredChecks(() => {
    visit(graph);
    for (const v of graph.optimizer?.variables ?? []) void v.data.values;
  });
}

/**
 * The value a writer stores for a variable: it must exist and have the variable's shape. `file` names
 * what is being written ("a .keras archive", "the HDF5 file") in the message.
 */
export function valueToWrite(ref: WeightRef, file: string): WeightData {
  const { layer, weight } = ref;
  const data = layer.values.get(weight.name);
  if (!data) {
    throw new FormatError(
      `layer '${layer.name}' (${layer.className}) has no value for weight '${weight.name}'; ${file} needs every weight. ` +
        `Read the model from a file with weights (.keras, .h5, or ARCH.json with its weights file).`,
    );
  }
  if (data.shape.length !== weight.shape.length || data.shape.some((d, k) => d !== weight.shape[k])) {
    throw new FormatError(
      `layer '${layer.name}': the value of weight '${weight.name}' has shape ${shapeText(data.shape)}, the layer expects ${shapeText(weight.shape)}.`,
    );
  }
  return data;
}
