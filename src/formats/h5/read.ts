import { FormatError, KerasGraphError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import type { LayerRegistry } from "../../layers/registry.js";
import { attrText, type H5Reader, withH5Reader } from "../hdf5/reader.js";
import { readKerasJson } from "../keras-json/read.js";
import { isRecord } from "../model-json.js";
import { loadAll } from "../weight-values.js";
import { readLegacyOptimizer, readLegacyWeights } from "./legacy-weights.js";
import { readH5Architecture } from "./read-architecture.js";
import { compileConfigFromTraining } from "./training-config.js";

export interface ReadH5Options {
  /** Layer kinds to read with (custom layers); the built-in catalog by default. */
  registry?: LayerRegistry;
  /** Read the architecture only (default: the weights too). */
  weights?: boolean;
  /** Attach weights that load from the file on first use (default), instead of reading them all now. */
  lazy?: boolean;
}

export interface H5Model {
  graph: Graph;
  kerasVersion?: string;
  backend?: string;
}

/**
 * Reads a legacy HDF5 model (`model.save("m.h5")`, Keras 1 to 3): `model_config` into the graph,
 * `training_config` into its `compile_config`, `model_weights` into its layers and `optimizer_weights`
 * into its optimizer state. Weights load lazily from the file unless `lazy: false`.
 */
export async function readH5Model(path: string, options: ReadH5Options = {}): Promise<H5Model> {
  try {
    return await withH5Reader(path, (file) => readModel(file, path, options));
  } catch (e) {
    throw e instanceof KerasGraphError ? e.inFile(path) : e;
  }
}

/** readH5Model on an opened reader (the browser's in-memory HDF5 uses it too: formats/read-bytes.ts). */
export function readModel(file: H5Reader, path: string, options: ReadH5Options): H5Model {
  const attrs = Object.fromEntries(file.attrNames("/").map((n) => [n, { value: file.attr("/", n) }]));
  const arch = readH5Architecture({ attrs }, path);
  const graph = readKerasJson(arch.modelConfig, {
    file: path,
    ...(options.registry ? { registry: options.registry } : {}),
  });
  const training = attrText(file, "/", "training_config");
  if (training) {
    const compile = compileConfigFromTraining(parseJsonAttr(training, "training_config", path));
    if (compile) graph.envelope.compile_config = compile;
  }
  if (options.weights !== false) {
    if (file.kind("/model_weights") !== "group") {
      throw new FormatError(
        "has a model_config but no model_weights group: the model was saved without its weights, or the file is incomplete.",
      );
    }
    readLegacyWeights(file, "/model_weights", graph);
    const optimizer = readLegacyOptimizer(file, arch.kerasVersion);
    if (optimizer) graph.optimizer = optimizer;
    if (options.lazy === false) loadAll(graph);
  }
  return {
    graph,
    ...(arch.kerasVersion ? { kerasVersion: arch.kerasVersion } : {}),
    ...(arch.backend ? { backend: arch.backend } : {}),
  };
}

/**
 * Attaches the weights of a legacy weights-only HDF5 file (`model.save_weights("w.h5")` of Keras 1/2, or
 * the `model_weights` group of a full model file) to a graph read from its architecture JSON.
 */
export async function readH5WeightsInto(graph: Graph, path: string, options: { lazy?: boolean } = {}): Promise<void> {
  try {
    await withH5Reader(path, (file) => {
      readLegacyWeights(file, file.kind("/model_weights") === "group" ? "/model_weights" : "/", graph);
      if (options.lazy === false) loadAll(graph);
    });
  } catch (e) {
    throw e instanceof KerasGraphError ? e.inFile(path) : e;
  }
}

function parseJsonAttr(text: string, name: string, path: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    if (!isRecord(value)) throw new Error(`expected an object, got ${typeof value}`);
    return value;
  } catch (e) {
    throw new FormatError(`the ${name} attribute is not a JSON object (${(e as Error).message}).`, {
      file: path,
      cause: e,
    });
  }
}
