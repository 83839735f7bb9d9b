import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { TfjsModel } from "../../src/exec/tfjs/model.js";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import { writeKerasJson } from "../../src/formats/keras-json/write.js";
import { exportOnnx } from "../../src/formats/onnx/convert.js";
import { openModel } from "../../src/formats/open.js";
import { readModelBytes } from "../../src/formats/read-bytes.js";
import { UnsupportedLayerError } from "../../src/ir/errors.js";
import { describeLambdaFunction } from "../../src/layers/core/lambda-function.js";
import { modelToDot } from "../../src/tools/plot/model-to-dot.js";
import { plotModel } from "../../src/tools/plot/plot-model.js";
import { summaryText } from "../../src/tools/summary/index.js";

// Hand-written the way Keras serializes a Lambda (tools/fuzz/make-hostile-seeds.ts): Input(8) → Lambda → Dense(4).
const HERE = import.meta.dirname;
const KERAS3_JSON = join(HERE, "lambda/model.json");
const KERAS3_ARCHIVE = join(HERE, "lambda/model.keras");
const KERAS2_JSON = join(HERE, "lambda-keras2/model.json");
const BYTECODE = "Python bytecode (marshal, 112 bytes)";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: { write: (s) => (out += s) }, stderr: { write: (s) => (err += s) } });
  return { code, out, err };
}

describe("a Lambda layer (Python bytecode) is read, summarized and drawn, never run", () => {
  it.each([KERAS3_JSON, KERAS3_ARCHIVE, KERAS2_JSON])("%s opens with every shape and weight", async (path) => {
    const { graph } = await openModel(path, { lazy: false });
    expect(graph.layers.map((l) => `${l.name}:${l.className}`)).toEqual([
      "in0:InputLayer",
      "lambda:Lambda",
      "dense:Dense",
    ]);
    expect(graph.paramCounts().total).toBe(36);
    expect(summaryText(graph)).toMatch(/│ lambda \(Lambda\) +│ \(None, 8\) +│ +0 │/);
    const dot = modelToDot(graph, { showShapes: true });
    expect(dot).toContain("<b>lambda</b> (Lambda)");
    expect(dot).toMatch(/\bin0 -> lambda\b/);
    expect(dot).toMatch(/\blambda -> dense\b/);
  });

  it("draws it as SVG, and the browser's reader opens the archive too", async () => {
    const { graph } = await openModel(KERAS3_ARCHIVE);
    const svg = new TextDecoder().decode(await plotModel(graph, { format: "svg" }));
    expect(svg).toContain("lambda");
    const bytes = await readModelBytes(new Uint8Array(readFileSync(KERAS3_ARCHIVE)), "model.keras");
    expect(bytes.graph.layers[1]!.className).toBe("Lambda");
  });

  it("keeps the bytecode as opaque data: written back byte for byte, described, not decoded", async () => {
    const { graph } = await openModel(KERAS3_JSON);
    const lambda = graph.layers[1]!;
    const original = JSON.parse(readFileSync(KERAS3_JSON, "utf8")).config.layers[1].config.function;
    expect(writeKerasJson(graph).config).toMatchObject({ layers: [{}, { config: { function: original } }, {}] });
    expect(describeLambdaFunction(lambda.config)).toEqual({ kind: "bytecode", text: BYTECODE });
    const keras2 = (await openModel(KERAS2_JSON)).graph.layers[1]!;
    expect(describeLambdaFunction(keras2.config)).toEqual({ kind: "bytecode", text: BYTECODE });
    expect(
      describeLambdaFunction({ function: { module: "__main__", class_name: "function", config: "scale" } }),
    ).toEqual({
      kind: "reference",
      text: "the Python function __main__.scale",
    });
    expect(describeLambdaFunction({ function: "scale", function_type: "function", module: "my_lib" }).text).toBe(
      "the Python function my_lib.scale",
    );
  });

  it("kerasgraph info lists it as opaque code", async () => {
    const r = await cli("info", KERAS3_ARCHIVE);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`lambda layers (opaque Python code, never executed):\n  lambda: ${BYTECODE}\n`);
  });

  it("refuses to run on onnxruntime (ONNX export) with a message naming the layer and why", async () => {
    const { graph } = await openModel(KERAS3_ARCHIVE);
    const e = captured(() => exportOnnx(graph));
    expect(e).toBeInstanceOf(UnsupportedLayerError);
    expect(e.message).toMatch(
      /layer 'lambda' is a Lambda layer whose function is Python bytecode \(marshal, 112 bytes\)\. kerasgraph reads, summarizes and draws Lambda layers but never executes their Python code/,
    );
    const out = join(mkdtempSync(join(tmpdir(), "kerasgraph-lambda-")), "model.onnx");
    const r = await cli("convert", KERAS3_ARCHIVE, out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^kerasgraph: .*layer 'lambda' is a Lambda layer whose function is Python bytecode[^\n]*\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses to run on tfjs-layers with the same message", async () => {
    const { graph } = await openModel(KERAS3_ARCHIVE, { lazy: false });
    const e = await TfjsModel.fromGraph(graph, { backend: "cpu" }).then(
      () => new Error("built"),
      (err: Error) => err,
    );
    expect(e).toBeInstanceOf(UnsupportedLayerError);
    expect(e.message).toMatch(/layer 'lambda' is a Lambda layer .* so tfjs-layers cannot run it/);
  });
});

describe("module and function references are data, never imported", () => {
  const dense = () => JSON.parse(readFileSync(join(HERE, "../../fixtures/keras3/layers/Dense/model.json"), "utf8"));

  it("an unknown module/class/registered_name is an UnsupportedLayerError naming it", async () => {
    const config = dense();
    Object.assign(config.config.layers[1], { module: "os", class_name: "system", registered_name: "system" });
    const e = captured(() => readKerasJson(config));
    expect(e).toBeInstanceOf(UnsupportedLayerError);
    expect(e.message).toMatch(/layer 'dense' has class 'system', which is not a Keras layer kerasgraph knows/);
  });

  it("function references in a config (activation, initializer: CVE-2025-1550's vector) are kept as opaque values", async () => {
    const config = dense();
    const activation = { module: "builtins", class_name: "function", config: "eval", registered_name: "function" };
    const initializer = {
      module: "subprocess",
      class_name: "Popen",
      config: { args: ["touch", "/tmp/x"] },
      registered_name: null,
    };
    Object.assign(config.config.layers[1].config, { activation, kernel_initializer: initializer });
    const graph = readKerasJson(config);
    expect(graph.layers[1]!.config.activation).toEqual(activation);
    expect(writeKerasJson(graph).config).toMatchObject({
      layers: [{}, { config: { activation, kernel_initializer: initializer } }],
    });
  });
});

function captured(run: () => unknown): Error {
  try {
    run();
  } catch (e) {
    return e as Error;
  }
  throw new Error("did not throw");
}
