import type { Graph } from "../../../ir/graph.js";
import { KerasGraphError } from "../../../ir/errors.js";
import "../../../layers/index.js";
import { type LayerRegistry, defaultRegistry } from "../../../layers/registry.js";
import { buildKerasGraph } from "./build.js";
import { inferGraph } from "./infer/run.js";
import type { ImportGraph } from "./graph.js";
import type { Mapper } from "./mappers/context.js";
import { defaultMappers } from "./mappers/index.js";
import { canonicalizeChains, foldPermuteIntoDense, fuseChannelsFirstFlatten } from "./passes/chains.js";
import {
  alignLegacyBroadcast,
  dropCastsIntoEmbeddings,
  removePassThrough,
  unfoldDeclaredBatch,
} from "./passes/cleanup.js";
import { fuseActivations, fuseConvBias, fuseDenseBias } from "./passes/fuse.js";
import { recognizeGlobalPooling } from "./passes/global-pool.js";
import { recognizeActivationPatterns } from "./passes/activation-patterns.js";
import { recognizeLayerNorm } from "./passes/layer-norm.js";
import { recognizeRmsNorm } from "./passes/rms-norm.js";
import { recognizeRecurrent } from "./passes/recurrent.js";
import { recognizeRepeats } from "./passes/repeat.js";
import { repairTransposedBatchNorm } from "./passes/repairs.js";
import { sinkTransposes } from "./passes/sink-transposes.js";
import { type ReadOnnx, readOnnxBytes } from "./read-model.js";
import { hasKerasMetadata, restoreKerasModel } from "./restore.js";

export interface ImportOptions {
  /** The file the bytes came from: named in errors, and where external data is found. */
  file?: string;
  /**
   * Channels-first regions: "auto" (default) turns a region channels_last where the file already
   * transposes around it (Keras's and tf2onnx's exports) and keeps PyTorch's channels-first regions
   * as they are (data_format="channels_first"); "channels_last" turns every region channels_last,
   * with one Permute behind each channels-first input.
   */
  layout?: "auto" | "channels_last";
  /** Layer kinds to build with (the built-in catalog by default). */
  registry?: LayerRegistry;
  /** Mappers by op (the built-in ones by default; add entries for custom ops). */
  mappers?: Record<string, Mapper>;
  /**
   * Restore the original Keras model from a kerasgraph export's metadata (default true); false
   * imports the ONNX graph as any foreign file.
   */
  kerasMetadata?: boolean;
}

/** One named rewrite of the import graph; returns how many places it changed. */
export interface ImportPass {
  name: string;
  run(g: ImportGraph, options: ImportOptions): number;
}

/**
 * The passes, in order. Shape inference and constant folding come first (every later pass reads
 * shapes); patterns that span several ONNX nodes become one node each before layouts are settled;
 * chains of data movement are canonicalized last, then Dense/Conv absorb their bias and activation.
 */
export const importPasses: ImportPass[] = [
  { name: "legacy-broadcast", run: (g) => alignLegacyBroadcast(g) },
  { name: "declared-batch", run: (g) => unfoldDeclaredBatch(g) },
  { name: "infer", run: (g) => inferGraph(g) },
  { name: "pass-through", run: (g) => removePassThrough(g) },
  { name: "embedding-casts", run: (g) => dropCastsIntoEmbeddings(g) },
  { name: "repair-transposed-batchnorm", run: (g) => repairTransposedBatchNorm(g) },
  { name: "layer-norm", run: (g) => recognizeLayerNorm(g) },
  { name: "rms-norm", run: (g) => recognizeRmsNorm(g) },
  { name: "activation-patterns", run: (g) => recognizeActivationPatterns(g) },
  { name: "repeats", run: (g) => recognizeRepeats(g) },
  { name: "recurrent", run: (g) => recognizeRecurrent(g) },
  { name: "sink-transposes", run: (g, o) => sinkTransposes(g, { forceChannelsLast: o.layout === "channels_last" }) },
  { name: "layer-norm-channels-last", run: (g) => recognizeLayerNorm(g) },
  { name: "global-pooling", run: (g) => recognizeGlobalPooling(g) },
  { name: "chains", run: (g) => canonicalizeChains(g) },
  { name: "channels-first-flatten", run: (g) => fuseChannelsFirstFlatten(g) },
  { name: "permute-into-dense", run: (g) => foldPermuteIntoDense(g) },
  { name: "dense-bias", run: (g) => fuseDenseBias(g) },
  { name: "conv-bias", run: (g) => fuseConvBias(g) },
  { name: "activations", run: (g) => fuseActivations(g) },
  { name: "dead-code", run: (g) => g.removeDeadNodes() },
];

/** What an import did: the Keras graph, whether it came from metadata, per pass how many places changed. */
export interface Imported {
  graph: Graph;
  read: ReadOnnx;
  /** True when the file was kerasgraph's export of a Keras model and that model was restored. */
  restored: boolean;
  passes: Record<string, number>;
}

/**
 * Imports a foreign ONNX model as Keras layers: reads it, runs the passes, maps every node with its
 * op's mapper and builds the Keras graph (weights attached). An op with no Keras equivalent raises
 * UnsupportedLayerError naming the op and the node.
 */
export function importOnnxGraph(read: ReadOnnx, options: ImportOptions = {}): Imported {
  const g = read.graph;
  const counts: Record<string, number> = {};
  if (options.kerasMetadata !== false && hasKerasMetadata(read)) {
    const graph = restoreKerasModel(read, {
      ...(options.file ? { file: options.file } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
    });
    return { graph, read, restored: true, passes: counts };
  }
  try {
    for (const pass of importPasses) counts[pass.name] = pass.run(g, options);
    g.sort();
    const registry = options.registry ?? defaultRegistry;
    const graph = buildKerasGraph(g, { ...defaultMappers, ...options.mappers }, registry.resolver(options.file));
    return { graph, read, restored: false, passes: counts };
  } catch (e) {
    if (e instanceof KerasGraphError && options.file) throw e.inFile(options.file);
    throw e;
  }
}

/** Reads ONNX bytes and imports them (see importOnnxGraph). */
export function importOnnxBytes(bytes: Uint8Array, options: ImportOptions = {}): Imported {
  return importOnnxGraph(readOnnxBytes(bytes, options.file ? { file: options.file } : {}), options);
}
