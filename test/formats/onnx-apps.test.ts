/**
 * keras.applications architectures (fixtures/keras3/apps_config: configs only, so weights are random):
 * each exports to a valid ONNX graph that onnxruntime runs, with the convolution stack in one
 * channels-first region (at most one Transpose per squeeze-excite block besides the input's).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OrtSession } from "../../src/exec/ort/session.js";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import { checkOnnxModel } from "../../src/formats/onnx/check/check.js";
import { exportOnnx } from "../../src/formats/onnx/convert.js";
import { KERAS3 } from "../support/fixtures.js";
import { fillWeights } from "../support/keras-json-models.js";

/** Transposes left after the layout pass: the input's, plus one per squeeze-excite block's (1, 1, C) reshape. */
const TRANSPOSES: Record<string, number> = {
  DenseNet121: 1,
  ResNet50: 1,
  VGG19: 2,
  MobileNetV3Small: 2,
  EfficientNetB0: 17,
};

describe("ONNX export of keras.applications architectures", () => {
  for (const [name, transposes] of Object.entries(TRANSPOSES)) {
    it(name, async () => {
      const graph = readKerasJson(readFileSync(join(KERAS3, "apps_config", name, "model.json"), "utf8"));
      fillWeights(graph, 5);
      const { model } = exportOnnx(graph);
      expect(checkOnnxModel(model)).toEqual([]);
      expect(model.graph.nodes.filter((n) => n.opType === "Transpose").length).toBe(transposes);
      const shape = [1, ...graph.inputs[0]!.shape.slice(1).map((d) => d ?? 96)] as number[];
      const session = await OrtSession.fromModel(model);
      try {
        const [y] = await session.run([
          { dtype: "float32", shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.5) },
        ]);
        expect(y!.shape).toEqual([1, 1000]);
        expect(Array.from(y!.data as Float32Array).every(Number.isFinite)).toBe(true);
      } finally {
        await session.release();
      }
    });
  }
});
