import { readSync, statSync } from "node:fs";
import { heldFile } from "../held-files.js";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { FormatError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import type { LayerRegistry } from "../../layers/registry.js";
import { compileConfigFromTraining } from "../h5/training-config.js";
import { readKerasJson } from "../keras-json/read.js";
import { parseModelJson } from "../model-json.js";
import { missingWeights } from "../weight-values.js";
import { readTfjsArchitecture } from "./read-architecture.js";
import { type ShardSource, attachTfjsShardWeights } from "./shard-weights.js";
import { shardRelativePath } from "./shard-path.js";

export interface ReadTfjsOptions {
  registry?: LayerRegistry;
  /** Read the weight shards (default true). */
  weights?: boolean;
}

export interface TfjsModelFile {
  graph: Graph;
  kerasVersion?: string;
  backend?: string;
}

/**
 * Reads a TF.js layers model: `model.json` (either topology shape, old list-style configs) into the
 * IR, the converter's `training_config` into the compile config, and the weights of its manifest into
 * the layers (shard paths relative to model.json, `./`-prefixed or URL-escaped; see shard-weights.ts
 * for how entries pair with variables).
 */
export async function readTfjsModel(path: string, options: ReadTfjsOptions = {}): Promise<TfjsModelFile> {
  const json = parseModelJson(await readFile(path, "utf8"), path);
  const arch = readTfjsArchitecture(json, path);
  const graph = readKerasJson(arch.modelConfig, {
    file: path,
    ...(options.registry ? { registry: options.registry } : {}),
  });
  const compile = compileConfigFromTraining(arch.trainingConfig);
  if (compile) graph.envelope.compile_config = compile;
  for (const key of ["kerasVersion", "backend"] as const) {
    if (arch[key] && graph.envelope[key === "kerasVersion" ? "keras_version" : "backend"] === undefined) {
      graph.envelope[key === "kerasVersion" ? "keras_version" : "backend"] = arch[key];
    }
  }
  if (options.weights !== false) {
    attachTfjsShardWeights(graph, json, shardFiles(path), path);
    const missing = missingWeights(graph);
    if (missing.length) {
      throw new FormatError(
        `weightsManifest has no values for ${missing.length} variable(s). Received: none for ${missing.slice(0, 5).join(", ")}`,
        { file: path },
      );
    }
  }
  return {
    graph,
    ...(arch.kerasVersion ? { kerasVersion: arch.kerasVersion } : {}),
    ...(arch.backend ? { backend: arch.backend } : {}),
  };
}

/** The shards beside `modelFile`, read when a weight is used (only files inside the model's folder). */
function shardFiles(modelFile: string): ShardSource {
  const fail = (path: string, e: unknown): never => {
    throw new FormatError(
      `cannot read weight shard '${path}' listed in weightsManifest. Received: ${(e as Error).message}`,
      { file: modelFile, cause: e },
    );
  };
  const fileOf = (path: string) => join(dirname(modelFile), shardRelativePath(path, modelFile));
  return {
    size(path) {
      try {
        const stat = statSync(fileOf(path));
        if (!stat.isFile()) throw new Error(`${fileOf(path)} is not a file`);
        return stat.size;
      } catch (e) {
        return fail(path, e);
      }
    },
    read(path, offset, into) {
      try {
        const fd = heldFile(fileOf(path));
        for (let done = 0; done < into.length;) {
          const n = readSync(fd, into, done, into.length - done, offset + done);
          if (n === 0) throw new Error(`the file ends ${into.length - done} bytes early`);
          done += n;
        }
      } catch (e) {
        fail(path, e);
      }
    },
  };
}
