import { FormatError } from "../ir/errors.js";
import { openModel } from "../formats/open.js";
import type { CliIO } from "./io.js";
import { type ConvertOptions, TARGETS, targetForPath } from "./targets.js";

/**
 * Converts one model `src` to `dest` (the body of `kerasgraph convert SRC DEST`). Each target's writer is
 * loaded when it is asked for: a conversion loads the readers and one writer.
 */
export async function convertOne(src: string, dest: string, opts: ConvertOptions, io: CliIO): Promise<void> {
  const target = opts.to ?? targetForPath(dest);
  if (!target) {
    throw new FormatError(
      `cannot tell which format to write from '${dest}'. Use --to with one of: ${TARGETS.join(", ")}.`,
    );
  }
  if (opts.maxShardSize !== undefined && target !== "weights") {
    throw new FormatError(
      `--max-shard-size shards weights-only output (DEST.weights.h5 or .weights.json, --to weights), as Keras's ` +
        `save_weights does; Keras does not shard ${target} files${target === "tfjs" ? " (TF.js: use --shard-size)" : ""}. ` +
        `Received: --to ${target}`,
    );
  }
  if (target === "onnx") {
    const { convertToOnnx } = await import("./convert-onnx.js");
    const externalData = opts.externalData ? "always" : "auto";
    await convertToOnnx(src, dest, { ...(opts.opset ? { opset: opts.opset } : {}), externalData }, io);
    return;
  }
  const architectureOnly = target === "json" || target === "json-keras2";
  const opened = await openModel(src, {
    weights: !architectureOnly,
    ...(opts.weights ? { weightsFile: opts.weights } : {}),
  });
  if (target === "tfjs") {
    const { writeTfjsModel } = await import("../formats/tfjs/write.js");
    const { files, gaps } = await writeTfjsModel(opened.graph, dest, {
      ...(opts.shardSize ? { shardBytes: opts.shardSize } : {}),
      ...(opened.kerasVersion ? { kerasVersion: opened.kerasVersion } : {}),
    });
    io.stdout.write(`wrote ${dest} (TF.js layers model, ${files.length} files)\n`);
    for (const gap of gaps) {
      io.stderr.write(`warning: stock tfjs-layers cannot load ${gap.layer} (${gap.className}): ${gap.reason}\n`);
    }
    return;
  }
  if (target === "weights") {
    const { writeKerasWeightsFile } = await import("../formats/keras-zip/weights-write.js");
    const files = await writeKerasWeightsFile(opened.graph, dest, {
      ...(opts.maxShardSize !== undefined ? { maxShardSize: opts.maxShardSize } : {}),
    });
    const what = files.length > 1 ? `Keras sharded weights, ${files.length - 1} shard(s)` : "Keras weights";
    io.stdout.write(`wrote ${files[0]} (${what}, ${opened.graph.layers.length} layers)\n`);
    return;
  }
  const { saveModel } = await import("../formats/save.js");
  await saveModel(opened.graph, dest, {
    format: target,
    ...(opened.kerasVersion ? { kerasVersion: opened.kerasVersion } : {}),
    ...(opened.backend ? { backend: opened.backend } : {}),
  });
  io.stdout.write(`wrote ${dest} (${target}, ${opened.graph.layers.length} layers)\n`);
}
