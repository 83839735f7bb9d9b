import { writeFile } from "node:fs/promises";
import type { Graph } from "../../ir/graph.js";
import { withDeferredChecks } from "../../ir/weights.js";
import { writeAtomically } from "../atomic-write.js";
import { type ToOnnxOptions, exportOnnx } from "./convert.js";
import { type ExternalDataMode, needsExternalData, writeOnnxExternal } from "./external-data.js";
import { withKerasMetadata } from "./keras-metadata.js";
import { encodeOnnxModel } from "./proto.js";

export interface OnnxFileWrite {
  bytes: number;
  nodes: number;
  opset: number;
  inputs: string[];
  outputs: string[];
  /** The external data file beside the model, or null when the weights are inline. */
  dataFile: string | null;
  dataBytes: number;
}

/**
 * `writeOnnxFile` with ONNX external data: `"auto"` (the default) keeps weights inline unless they
 * would pass protobuf's 2 GiB limit, `"always"` moves every initializer of 1 KiB or more to
 * `<file>.data`, `"never"` keeps them inline (and fails past the limit). Exporting and laying out the
 * weights do not wait for the sources' integrity checks (a large `.keras` member's CRC, on a worker
 * thread): they are confirmed before anything is renamed into place.
 */
export async function writeOnnxFileExternal(
  graph: Graph,
  path: string,
  options: ToOnnxOptions & { externalData?: ExternalDataMode } = {},
): Promise<OnnxFileWrite> {
  const { externalData = "auto", ...toOnnx } = options;
  const written = withDeferredChecks(() => {
    const exported = exportOnnx(graph, toOnnx);
    const model = withKerasMetadata(exported.model, graph);
    const facts = {
      nodes: model.graph.nodes.length,
      opset: model.opsetImports[0]!.version,
      inputs: exported.inputs,
      outputs: exported.outputs,
    };
    if (externalData === "always" || (externalData === "auto" && needsExternalData(model))) {
      const w = writeOnnxExternal(model, path);
      return { ...facts, bytes: w.bytes, dataFile: w.dataFile, dataBytes: w.dataBytes };
    }
    return { ...facts, encoded: encodeOnnxModel(model) };
  });
  if (!("encoded" in written)) return written;
  const { encoded, ...facts } = written;
  await writeAtomically(path, (temp) => writeFile(temp, encoded));
  return { ...facts, bytes: encoded.length, dataFile: null, dataBytes: 0 };
}
