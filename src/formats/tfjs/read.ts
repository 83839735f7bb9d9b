import { readFile } from "node:fs/promises";
import { FormatError, KerasGraphError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import type { LayerRegistry } from "../../layers/registry.js";
import { compileConfigFromTraining } from "../h5/training-config.js";
import { readKerasJson } from "../keras-json/read.js";
import { parseModelJson } from "../model-json.js";
import { attachWeight, missingWeights } from "../weight-values.js";
import { parseManifest } from "./manifest.js";
import { readTfjsArchitecture } from "./read-architecture.js";
import { type ReadWeight, readManifestWeights } from "./read-weights.js";
import { tfjsWeightRefs } from "./weight-names.js";

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
 * the layers. Manifest names are matched as tfjs-layers matches them (`<layer>/<variable>`, also with
 * TF 2.2's RNN cell names or a nested model's prefix).
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
    try {
      attachTfjsWeights(graph, await readManifestWeights(parseManifest(json, path), path));
    } catch (e) {
      throw e instanceof KerasGraphError ? e.inFile(path) : e;
    }
  }
  return {
    graph,
    ...(arch.kerasVersion ? { kerasVersion: arch.kerasVersion } : {}),
    ...(arch.backend ? { backend: arch.backend } : {}),
  };
}

/** The names a manifest entry may match: itself, without an RNN cell (`lstm/lstm_cell/kernel`), without leading scopes. */
function candidates(name: string): string[] {
  const parts = name.split("/");
  const out = [name];
  if (parts.length >= 3) out.push([...parts.slice(0, -2), parts.at(-1)!].join("/"));
  for (let i = 1; i < parts.length - 1; i++) out.push(parts.slice(i).join("/"));
  return out;
}

function attachTfjsWeights(graph: Graph, weights: ReadWeight[]): void {
  const refs = tfjsWeightRefs(graph);
  const byName = new Map<string, (typeof refs)[number][]>();
  for (const r of refs) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  const used = new Set<(typeof refs)[number]>();
  const unmatched: ReadWeight[] = [];
  for (const w of weights) {
    const ref = candidates(w.name)
      .flatMap((c) => byName.get(c) ?? [])
      .find((r) => !used.has(r));
    if (!ref) {
      unmatched.push(w);
      continue;
    }
    used.add(ref);
    attachWeight(ref.ref, w.data, `the manifest entry '${w.name}'`);
  }
  // Files whose names follow no rule we know: pair the rest in order when every shape agrees.
  const rest = refs.filter((r) => !used.has(r));
  if (unmatched.length) {
    const fits =
      unmatched.length === rest.length &&
      unmatched.every((w, i) => w.data.shape.join() === rest[i]!.ref.weight.shape.join());
    if (!fits) {
      throw new FormatError(
        `weightsManifest entries match no variable of the model. Received: ${unmatched
          .map((w) => w.name)
          .slice(0, 5)
          .join(", ")}` +
          `; the model's variables are named ${refs
            .map((r) => r.name)
            .slice(0, 8)
            .join(", ")}${refs.length > 8 ? ", ..." : ""}`,
      );
    }
    unmatched.forEach((w, i) => attachWeight(rest[i]!.ref, w.data, `the manifest entry '${w.name}'`));
  }
  const missing = missingWeights(graph);
  if (missing.length) {
    throw new FormatError(
      `weightsManifest has no values for ${missing.length} variable(s). Received: none for ${missing.slice(0, 5).join(", ")}`,
    );
  }
}
