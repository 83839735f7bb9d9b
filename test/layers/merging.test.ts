/**
 * Merge kinds beyond what the fixtures record. Expected shapes come from Keras's formulas:
 * - elementwise merges (keras/src/layers/merging/base_merge.py `_compute_elemwise_op_output_shape`):
 *   the non-batch shapes aligned at their last axes; 1 takes the other size, None wins, the known
 *   batch size (if any) in front.
 * - Concatenate (concatenate.py): the sizes on `axis` add up, None if any is None.
 * - Dot (dot.py `compute_output_shape`): shape1 without axes[0] + shape2 without axes[1] and batch;
 *   a lone batch axis gets a trailing 1.
 */
import { describe, expect, it } from "vitest";
import { FormatError, ShapeError } from "../../src/ir/errors.js";
import type { Shape } from "../../src/ir/shape.js";
import { mergingKinds } from "../../src/layers/merging/index.js";
import { checkLayerFixtures, outputShape, runKind } from "./run-kind.js";

const N = null;
type Row = [label: string, className: string, config: Record<string, unknown>, inputs: Shape[], output: Shape];
const rows: Row[] = [
  // (3, 4) with (4,): aligned at the last axis -> (3, 4)
  [
    "Add lower rank broadcasts",
    "Add",
    {},
    [
      [N, 3, 4],
      [N, 4],
    ],
    [N, 3, 4],
  ],
  // 1 takes the other size: (1, 5) with (3, 1) -> (3, 5)
  [
    "Add ones broadcast",
    "Add",
    {},
    [
      [N, 1, 5],
      [N, 3, 1],
    ],
    [N, 3, 5],
  ],
  // None wins over a known size
  [
    "Multiply unknown dim",
    "Multiply",
    {},
    [
      [N, N, 5],
      [N, 4, 5],
    ],
    [N, N, 5],
  ],
  // the one known batch size is kept
  [
    "Maximum known batch",
    "Maximum",
    {},
    [
      [8, 3],
      [N, 3],
    ],
    [8, 3],
  ],
  [
    "Average three inputs",
    "Average",
    {},
    [
      [N, 2, 3],
      [N, 2, 3],
      [N, 2, 3],
    ],
    [N, 2, 3],
  ],
  ["Add single input", "Add", {}, [[N, 7]], [N, 7]],
  [
    "Subtract",
    "Subtract",
    {},
    [
      [N, 4, 4],
      [N, 4, 4],
    ],
    [N, 4, 4],
  ],
  ["Minimum batch only", "Minimum", {}, [[N], [N]], [N]],
  // 2 + 3 on axis 1
  [
    "Concatenate axis 1",
    "Concatenate",
    { axis: 1 },
    [
      [N, 2, 5],
      [N, 3, 5],
    ],
    [N, 5, 5],
  ],
  [
    "Concatenate axis -2",
    "Concatenate",
    { axis: -2 },
    [
      [N, 2, 5],
      [N, 3, 5],
      [N, 1, 5],
    ],
    [N, 6, 5],
  ],
  // an unknown size on the axis makes the result unknown
  [
    "Concatenate unknown on axis",
    "Concatenate",
    { axis: 1 },
    [
      [N, N, 5],
      [N, 3, 5],
    ],
    [N, N, 5],
  ],
  // unknown sizes off the axis are compatible with known ones; the first input's is kept
  [
    "Concatenate unknown off axis",
    "Concatenate",
    {},
    [
      [N, N, 2],
      [N, 4, 3],
    ],
    [N, N, 5],
  ],
  // (3, 5) . (10, 3) on axes (1, 2): (5,) + (10,)
  [
    "Dot axes (1, 2)",
    "Dot",
    { axes: [1, 2] },
    [
      [N, 3, 5],
      [N, 10, 3],
    ],
    [N, 5, 10],
  ],
  // (None, 4) . (None, 4) on the last axis: () -> trailing 1
  [
    "Dot vectors",
    "Dot",
    { axes: -1 },
    [
      [N, 4],
      [N, 4],
    ],
    [N, 1],
  ],
  [
    "Dot axes 2 normalize",
    "Dot",
    { axes: 2, normalize: true },
    [
      [N, 3, 4],
      [N, 5, 4],
    ],
    [N, 3, 5],
  ],
  // negative int axes: -1 % 3 = 2 for both
  [
    "Dot negative axes",
    "Dot",
    { axes: -1 },
    [
      [N, 3, 4],
      [N, 5, 4],
    ],
    [N, 3, 5],
  ],
];

type ErrorRow = [
  label: string,
  className: string,
  config: Record<string, unknown>,
  input: Shape[] | Shape,
  error: typeof ShapeError,
  message: RegExp,
];
const errorRows: ErrorRow[] = [
  [
    "incompatible sizes",
    "Add",
    {},
    [
      [N, 3],
      [N, 4],
    ],
    ShapeError,
    /Add 'layer'.*incompatible shapes.*\(3,\) and \(4,\)/,
  ],
  [
    "different batch sizes",
    "Multiply",
    {},
    [
      [8, 3],
      [4, 3],
    ],
    ShapeError,
    /different batch sizes/,
  ],
  ["bare tensor", "Add", {}, [N, 3], ShapeError, /Add 'layer'.*list of inputs.*\(None, 3\)/],
  [
    "Subtract of three",
    "Subtract",
    {},
    [
      [N, 3],
      [N, 3],
      [N, 3],
    ],
    ShapeError,
    /exactly 2 inputs/,
  ],
  [
    "Concatenate mismatch",
    "Concatenate",
    { axis: 1 },
    [
      [N, 2, 5],
      [N, 2, 6],
    ],
    ShapeError,
    /matching shapes except for the concatenation axis/,
  ],
  [
    "Concatenate ranks",
    "Concatenate",
    {},
    [
      [N, 2],
      [N, 2, 2],
    ],
    ShapeError,
    /matching shapes/,
  ],
  ["Concatenate bare tensor", "Concatenate", {}, [N, 2], ShapeError, /list of inputs/],
  [
    "Dot sizes differ",
    "Dot",
    { axes: 1 },
    [
      [N, 4],
      [N, 5],
    ],
    ShapeError,
    /axis values 4 \(at axis 1\) != 5/,
  ],
  // Keras's build compares with `!=`: None differs from a known size
  [
    "Dot unknown vs known",
    "Dot",
    { axes: 1 },
    [
      [N, N],
      [N, 5],
    ],
    ShapeError,
    /axis values None/,
  ],
  [
    "Dot of three",
    "Dot",
    { axes: 1 },
    [
      [N, 4],
      [N, 4],
      [N, 4],
    ],
    ShapeError,
    /list of 2 inputs/,
  ],
  [
    "Dot axes of three",
    "Dot",
    { axes: [1, 1, 1] },
    [
      [N, 4],
      [N, 4],
    ],
    FormatError,
    /two elements/,
  ],
];

describe("merging kinds: output shapes", () => {
  it.each(rows)("%s", (_label, className, config, inputs, output) => {
    expect(outputShape(className, config, inputs)).toEqual(output);
  });
  it("outputs take the compute dtype", () => {
    const { outputs } = runKind("Add", { dtype: "mixed_float16" }, [
      [N, 2],
      [N, 2],
    ]);
    expect(outputs[0]!.dtype).toBe("float16");
  });
  it("merge layers have no weights", () => {
    for (const [, className, config, inputs] of rows) expect(runKind(className, config, inputs).weights).toEqual([]);
  });
});

describe("merging kinds: errors", () => {
  it.each(errorRows)("%s", (_label, className, config, input, error, message) => {
    expect(() => runKind(className, config, input)).toThrow(error);
    expect(() => runKind(className, config, input)).toThrow(message);
  });
});

describe("merging kinds against Keras's single-layer fixtures", () => checkLayerFixtures(mergingKinds));
