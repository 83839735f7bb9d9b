import { openModel } from "../formats/open.js";
import { writeOnnxFile } from "../formats/onnx/write.js";
import type { CliIO } from "./io.js";

/**
 * `kerasgraph convert MODEL OUT.onnx [--opset N]`: the ONNX branch of `convert` (weights read, the
 * whole model translated before OUT.onnx is written, so an unsupported layer leaves no file).
 */
export async function convertToOnnx(src: string, dest: string, opts: { opset?: number }, io: CliIO): Promise<void> {
  const { graph } = await openModel(src);
  const r = await writeOnnxFile(graph, dest, opts.opset ? { opset: opts.opset } : {});
  io.stdout.write(
    `wrote ${dest} (ONNX opset ${r.opset}, ${r.nodes} nodes, ${r.bytes.toLocaleString("en-US")} bytes; ` +
      `inputs ${r.inputs.join(", ")}; outputs ${r.outputs.join(", ")})\n`,
  );
}
