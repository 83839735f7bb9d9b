import { readModelBytes } from "../../src/formats/read-bytes.js";
import { decodeOnnxModel } from "../../src/formats/onnx/proto.js";
import type { OnnxModel } from "../../src/formats/onnx/model.js";
import { looksLikeOnnxModel } from "../../src/formats/onnx/sniff.js";
import { FormatError } from "../../src/ir/errors.js";
import type { Graph } from "../../src/ir/graph.js";

/** A file the user gave the page (dropped, picked, or fetched from `kerasgraph view`). */
export interface GivenFile {
  name: string;
  bytes: Uint8Array;
}

/** What the page shows and runs: a Keras graph, or an ONNX model as it is. */
export type LoadedModel =
  | {
      kind: "keras";
      name: string;
      format: string;
      graph: Graph;
      kerasVersion?: string;
      /** Weights were read (a .keras/.h5, a model.json with its shards); an architecture cannot run. */
      hasWeights: boolean;
      missingFiles: string[];
    }
  | { kind: "onnx"; name: string; format: "onnx"; bytes: Uint8Array; model: OnnxModel };

/**
 * Reads the given files as one model with the CLI's readers: the model file (an .onnx, .keras, .h5, or a
 * .json) and, for a TF.js model.json, its .bin shards beside it; for a Keras model folder's config.json,
 * its model.weights.h5 and metadata.json. Anything unreadable throws the readers' own error, which names
 * the file.
 */
export async function loadModelFiles(files: GivenFile[]): Promise<LoadedModel> {
  const main = pickModelFile(files);
  if (looksLikeOnnxModel(main.bytes)) {
    return {
      kind: "onnx",
      name: main.name,
      format: "onnx",
      bytes: main.bytes,
      model: decodeOnnxModel(main.bytes, main.name),
    };
  }
  const companions = new Map(files.filter((f) => f !== main).map((f) => [f.name, f.bytes]));
  const opened = await readModelBytes(main.bytes, main.name, { companions });
  const hasWeights = hasAllWeights(opened.graph);
  return {
    kind: "keras",
    name: main.name,
    format: opened.format,
    graph: opened.graph,
    ...(opened.kerasVersion ? { kerasVersion: opened.kerasVersion } : {}),
    hasWeights,
    missingFiles: opened.missingFiles,
  };
}

/** The model among the files: anything but a .bin shard, a model.json or config.json before other files. */
function pickModelFile(files: GivenFile[]): GivenFile {
  const candidates = files.filter((f) => !/\.bin$/i.test(f.name));
  if (!candidates.length) {
    throw new FormatError(
      `no model file among the files given, only weight shards. Received: ${files.map((f) => f.name).join(", ") || "nothing"}`,
    );
  }
  const named = (re: RegExp) => candidates.find((f) => re.test(f.name));
  // A TF.js model.json before other JSON; a Keras model folder's config.json before its weights and metadata.
  return named(/(^|\/)model\.json$/i) ?? named(/(^|\/)config\.json$/i) ?? candidates[0]!;
}

function hasAllWeights(graph: Graph): boolean {
  const visit = (g: Graph): boolean =>
    g
      .uniqueLayers()
      .every((l) => (l.subgraph ? visit(l.subgraph) : (l.weights ?? []).every((w) => l.values.has(w.name))));
  return graph.uniqueLayers().some((l) => l.variables().length > 0) ? visit(graph) : true;
}
