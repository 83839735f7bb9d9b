import { describe, expect, it } from "vitest";
import { defaultRegistry } from "../../src/layers/registry.js";
import { evaluateRecorded, fixtureCases, recordedCalls } from "./harness.js";

/** Classes defined by the fixtures themselves (the guide's custom layers), not by Keras. */
const CUSTOM = new Set(["CustomDense"]);

const calls = fixtureCases()
  .flatMap((c) => recordedCalls(c))
  .filter((c) => !CUSTOM.has(c.className));
const byClass = new Map<string, typeof calls>();
for (const c of calls) byClass.set(c.className, [...(byClass.get(c.className) ?? []), c]);

describe("layer catalog against every call Keras recorded", () => {
  for (const [className, cases] of [...byClass].sort()) {
    it(`${className} (${cases.length} calls)`, () => {
      expect(defaultRegistry.get(className), `no kind registered for ${className}`).toBeDefined();
      for (const call of cases) {
        const label = `${call.fixture} ${call.layerName}[${call.node}]`;
        const { outputs, weights } = evaluateRecorded(call);
        for (const [i, spec] of call.expectedOutputs) {
          expect(outputs[i]?.shape, `${label} output ${i} shape`).toEqual(spec.shape);
          if (spec.dtype) expect(outputs[i]?.dtype, `${label} output ${i} dtype`).toBe(spec.dtype);
        }
        if (call.expectedWeights) {
          expect(
            weights.map((w) => ({ name: w.name, shape: w.shape, trainable: w.trainable })),
            `${label} weights`,
          ).toEqual(call.expectedWeights);
        }
      }
    });
  }
});
