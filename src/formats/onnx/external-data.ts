import { closeSync, openSync, renameSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { removeQuietly, tempPathIn } from "../atomic-write.js";
import { WRITE_PIECE_BYTES, writeFileFully, writeFully } from "../write-fully.js";
import type { OnnxModel, OnnxTensor } from "./model.js";
import { encodeOnnxModel } from "./proto.js";
import { confirmSources } from "../../ir/weights.js";
import { tensorByteLength, writeTensorBytes } from "./deferred.js";
import { KernelScratch } from "../transpose/transpose.js";

/** protobuf's message limit (2 GiB - 1): a ModelProto with more inline bytes cannot be serialized. */
export const PROTOBUF_LIMIT = 2 ** 31 - 1;
/** Room left under the limit for everything but the initializers (nodes, names, metadata). */
const GRAPH_MARGIN = 64 * 2 ** 20;
/** onnx's convert_model_to_external_data: tensors under 1 KiB stay inline. */
export const EXTERNAL_MIN_BYTES = 1024;
/** onnx aligns tensors of 1 MiB or more to 4 KiB in the data file (so runtimes can map them). */
const ALIGN = 4096;
const ALIGN_MIN_BYTES = 2 ** 20;

export type ExternalDataMode = "auto" | "always" | "never";

/** The bytes of every initializer's values. */
export function initializerBytes(model: OnnxModel): number {
  return model.graph.initializers.reduce((n, t) => n + tensorByteLength(t), 0);
}

/** Whether a model must keep its weights outside the .onnx file: inline, it would pass protobuf's limit. */
export function needsExternalData(model: OnnxModel): boolean {
  return initializerBytes(model) > PROTOBUF_LIMIT - GRAPH_MARGIN;
}

export interface ExternalWrite {
  /** Bytes of the .onnx file. */
  bytes: number;
  /** The data file's name (beside the model) and its size; null when every tensor stayed inline. */
  dataFile: string | null;
  dataBytes: number;
  externalTensors: number;
}

/**
 * Writes `model` to `path` with its initializers of at least `minBytes` in one data file beside it
 * (`<name>.data`, named by each TensorProto's `location` / `offset` / `length`, ONNX's external data).
 * Each tensor's bytes go straight from its typed array to the file (no second copy of the weights);
 * deferred initializers are laid out one at a time into a reusable scratch buffer and dropped once
 * written: a weight is read into the transpose kernel's memory, transposed there piece by piece and
 * written from there (KernelScratch, writeTensorBytes). (Writing on libuv's thread pool while the next tensor is laid out was measured slower
 * here: 165–264 ms against 127–204 ms for ResNet50's 100 MB.) The .onnx itself holds only the graph.
 * Both files are written to temporary names and renamed when complete, the data file first, and only
 * once the sources' integrity checks have passed (`confirmSources`: inside `withDeferredChecks`, a large
 * `.keras` member's CRC runs on a worker thread while its weights are written).
 */
export function writeOnnxExternal(model: OnnxModel, path: string, minBytes = EXTERNAL_MIN_BYTES): ExternalWrite {
  const location = `${basename(path)}.data`;
  const dataPath = join(dirname(path), location);
  const dataTemp = tempPathIn(dirname(path), location);
  const modelTemp = tempPathIn(dirname(path), basename(path));
  let offset = 0;
  let externalTensors = 0;
  const scratch = new KernelScratch();
  try {
    const fd = openSync(dataTemp, "w");
    const initializers: OnnxTensor[] = [];
    try {
      for (const t of model.graph.initializers) {
        const length = tensorByteLength(t);
        if (length < minBytes) {
          initializers.push(t);
          continue;
        }
        const pad = length >= ALIGN_MIN_BYTES && offset % ALIGN ? ALIGN - (offset % ALIGN) : 0;
        if (pad) writeFully(fd, new Uint8Array(pad), offset);
        offset += pad;
        // Laid out now (a deferred tensor into the scratch memory, a transposed weight piece by piece),
        // dropped once written.
        let at = offset;
        writeTensorBytes(t, scratch, WRITE_PIECE_BYTES, (bytes) => {
          writeFully(fd, bytes, at);
          at += bytes.length;
        });
        if (at - offset !== length)
          throw new RangeError(`initializer '${t.name}' wrote ${at - offset} of ${length} bytes`);
        const external = { location, offset, length };
        initializers.push({ name: t.name, dataType: t.dataType, dims: t.dims, data: new Uint8Array(0), external });
        offset += length;
        externalTensors++;
      }
    } finally {
      closeSync(fd);
    }
    confirmSources();
    const bytes = encodeOnnxModel({ ...model, graph: { ...model.graph, initializers } });
    writeFileFully(modelTemp, bytes);
    if (externalTensors) renameSync(dataTemp, dataPath);
    else removeQuietly(dataTemp);
    renameSync(modelTemp, path);
    return { bytes: bytes.length, dataFile: externalTensors ? location : null, dataBytes: offset, externalTensors };
  } catch (e) {
    removeQuietly(dataTemp);
    removeQuietly(modelTemp);
    throw e;
  }
}
