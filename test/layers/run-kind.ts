/**
 * Table-test helpers for the layer catalog (like Keras's `run_layer_test`): evaluate one kind on a config
 * and input specs, and check the single-layer fixtures (fixtures/keras3/layers/<Class>/) of a family
 * against what Keras computed when it ran them (case.json output shapes and total params).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { evaluateLayer } from "../../src/ir/build.js";
import type { ArgTree, TensorSpec, WeightSpec } from "../../src/ir/graph.js";
import { Layer } from "../../src/ir/graph.js";
import type { LayerKind } from "../../src/ir/kind.js";
import type { Shape } from "../../src/ir/shape.js";
import "../../src/layers/index.js";
import { defaultRegistry } from "../../src/layers/registry.js";
import { FIXTURES, evaluateRecorded, recordedCalls } from "./harness.js";

export const spec = (shape: Shape, dtype = "float32"): TensorSpec => ({ shape, dtype });

/** Calls `className(**config)` on `input` (a shape, a spec, or a list of them for a list input). */
export function runKind(
  className: string,
  config: Record<string, unknown>,
  input: Shape | TensorSpec | (Shape | TensorSpec)[],
  kwargs: Record<string, ArgTree<TensorSpec>> = {},
): { outputs: TensorSpec[]; weights: WeightSpec[] } {
  const toSpec = (v: Shape | TensorSpec): TensorSpec => (Array.isArray(v) ? spec(v) : v);
  const isShape = (v: unknown): v is Shape => Array.isArray(v) && v.every((d) => d === null || typeof d === "number");
  const arg: ArgTree<TensorSpec> =
    isShape(input) || !Array.isArray(input) ? toSpec(input) : (input as (Shape | TensorSpec)[]).map(toSpec);
  const layer = new Layer(className, "layer", { name: "layer", ...config }, { registeredName: null });
  return evaluateLayer(layer, [arg], kwargs, defaultRegistry.resolver());
}

/** Output shape of a single-output call. */
export function outputShape(
  className: string,
  config: Record<string, unknown>,
  input: Shape | TensorSpec | (Shape | TensorSpec)[],
  kwargs: Record<string, ArgTree<TensorSpec>> = {},
): Shape {
  const { outputs } = runKind(className, config, input, kwargs);
  expect(outputs).toHaveLength(1);
  return outputs[0]!.shape;
}

/** `{name: shape}` of the weights a call builds, in creation order. */
export function weightShapes(className: string, config: Record<string, unknown>, input: Shape): [string, number[]][] {
  return runKind(className, config, input).weights.map((w) => [w.name, w.shape]);
}

/**
 * One test per fixtures/keras3/layers/<Dir> whose layer is one of `kinds`: our output shapes (batch
 * dimension aside: Keras ran a batch of 2) and parameter count against what Keras computed.
 */
export function checkLayerFixtures(kinds: LayerKind[]): void {
  const dir = join(FIXTURES, "layers");
  const cases = existsSync(dir) ? readdirSync(dir).sort() : [];
  for (const name of cases) {
    if (!existsSync(join(dir, name, "case.json")) || !existsSync(join(dir, name, "model.json"))) continue;
    const calls = recordedCalls(`layers/${name}`);
    const own = calls.filter((c) => kinds.includes(defaultRegistry.get(c.className)!));
    if (own.length === 0) continue;
    it(`fixtures/keras3/layers/${name}`, () => {
      const kase = JSON.parse(readFileSync(join(dir, name, "case.json"), "utf8")) as {
        total_params: number;
        outputs: { shape: number[] }[];
      };
      let params = 0;
      const outputs: TensorSpec[] = [];
      for (const call of own) {
        const result = evaluateRecorded(call);
        outputs.push(...result.outputs);
        for (const w of result.weights) params += w.shape.reduce((a, b) => a * b, 1);
      }
      expect(outputs.map((o) => o.shape.slice(1))).toEqual(kase.outputs.map((o) => o.shape.slice(1)));
      expect(params).toBe(kase.total_params);
    });
  }
}
