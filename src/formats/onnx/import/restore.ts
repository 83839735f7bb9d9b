import { FormatError } from "../../../ir/errors.js";
import type { Graph, Layer } from "../../../ir/graph.js";
import { type Scratch, type TypedArray, WeightData } from "../../../ir/weights.js";
import type { LayerRegistry } from "../../../layers/registry.js";
import { readKerasJson } from "../../keras-json/read.js";
import {
  KERAS_CONFIG_KEY,
  KERAS_WEIGHTS_KEY,
  ONNX_FINGERPRINT_KEY,
  type WeightSource,
  onnxFingerprint,
  squeezed,
} from "../keras-metadata.js";
import { transposeData } from "../tensor-data.js";
import { arrayFor, sizeOf } from "./const.js";
import type { ReadOnnx } from "./read-model.js";

/** Every layer of a graph by path (`outer/inner` inside nested models). */
function layersByPath(graph: Graph, prefix = "", out = new Map<string, Layer>()): Map<string, Layer> {
  for (const layer of graph.layers) {
    const path = `${prefix}${layer.name}`;
    if (!out.has(path)) out.set(path, layer);
    if (layer.subgraph) layersByPath(layer.subgraph, `${path}/`, out);
  }
  return out;
}

/** True when the file carries kerasgraph's Keras metadata and it describes this very graph. */
export function hasKerasMetadata(read: ReadOnnx): boolean {
  const m = read.metadata;
  if (!m[KERAS_CONFIG_KEY] || !m[KERAS_WEIGHTS_KEY]) return false;
  return m[ONNX_FINGERPRINT_KEY] === onnxFingerprint(read.opTypes, read.initializers.size);
}

/**
 * The Keras model a kerasgraph export came from, rebuilt from its metadata (see keras-metadata.ts):
 * the config read as Keras JSON, every weight taken from its initializer (transposed back) or from
 * the inlined bytes. The result is the original graph: same config, same weights, bit for bit.
 */
export function restoreKerasModel(read: ReadOnnx, options: { file?: string; registry?: LayerRegistry } = {}): Graph {
  const file = options.file;
  const graph = readKerasJson(read.metadata[KERAS_CONFIG_KEY]!, {
    ...(file ? { file } : {}),
    ...(options.registry ? { registry: options.registry } : {}),
  });
  let sources: WeightSource[];
  try {
    sources = JSON.parse(read.metadata[KERAS_WEIGHTS_KEY]!) as WeightSource[];
  } catch (e) {
    throw new FormatError(`its ${KERAS_WEIGHTS_KEY} metadata is not JSON: ${(e as Error).message}`, { file, cause: e });
  }
  const layers = layersByPath(graph);
  for (const s of sources) {
    const layer = layers.get(s.layer);
    if (!layer) {
      throw new FormatError(
        `its Keras metadata lists weights of layer '${s.layer}', which the Keras config does not have. Received: ${s.layer}/${s.weight}`,
        {
          file,
        },
      );
    }
    const { values, readInto } = weightValues(read, s, file);
    layer.values.set(s.weight, new WeightData(s.dtype, [...s.shape], values, readInto));
  }
  return graph;
}

/**
 * A weight's values: checked now, laid out when first used (a loader, so that a model whose
 * initializers live in an external data file is restored and written one weight at a time).
 */
function weightValues(
  read: ReadOnnx,
  s: WeightSource,
  file?: string,
): { values: TypedArray | (() => TypedArray); readInto?: (scratch: Scratch) => TypedArray } {
  const where = `weight '${s.layer}/${s.weight}'`;
  const size = s.shape.reduce((a, b) => a * b, 1);
  if (s.initializer !== undefined) {
    const init = read.initializers.get(s.initializer);
    if (!init || init.dtype !== "float32" || sizeOf(init.dims) !== size) {
      throw new FormatError(
        `its Keras metadata takes ${where} from initializer '${s.initializer}', which is missing or of another size.`,
        { file },
      );
    }
    const layout = s.layout ?? squeezed(init.dims);
    const perm = s.perm ?? layout.map((_, i) => i);
    // Without a perm the values are taken in order (any reshape); a transpose must give the weight's shape.
    const isPerm = perm.length === layout.length && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
    const transposes = s.perm !== undefined;
    if (
      !isPerm ||
      layout.reduce((a, b) => a * b, 1) !== size ||
      (transposes && perm.map((p) => layout[p]).join() !== squeezed(s.shape).join())
    ) {
      throw new FormatError(
        `its Keras metadata reads ${where} from initializer '${s.initializer}' through a layout that does not give its shape. ` +
          `Received: layout=${JSON.stringify(s.layout ?? null)}, perm=${JSON.stringify(s.perm ?? null)}, shape=${JSON.stringify(s.shape)}`,
        { file },
      );
    }
    return {
      values: () => {
        const values = init.read ? init.read() : init.data.slice();
        return s.perm ? transposeData(values, layout, perm) : values;
      },
      // For a writer: the initializer read into the scratch buffer, transposed into another one.
      readInto: (scratch) => {
        const values = init.readInto ? init.readInto(scratch) : init.data;
        return s.perm ? transposeData(values, layout, perm, scratch.like("layout", values)) : values;
      },
    };
  }
  const bytes = Buffer.from(s.data ?? "", "base64");
  const out = arrayFor(s.dtype, size);
  if (!out || out.byteLength !== bytes.length) {
    throw new FormatError(
      `its Keras metadata holds ${bytes.length} bytes for ${where} (${s.dtype}, shape [${s.shape.join(", ")}]).`,
      { file },
    );
  }
  new Uint8Array(out.buffer).set(bytes);
  return { values: out };
}
