import { writeFile } from "node:fs/promises";
import type { Graph } from "../../ir/graph.js";
import { writeAtomically } from "../atomic-write.js";
import { type ToOnnxOptions, exportOnnx } from "./convert.js";
import { withKerasMetadata } from "./keras-metadata.js";
import { encodeOnnxModel } from "./proto.js";

/**
 * `kerasgraph convert MODEL OUT.onnx`: converts the graph (weights included) and writes the ONNX file.
 * Everything that can fail (an unsupported layer, a missing weight, a bad opset) fails before the file
 * is opened; the file itself is written all at once or not at all. Returns what was written.
 */
export async function writeOnnxFile(
  graph: Graph,
  path: string,
  options: ToOnnxOptions = {},
): Promise<{ bytes: number; nodes: number; opset: number; inputs: string[]; outputs: string[] }> {
  const exported = exportOnnx(graph, options);
  const bytes = encodeOnnxModel(withKerasMetadata(exported.model, graph));
  await writeAtomically(path, (temp) => writeFile(temp, bytes));
  return {
    bytes: bytes.length,
    nodes: exported.model.graph.nodes.length,
    opset: exported.model.opsetImports[0]!.version,
    inputs: exported.inputs,
    outputs: exported.outputs,
  };
}
