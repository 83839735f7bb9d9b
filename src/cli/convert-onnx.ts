import { openModel } from "../formats/open.js";
import type { ExternalDataMode } from "../formats/onnx/external-data.js";
import { writeOnnxFileExternal } from "../formats/onnx/write-external.js";
import type { CliIO } from "./io.js";

/**
 * `kerasgraph convert MODEL OUT.onnx [--opset N] [--external-data]`: the ONNX branch of `convert`
 * (weights read, the whole model translated before OUT.onnx is written, so an unsupported layer leaves
 * no file). Weights go to `OUT.onnx.data` when asked, or when they would pass protobuf's 2 GiB limit.
 */
export async function convertToOnnx(
  src: string,
  dest: string,
  opts: { opset?: number; externalData?: ExternalDataMode },
  io: CliIO,
): Promise<void> {
  const { graph } = await openModel(src);
  const r = await writeOnnxFileExternal(graph, dest, {
    ...(opts.opset ? { opset: opts.opset } : {}),
    externalData: opts.externalData ?? "auto",
  });
  const data = r.dataFile ? `; weights in ${r.dataFile}, ${r.dataBytes.toLocaleString("en-US")} bytes` : "";
  io.stdout.write(
    `wrote ${dest} (ONNX opset ${r.opset}, ${r.nodes} nodes, ${r.bytes.toLocaleString("en-US")} bytes${data}; ` +
      `inputs ${r.inputs.join(", ")}; outputs ${r.outputs.join(", ")})\n`,
  );
}
