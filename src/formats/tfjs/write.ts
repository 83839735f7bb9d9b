import { closeSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Graph } from "../../ir/graph.js";
import type { TypedArray, WeightData } from "../../ir/weights.js";
import { KernelScratch } from "../transpose/transpose.js";
import { writeFilesAtomically } from "../atomic-write.js";
import { writeFully } from "../write-fully.js";
import { castWeight, valueToWrite } from "../weight-values.js";
import type { LayersModelJson, ManifestWeight } from "./manifest.js";
import { type TfjsGap, tfjsGaps } from "./tfjs-support.js";
import { tfjsFileTopology } from "./topology.js";
import { tfjsWeightRefs } from "./weight-names.js";
import { stringifyJson } from "../json-text.js";

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
 * (int32 for integer variables). The shards are streamed: each weight is read (into a scratch buffer
 * where its reader can), written across as many shards as it spans and dropped, so writing holds one
 * weight at a time. Every file is written to a temporary name and all are renamed at the end, model.json
 * last, so a failure leaves none of them. Layers tfjs-layers does not have are returned in `gaps`.
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
  // Every stored value is 4 bytes (float32, or int32 for integer variables), so the manifest and the
  // shard count are known before any value is read.
  const weights = tfjsWeightRefs(graph).map(({ ref, name }) => {
    const data = valueToWrite(ref, "a TF.js model");
    const integer = /^u?int|^bool/.test(data.dtype);
    const entry: ManifestWeight = { name, shape: [...ref.weight.shape], dtype: integer ? "int32" : "float32" };
    return { data, entry, bytes: data.size * 4 };
  });
  const total = weights.reduce((n, w) => n + w.bytes, 0);
  const count = Math.max(1, Math.ceil(total / shardBytes));
  const paths = Array.from({ length: total === 0 ? 0 : count }, (_, i) => `group1-shard${i + 1}of${count}.bin`);
  const json: LayersModelJson = {
    format: "layers-model",
    generatedBy: options.kerasVersion ? `keras v${options.kerasVersion}` : "kerasgraph",
    convertedBy: "kerasgraph",
    modelTopology: tfjsFileTopology(graph),
    weightsManifest: [{ paths, weights: weights.map((w) => w.entry) }],
  };
  mkdirSync(dir, { recursive: true });
  // writeFilesAtomically writes the files in order, so each shard takes the next bytes of the stream.
  const stream = new WeightStream(weights.map((w) => w.data));
  const files = [
    ...paths.map((p, i) => ({
      dest: join(dir, p),
      write: (temp: string) => stream.writeTo(temp, Math.min(shardBytes, total - i * shardBytes)),
    })),
    { dest: join(dir, "model.json"), write: (temp: string) => writeFileSync(temp, stringifyJson(json)) },
  ];
  await writeFilesAtomically(files);
  return { files: files.map((f) => f.dest), gaps: tfjsGaps(graph) };
}

/**
 * The weights' stored bytes, one after another (float32, or int32 for integer variables), handed out in
 * pieces: each weight is read when reached (into a scratch buffer where its reader can) and dropped once
 * its last byte is written.
 */
class WeightStream {
  private next = 0;
  private current: Uint8Array | null = null;
  private at = 0;
  /** In the transpose kernel's memory: a weight an ONNX file holds transposed is laid out there without copies. */
  private readonly scratch = new KernelScratch();

  constructor(private readonly weights: WeightData[]) {}

  /** Writes the next `length` bytes of the stream to a new file at `path`. */
  writeTo(path: string, length: number): void {
    const fd = openSync(path, "w");
    try {
      for (let left = length; left > 0;) {
        const bytes = this.current ?? (this.current = this.read(this.weights[this.next++]!));
        const n = Math.min(left, bytes.length - this.at);
        writeFully(fd, bytes, null, this.at, n);
        this.at += n;
        left -= n;
        if (this.at === bytes.length) [this.current, this.at] = [null, 0];
      }
    } finally {
      closeSync(fd);
    }
  }

  private read(data: WeightData): Uint8Array {
    const integer = /^u?int|^bool/.test(data.dtype);
    let values: TypedArray;
    if (data.dtype === "float32" || data.dtype === "int32") values = data.borrow(this.scratch);
    else {
      const wasLoaded = data.loaded;
      values = castWeight(data, integer ? "int32" : "float32").values;
      if (!wasLoaded) data.release();
    }
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  }
}
