import {
  ALL,
  BOOL,
  FLOAT,
  INDEX,
  NUMERIC,
  type OpSchema,
  binary,
  compare,
  convAttrs,
  dataWithIndices,
  reduce,
  rnnAttrs,
  rnnTypes,
  same,
  unary,
  variadic,
} from "./schema-rules.js";

/**
 * The ONNX operator rules kerasgraph's checker knows (from onnx/docs/Operators.md): the opset that
 * introduced each op in the default domain, its input and output counts, its attributes' types, and
 * how its output element type follows from its inputs' (the rules' building blocks: schema-rules.ts).
 */
export const SCHEMAS: Record<string, OpSchema> = {
  Abs: unary(1, {}, NUMERIC),
  Add: binary(1),
  And: {
    since: 1,
    inputs: [2, 2],
    outputs: [1, 1],
    attrs: {},
    types: (ins) => (ins.every((t) => t === undefined || t === BOOL) ? [BOOL] : "inputs must be bool"),
  },
  AveragePool: {
    since: 1,
    inputs: [1, 1],
    outputs: [1, 1],
    attrs: { ...convAttrs, ceil_mode: "int", count_include_pad: "int" },
    types: same(FLOAT),
  },
  CumSum: {
    since: 11,
    inputs: [2, 2],
    outputs: [1, 1],
    attrs: { exclusive: "int", reverse: "int" },
    types: (ins) => dataWithIndices(NUMERIC, [1], true)(ins, {}),
  },
  Cast: {
    since: 1,
    inputs: [1, 1],
    outputs: [1, 1],
    attrs: { to: "int", saturate: "int" },
    types: (_ins, attrs) => [attrs.to as number],
  },
  Celu: unary(12, { alpha: "float" }),
  Clip: { since: 1, inputs: [1, 3], outputs: [1, 1], attrs: {}, types: same(NUMERIC) },
  Concat: { since: 1, inputs: [1, 2147483647], outputs: [1, 1], attrs: { axis: "int" }, types: same(ALL) },
  Conv: { since: 1, inputs: [2, 3], outputs: [1, 1], attrs: convAttrs, types: same(FLOAT) },
  ConvTranspose: {
    since: 1,
    inputs: [2, 3],
    outputs: [1, 1],
    attrs: { ...convAttrs, output_padding: "ints", output_shape: "ints" },
    types: same(FLOAT),
  },
  Div: binary(1),
  Einsum: { since: 12, inputs: [1, 2147483647], outputs: [1, 1], attrs: { equation: "string" }, types: same(NUMERIC) },
  Elu: unary(1, { alpha: "float" }),
  Equal: compare(1),
  Erf: unary(9, {}, NUMERIC),
  Exp: unary(1),
  Expand: { since: 8, inputs: [2, 2], outputs: [1, 1], attrs: {}, types: dataWithIndices(ALL, [1]) },
  Flatten: { since: 1, inputs: [1, 1], outputs: [1, 1], attrs: { axis: "int" }, types: same(ALL) },
  Gather: {
    since: 1,
    inputs: [2, 2],
    outputs: [1, 1],
    attrs: { axis: "int" },
    types: (ins) => dataWithIndices(ALL, [1], true)(ins, {}),
  },
  GatherElements: {
    since: 11,
    inputs: [2, 2],
    outputs: [1, 1],
    attrs: { axis: "int" },
    types: (ins) => dataWithIndices(ALL, [1], true)(ins, {}),
  },
  Gelu: unary(20, { approximate: "string" }),
  Gemm: {
    since: 1,
    inputs: [2, 3],
    outputs: [1, 1],
    attrs: { alpha: "float", beta: "float", transA: "int", transB: "int" },
    types: same(NUMERIC),
  },
  Greater: compare(1),
  GreaterOrEqual: compare(12),
  GRU: {
    since: 1,
    inputs: [3, 6],
    outputs: [0, 2],
    attrs: { ...rnnAttrs, linear_before_reset: "int" },
    types: rnnTypes(2),
  },
  HardSigmoid: unary(1, { alpha: "float", beta: "float" }),
  HardSwish: unary(14),
  Identity: { since: 1, inputs: [1, 1], outputs: [1, 1], attrs: {}, types: same(ALL) },
  IsNaN: {
    since: 9,
    inputs: [1, 1],
    outputs: [1, 1],
    attrs: {},
    types: (ins) => (ins[0] === undefined || FLOAT.has(ins[0]) ? [BOOL] : "input must be float"),
  },
  LayerNormalization: {
    since: 17,
    inputs: [2, 3],
    outputs: [1, 3],
    attrs: { axis: "int", epsilon: "float", stash_type: "int" },
    types: same(FLOAT, 1),
  },
  LeakyRelu: unary(1, { alpha: "float" }),
  Less: compare(1),
  LessOrEqual: compare(12),
  Log: unary(1),
  LogSoftmax: unary(1, { axis: "int" }),
  LSTM: { since: 1, inputs: [3, 8], outputs: [0, 3], attrs: { ...rnnAttrs, input_forget: "int" }, types: rnnTypes(3) },
  MatMul: { since: 1, inputs: [2, 2], outputs: [1, 1], attrs: {}, types: same(NUMERIC) },
  Max: variadic(1),
  MaxPool: {
    since: 1,
    inputs: [1, 1],
    outputs: [1, 2],
    attrs: { ...convAttrs, ceil_mode: "int", storage_order: "int" },
    types: same(NUMERIC),
  },
  Mean: variadic(1),
  Min: variadic(1),
  Mish: unary(18),
  Mul: binary(1),
  Neg: unary(1, {}, NUMERIC),
  Not: {
    since: 1,
    inputs: [1, 1],
    outputs: [1, 1],
    attrs: {},
    types: (ins) => (ins[0] === undefined || ins[0] === BOOL ? [BOOL] : "input must be bool"),
  },
  OneHot: { since: 9, inputs: [3, 3], outputs: [1, 1], attrs: { axis: "int" }, types: (ins) => [ins[2]] },
  Or: {
    since: 1,
    inputs: [2, 2],
    outputs: [1, 1],
    attrs: {},
    types: (ins) => (ins.every((t) => t === undefined || t === BOOL) ? [BOOL] : "inputs must be bool"),
  },
  Pad: {
    since: 1,
    inputs: [2, 4],
    outputs: [1, 1],
    attrs: { mode: "string" },
    types: (ins) => dataWithIndices(ALL, [1, 3])(ins, {}),
  },
  Pow: { since: 1, inputs: [2, 2], outputs: [1, 1], attrs: {}, types: (ins) => [ins[0]] },
  PRelu: binary(1),
  Range: { since: 11, inputs: [3, 3], outputs: [1, 1], attrs: {}, types: same(NUMERIC) },
  Reciprocal: unary(1),
  ReduceL2: reduce(1),
  ReduceMax: reduce(1),
  ReduceMean: reduce(1),
  ReduceMin: reduce(1),
  ReduceProd: reduce(1),
  ReduceSum: reduce(1),
  ReduceSumSquare: reduce(1),
  Relu: unary(1, {}, NUMERIC),
  Reshape: { since: 1, inputs: [2, 2], outputs: [1, 1], attrs: { allowzero: "int" }, types: dataWithIndices(ALL, [1]) },
  Resize: {
    since: 10,
    inputs: [1, 4],
    outputs: [1, 1],
    attrs: {
      antialias: "int",
      axes: "ints",
      coordinate_transformation_mode: "string",
      cubic_coeff_a: "float",
      exclude_outside: "int",
      extrapolation_value: "float",
      keep_aspect_ratio_policy: "string",
      mode: "string",
      nearest_mode: "string",
    },
    types: (ins) => {
      if (ins[2] !== undefined && ins[2] !== 1) return "scales must be float32";
      if (ins[3] !== undefined && ins[3] !== 7) return "sizes must be int64";
      return [ins[0]];
    },
  },
  RNN: { since: 1, inputs: [3, 6], outputs: [0, 2], attrs: rnnAttrs, types: rnnTypes(2) },
  Round: unary(11),
  Selu: unary(1, { alpha: "float", gamma: "float" }),
  Shape: { since: 1, inputs: [1, 1], outputs: [1, 1], attrs: { start: "int", end: "int" }, types: () => [7] },
  Shrink: unary(9, { bias: "float", lambd: "float" }, NUMERIC),
  Sigmoid: unary(1),
  Slice: {
    since: 1,
    inputs: [3, 5],
    outputs: [1, 1],
    attrs: {},
    types: (ins) => {
      const idx = ins.slice(1).filter((t): t is number => t !== undefined);
      if (idx.some((t) => !INDEX.has(t) || t !== idx[0]))
        return "starts/ends/axes/steps must all be int32 or all int64";
      return [ins[0]];
    },
  },
  Softmax: unary(1, { axis: "int" }),
  Softplus: unary(1),
  Softsign: unary(1),
  Split: {
    since: 1,
    inputs: [1, 2],
    outputs: [1, 2147483647],
    attrs: { axis: "int", num_outputs: "int" },
    types: (ins) => dataWithIndices(ALL, [1], false, 64)(ins, {}),
  },
  Sqrt: unary(1),
  Squeeze: { since: 1, inputs: [1, 2], outputs: [1, 1], attrs: {}, types: dataWithIndices(ALL, [1]) },
  Sub: binary(1),
  Sum: variadic(1),
  Tanh: unary(1),
  ThresholdedRelu: unary(10, { alpha: "float" }),
  Tile: { since: 1, inputs: [2, 2], outputs: [1, 1], attrs: {}, types: dataWithIndices(ALL, [1]) },
  TopK: {
    since: 1,
    inputs: [2, 2],
    outputs: [2, 2],
    attrs: { axis: "int", largest: "int", sorted: "int" },
    types: (ins) => {
      if (ins[1] !== undefined && ins[1] !== 7) return "K must be int64";
      return [ins[0], 7];
    },
  },
  Transpose: { since: 1, inputs: [1, 1], outputs: [1, 1], attrs: { perm: "ints" }, types: same(ALL) },
  Unsqueeze: { since: 1, inputs: [2, 2], outputs: [1, 1], attrs: {}, types: dataWithIndices(ALL, [1]) },
  Where: {
    since: 9,
    inputs: [3, 3],
    outputs: [1, 1],
    attrs: {},
    types: (ins) => {
      if (ins[0] !== undefined && ins[0] !== BOOL) return "condition must be bool";
      return same(ALL)(ins.slice(1), {});
    },
  },
};

/** Reductions whose `axes` moved from an attribute to an input, and the opset where that happened. */
export function axesInputSince(op: string): number | undefined {
  if (!op.startsWith("Reduce")) return undefined;
  return op === "ReduceSum" ? 13 : 18;
}

/** Attributes that newer versions of an op added: (op, attribute) → the first opset with it. */
export const ATTRIBUTE_SINCE: Record<string, number> = {
  "Resize.antialias": 18,
  "Resize.axes": 18,
  "Resize.keep_aspect_ratio_policy": 18,
  "Split.num_outputs": 18,
  "Shape.start": 15,
  "Shape.end": 15,
  "AveragePool.dilations": 19,
  "Gelu.approximate": 20,
  "TopK.largest": 11,
  "TopK.sorted": 11,
  "LSTM.layout": 14,
  "GRU.layout": 14,
  "RNN.layout": 14,
};

/** Inputs that newer versions added: op → [opset, the number of inputs allowed before it]. */
export const INPUTS_BEFORE: Record<string, [number, number]> = {
  Pad: [18, 3],
};
