import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Graph } from "../../ir/graph.js";
import { writeAtomically } from "../atomic-write.js";
import { castWeight, valueToWrite } from "../weight-values.js";
import type { LayersModelJson, ManifestWeight } from "./manifest.js";
import { type TfjsGap, tfjsGaps } from "./tfjs-support.js";
import { tfjsFileTopology } from "./topology.js";
import { tfjsWeightRefs } from "./weight-names.js";

/** tfjs's converter default: 4 MB shards. */
export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;

export interface WriteTfjsOptions {
  /** Largest shard in bytes (default 4 MB); weights run on across shard boundaries, as the converter's. */
  shardBytes?: number;
  /** The Keras version the model came from, for `generatedBy` ("keras v2.15.0"). */
  kerasVersion?: string;
}

export interface WrittenTfjsModel {
  /** The files written, model.json last. */
  files: string[];
  /** Layers stock tfjs-layers cannot load (the files are written all the same). */
  gaps: TfjsGap[];
}

/**
 * Writes the graph as a TF.js layers model, as `tensorflowjs_converter --input_format keras` does:
 * `model.json` (`format: "layers-model"`, the Keras 2 dialect topology tfjs-layers reads, and a
 * `weightsManifest` with one group) and `group1-shard{i}of{n}.bin` shards of little-endian float32
 * (int32 for integer variables). Each file is written whole or not at all, model.json last. Layers
 * tfjs-layers does not have are returned in `gaps`, by name.
 */
export async function writeTfjsModel(
  graph: Graph,
  dir: string,
  options: WriteTfjsOptions = {},
): Promise<WrittenTfjsModel> {
  const shardBytes = options.shardBytes ?? DEFAULT_SHARD_BYTES;
  if (!(Number.isInteger(shardBytes) && shardBytes >= 4)) {
    throw new RangeError(`the shard size must be a whole number of bytes, at least 4. Received: ${shardBytes}`);
  }
  const entries: ManifestWeight[] = [];
  const chunks: Uint8Array[] = [];
  for (const { ref, name } of tfjsWeightRefs(graph)) {
    const data = valueToWrite(ref, "a TF.js model");
    const integer = /^u?int|^bool/.test(data.dtype);
    const plain = integer ? castWeight(data, "int32") : data.dtype === "float32" ? data : castWeight(data, "float32");
    const values = plain.values as Float32Array | Int32Array;
    entries.push({ name, shape: [...ref.weight.shape], dtype: integer ? "int32" : "float32" });
    chunks.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const count = Math.max(1, Math.ceil(total / shardBytes));
  const paths = Array.from({ length: total === 0 ? 0 : count }, (_, i) => `group1-shard${i + 1}of${count}.bin`);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const all = concat(chunks, total);
  for (const [i, p] of paths.entries()) {
    const file = join(dir, p);
    await writeFileAtomically(file, all.subarray(i * shardBytes, Math.min(total, (i + 1) * shardBytes)));
    files.push(file);
  }
  const json: LayersModelJson = {
    format: "layers-model",
    generatedBy: options.kerasVersion ? `keras v${options.kerasVersion}` : "kerasgraph",
    convertedBy: "kerasgraph",
    modelTopology: tfjsFileTopology(graph),
    weightsManifest: [{ paths, weights: entries }],
  };
  const modelFile = join(dir, "model.json");
  await writeFileAtomically(modelFile, new TextEncoder().encode(JSON.stringify(json)));
  files.push(modelFile);
  return { files, gaps: tfjsGaps(graph) };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function writeFileAtomically(file: string, bytes: Uint8Array): Promise<void> {
  return writeAtomically(file, (temp) => writeFileSync(temp, bytes));
}
