/**
 * Merge kinds beyond what the fixtures record. Expected shapes come from Keras's formulas:
 * - elementwise merges (keras/src/layers/merging/base_merge.py `_compute_elemwise_op_output_shape`):
 *   the non-batch shapes aligned at their last axes; 1 takes the other size, None wins, the known
 *   batch size (if any) in front.
 * - Concatenate (concatenate.py): the sizes on `axis` add up, None if any is None.
 * - Dot (dot.py `compute_output_shape`): shape1 without axes[0] + shape2 without axes[1] and batch;
 *   a lone batch axis gets a trailing 1.
 * - the `keras.ops` operations of the same class names (keras/src/ops/numpy.py): NumPy broadcasting
 *   (`broadcast_shapes`) and `result_type` dtypes.
 */
import { describe, expect, it } from "vitest";
import { evaluateLayer } from "../../src/ir/build.js";
import { FormatError, ShapeError } from "../../src/ir/errors.js";
import type { ArgTree, TensorSpec } from "../../src/ir/graph.js";
import { Layer } from "../../src/ir/graph.js";
import type { Shape } from "../../src/ir/shape.js";
import { mergingKinds } from "../../src/layers/merging/index.js";
import { defaultRegistry } from "../../src/layers/registry.js";
import { checkLayerFixtures, outputShape, runKind, spec } from "./run-kind.js";

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

/** Calls a kind with positional arguments, as Keras records `keras.ops` operations (`args: [x, 3]`). */
function callOp(className: string, args: ArgTree<TensorSpec>[], config: Record<string, unknown> = {}, module?: string) {
  const layer = new Layer(className, "op", { name: "op", ...config }, { registeredName: className, module });
  return evaluateLayer(layer, args, {}, defaultRegistry.resolver()).outputs;
}

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

describe("keras.ops operations that share the merge layers' class names", () => {
  it("x + 3 (MobileNetV3's hard_sigmoid) keeps x", () => {
    expect(callOp("Add", [spec([N, 1, 1, 16]), 3])).toEqual([spec([N, 1, 1, 16])]);
  });
  it("x * y broadcasts like NumPy, batch included", () => {
    // broadcast_shapes((None, 1, 4), (3, 1)) = (None, 3, 4)
    expect(callOp("Multiply", [spec([N, 1, 4]), spec([3, 1])])[0]!.shape).toEqual([N, 3, 4]);
  });
  it("integer tensor times a float scalar is float32; int8 + uint8 is int16", () => {
    expect(callOp("Multiply", [spec([N, 2], "int32"), 0.5])[0]!.dtype).toBe("float32");
    expect(callOp("Subtract", [spec([N, 2], "int8"), spec([N, 2], "uint8")])[0]!.dtype).toBe("int16");
    expect(callOp("Add", [spec([N, 2], "int32"), 2])[0]!.dtype).toBe("int32");
  });
  it("incompatible NumPy shapes fail", () => {
    expect(() => callOp("Maximum", [spec([N, 3]), spec([N, 4])])).toThrow(/Cannot broadcast shape/);
  });
  it("keras.ops.dot follows NumPy: (None, 3, 4) . (4, 5) -> (None, 3, 5)", () => {
    expect(callOp("Dot", [spec([N, 3, 4]), spec([4, 5])])[0]!.shape).toEqual([N, 3, 5]);
    expect(callOp("Dot", [spec([N, 4]), spec([4])])[0]!.shape).toEqual([N]);
  });
  it("keras.ops.concatenate defaults to axis 0 and promotes dtypes", () => {
    const out = callOp("Concatenate", [[spec([2, 3], "int32"), spec([4, 3])]], {}, "keras.src.ops.numpy");
    expect(out).toEqual([spec([6, 3], "float32")]);
  });
  it("keras.ops.average reduces its axis", () => {
    expect(callOp("Average", [spec([N, 3, 4], "int32")], { axis: 1 }, "keras.src.ops.numpy")).toEqual([spec([N, 4])]);
  });
});

describe("merging kinds against Keras's single-layer fixtures", () => checkLayerFixtures(mergingKinds));
