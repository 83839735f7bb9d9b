import { FormatError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import { type TypedArray, WeightData } from "../../ir/weights.js";
import { tensorBytes } from "../limits.js";
import { isRecord } from "../model-json.js";
import {
  attachWeight,
  castWeight,
  legacyWeightOrder,
  savedLayers,
  shapeText,
  type WeightRef,
} from "../weight-values.js";
import { shardRelativePath } from "./shard-path.js";

/** One entry of a TF.js `weightsManifest` group (tfjs-core's WeightsManifestEntry). */
interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** The shard files a `model.json` lists, in order (`weightsManifest[].paths`); none when it has no manifest. */
export function tfjsShardPaths(json: unknown, file?: string): string[] {
  return manifestGroups(json, file).flatMap((g) => g.paths);
}

/** Where a model's shard bytes come from: bytes in memory (the browser), or files read when a weight is used. */
export interface ShardSource {
  /** The shard's size in bytes. */
  size(path: string): number;
  /** Copies the shard's bytes from `offset` into all of `into`. */
  read(path: string, offset: number, into: Uint8Array): void;
}

/** Shards given as bytes by `shard(path)`. */
export function shardsInMemory(shard: (path: string) => Uint8Array): ShardSource {
  return {
    size: (path) => shard(path).length,
    read: (path, offset, into) => into.set(shard(path).subarray(offset, offset + into.length)),
  };
}

/**
 * Attaches the weights of a TF.js layers model (`model.json`'s `weightsManifest`, its `.bin` shards read
 * through `shards`) to the graph read from its topology. A group's shards are one byte stream, cut into
 * weights in manifest order (tfjs-core's `decodeWeights`); each weight is read from the shards it spans
 * when first used. Quantized weights (uint8/uint16 with scale and min, float16) are dequantized to their
 * original float32. Weights pair with the model's variables by name
 * (`layer/weight`, as tfjs-layers and the Python converter name them) when every name matches, else by
 * position in Keras's legacy order; shapes must agree either way.
 */
export function attachTfjsShardWeights(graph: Graph, json: unknown, shards: ShardSource, file?: string): void {
  const decoded: { entry: ManifestWeight; data: WeightData }[] = [];
  for (const group of manifestGroups(json, file)) {
    const sizes = group.paths.map((p) => shards.size(p));
    const streamLength = sizes.reduce((a, b) => a + b, 0);
    let offset = 0;
    for (const entry of group.weights) {
      const stored = entry.quantization?.dtype ?? entry.dtype;
      if (!entry.quantization && !["float32", "int32", "bool"].includes(entry.dtype)) {
        throw new FormatError(
          `weight '${entry.name}' is stored as ${JSON.stringify(entry.dtype)} without quantization; TF.js stores float32, int32 or bool. Received: dtype ${JSON.stringify(entry.dtype)}`,
          { file },
        );
      }
      // Checked before anything is sliced or allocated: whole sizes, within maxTensorBytes.
      const nbytes = tensorBytes(entry.shape, bytesPer(stored, entry.name, file), `TF.js weight '${entry.name}'`, file);
      if (nbytes === null) {
        throw new FormatError(
          `weight '${entry.name}' has a shape that is not a list of sizes. Received: ${JSON.stringify(entry.shape).slice(0, 80)}`,
          {
            file,
          },
        );
      }
      if (offset + nbytes > streamLength) {
        throw new FormatError(
          `weight '${entry.name}' needs bytes ${offset}..${offset + nbytes} of its shards, which hold ${streamLength}. ` +
            `Received shards: ${group.paths.join(", ")}`,
          { file },
        );
      }
      const start = offset;
      const load = () => decodeValues(readSpan(shards, group.paths, sizes, start, nbytes), entry);
      offset += nbytes;
      decoded.push({ entry, data: new WeightData(outDtype(entry), entry.shape, load) });
    }
  }
  const refs = savedLayers(graph).flatMap(legacyWeightOrder);
  const byName = new Map(decoded.map((d) => [d.entry.name.replace(/:0$/, ""), d]));
  const named = refs.map((r) => findByName(byName, r));
  if (named.every((d) => d !== undefined)) {
    refs.forEach((r, i) => attachWeight(r, named[i]!.data, `TF.js weight '${named[i]!.entry.name}'`));
    return;
  }
  if (decoded.length !== refs.length) {
    const missing = refs.filter((_, i) => !named[i]).map((r) => `${r.layer.name}/${r.weight.name}`);
    throw new FormatError(
      `the weights manifest holds ${decoded.length} weight(s) but the model has ${refs.length}, and their names do not ` +
        `pair up (no weight for ${missing.slice(0, 5).join(", ")}). Received: ${decoded
          .slice(0, 5)
          .map((d) => `${d.entry.name} ${shapeText(d.entry.shape)}`)
          .join(", ")}`,
      { file },
    );
  }
  refs.forEach((r, i) => attachWeight(r, decoded[i]!.data, `TF.js weight '${decoded[i]!.entry.name}'`));
}

function findByName(byName: Map<string, { entry: ManifestWeight; data: WeightData }>, ref: WeightRef) {
  const want = `${ref.layer.name}/${ref.weight.name}`;
  const exact = byName.get(want);
  if (exact) return exact;
  const tails = [...byName.keys()].filter((k) => k.endsWith(`/${want}`));
  return tails.length === 1 ? byName.get(tails[0]!) : undefined;
}

function manifestGroups(json: unknown, file?: string): { paths: string[]; weights: ManifestWeight[] }[] {
  const manifest = isRecord(json) ? json.weightsManifest : undefined;
  if (manifest === undefined) return [];
  if (!Array.isArray(manifest)) {
    throw new FormatError(`"weightsManifest" must be a list of groups. Received: ${typeof manifest}`, { file });
  }
  return manifest.map((g, i) => {
    const ok =
      isRecord(g) &&
      Array.isArray(g.paths) &&
      g.paths.every((p) => typeof p === "string") &&
      Array.isArray(g.weights) &&
      g.weights.every((w) => isRecord(w) && typeof w.name === "string" && Array.isArray(w.shape));
    if (!ok) {
      throw new FormatError(
        `weightsManifest[${i}] needs "paths" (file names) and "weights" ({name, shape, dtype}). ` +
          `Received: ${JSON.stringify(g).slice(0, 120)}`,
        { file },
      );
    }
    for (const p of g.paths as string[]) shardRelativePath(p, file); // refuses paths out of the model's folder
    return { paths: g.paths as string[], weights: g.weights as ManifestWeight[] };
  });
}

function bytesPer(dtype: string, name: string, file?: string): number {
  const size = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 }[dtype];
  if (size === undefined) {
    throw new FormatError(`weight '${name}' has dtype '${dtype}', which kerasgraph cannot read. Received: ${dtype}`, {
      file,
    });
  }
  return size;
}

function outDtype(entry: ManifestWeight): string {
  return entry.quantization ? "float32" : entry.dtype === "bool" ? "bool" : entry.dtype;
}

function decodeValues(raw: Uint8Array, entry: ManifestWeight): TypedArray {
  const q = entry.quantization;
  const buffer = raw.buffer as ArrayBuffer;
  if (!q)
    return entry.dtype === "int32" ? new Int32Array(buffer) : entry.dtype === "bool" ? raw : new Float32Array(buffer);
  if (q.dtype === "float16")
    return castWeight(new WeightData("float16", entry.shape, new Uint16Array(buffer)), "float32").values;
  const ints = q.dtype === "uint8" ? raw : new Uint16Array(buffer);
  const scale = q.scale ?? 1;
  const min = q.min ?? 0;
  return Float32Array.from(ints, (v) => v * scale + min);
}

/** Bytes [start, start + length) of the stream the shards make one after another. */
function readSpan(shards: ShardSource, paths: string[], sizes: number[], start: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let shardStart = 0;
  for (let i = 0, done = 0; i < paths.length && done < length; shardStart += sizes[i]!, i++) {
    const from = start + done - shardStart;
    if (from >= sizes[i]!) continue;
    const n = Math.min(length - done, sizes[i]! - from);
    shards.read(paths[i]!, from, out.subarray(done, done + n));
    done += n;
  }
  return out;
}
