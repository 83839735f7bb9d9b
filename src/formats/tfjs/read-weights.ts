import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { FormatError } from "../../ir/errors.js";
import { WeightData } from "../../ir/weights.js";
import { type ManifestGroup, type ManifestWeight, storedBytes } from "./manifest.js";

/** One manifest weight with its values (float32, int32 or bool as Uint8Array). */
export interface ReadWeight {
  name: string;
  data: WeightData;
}

/**
 * Reads every group's shards (paths relative to model.json; `./` prefixes and URL-escaped names
 * allowed), concatenated, and slices out each weight: little-endian values, or the converter's
 * quantized ones (uint8/uint16 as `q * scale + min`, float16) turned back into float32.
 */
export async function readManifestWeights(groups: ManifestGroup[], modelFile: string): Promise<ReadWeight[]> {
  const out: ReadWeight[] = [];
  for (const group of groups) {
    const shards = await Promise.all(group.paths.map((p) => readShard(modelFile, p)));
    const bytes = concat(shards);
    let at = 0;
    for (const w of group.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const size = n * storedBytes(w);
      if (at + size > bytes.length) {
        throw new FormatError(
          `weight '${w.name}' (shape [${w.shape.join(", ")}]) runs past the end of its shards (${bytes.length} bytes in ${group.paths.join(", ")}). ` +
            `Received: a manifest that needs at least ${at + size} bytes`,
          { file: modelFile },
        );
      }
      out.push({
        name: w.name,
        data: new WeightData(
          w.dtype === "bool" ? "bool" : w.dtype === "int32" ? "int32" : "float32",
          [...w.shape],
          decode(w, bytes.slice(at, at + size), n),
        ),
      });
      at += size;
    }
  }
  return out;
}

async function readShard(modelFile: string, path: string): Promise<Uint8Array> {
  const clean = decodeURIComponent(path.replace(/^\.\//, ""));
  try {
    return new Uint8Array(await readFile(join(dirname(modelFile), clean)));
  } catch (e) {
    throw new FormatError(
      `cannot read weight shard '${path}' listed in weightsManifest. Received: ${(e as Error).message}`,
      { file: modelFile, cause: e },
    );
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function decode(w: ManifestWeight, bytes: Uint8Array, n: number): Float32Array | Int32Array | Uint8Array {
  const q = w.quantization;
  if (q?.dtype === "float16") return Float32Array.from(new Uint16Array(bytes.buffer, 0, n), halfToFloat);
  if (q?.dtype === "uint8" || q?.dtype === "uint16") {
    const stored = q.dtype === "uint8" ? bytes : new Uint16Array(bytes.buffer, 0, n);
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    const values = Float32Array.from(stored, (v) => v * scale + min);
    return w.dtype === "int32" ? Int32Array.from(values, Math.round) : values;
  }
  if (w.dtype === "bool") return bytes;
  if (w.dtype === "int32") return new Int32Array(bytes.buffer, 0, n);
  if (w.dtype === "float32") return new Float32Array(bytes.buffer, 0, n);
  throw new FormatError(
    `weight '${w.name}' has dtype ${w.dtype}, which kerasgraph does not read. Received: dtype "${w.dtype}"`,
  );
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
