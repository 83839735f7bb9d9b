import { dtypeOfDataType } from "../../model.js";
import type { NodeReader } from "../attrs.js";
import { type Const, numbers } from "../const.js";
import { broadcastShapes } from "../fold/broadcast.js";
import type { Dim, Value } from "../graph.js";
import { reduceAxes } from "../params.js";
import { LAYOUT_RULES } from "./shapes-layout.js";
import { type Inferred, type ShapeRule, sameDtype, shapeValues } from "./rule.js";

export type { Inferred, ShapeRule } from "./rule.js";
export { shapeValues } from "./rule.js";
import { readWindow, transposeOutput, windowOutput } from "./spatial.js";

const same: ShapeRule = (_r, ins) => [{ shape: ins[0]?.shape ?? null, dtype: ins[0]?.dtype ?? "float32" }];
const elementwise: ShapeRule = (_r, ins) =>
  sameDtype(ins, broadcastShapes(ins.filter((v): v is Value => !!v).map((v) => v.shape)));
const compare: ShapeRule = (r, ins) => [{ ...elementwise(r, ins)[0]!, dtype: "bool" }];

function spatialRule(kind: "conv" | "pool" | "transpose"): ShapeRule {
  return (r, ins) => {
    const x = ins[0]?.shape;
    if (!x) return sameDtype(ins, null);
    const w = ins[1]?.value;
    const window = readWindow(r, x.length - 2, w?.dims);
    const fresh = () => r.graph.freshSymbol("spatial");
    const spatial =
      kind === "transpose" ? transposeOutput(r, window, x.slice(2), fresh) : windowOutput(window, x.slice(2), fresh);
    const group = r.int("group", 1);
    const w1 = ins[1]?.shape?.[1];
    const channels: Dim =
      kind === "pool"
        ? x[1]!
        : kind === "conv"
          ? (ins[1]?.shape?.[0] ?? fresh())
          : typeof w1 === "number"
            ? w1 * group
            : fresh();
    const outs: Inferred[] = [{ shape: [x[0]!, channels, ...spatial], dtype: ins[0]!.dtype }];
    if (r.node.outputs.length > 1) outs.push({ shape: [x[0]!, channels, ...spatial], dtype: "int64" });
    return outs;
  };
}

function matmulShape(a: Dim[], b: Dim[]): Dim[] | null {
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const batch = broadcastShapes([a2.slice(0, -2), b2.slice(0, -2)]);
  if (!batch) return null;
  const out = [...batch, a2.at(-2)!, b2.at(-1)!];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.pop();
  return out;
}

const recurrent: ShapeRule = (r, ins) => {
  const x = ins[0]?.shape;
  const dtype = ins[0]?.dtype ?? "float32";
  const hidden = r.int("hidden_size");
  const dirs = r.string("direction", "forward") === "bidirectional" ? 2 : 1;
  if (!x) return r.node.outputs.map(() => ({ shape: null, dtype }));
  const batchMajor = r.int("layout", 0) === 1;
  const [t, b] = batchMajor ? [x[1]!, x[0]!] : [x[0]!, x[1]!];
  const y: Dim[] = batchMajor ? [b, t, dirs, hidden] : [t, dirs, b, hidden];
  const state: Dim[] = batchMajor ? [b, dirs, hidden] : [dirs, b, hidden];
  return [
    { shape: y, dtype },
    { shape: state, dtype },
    { shape: state, dtype },
  ].slice(0, r.node.outputs.length);
};

function reduceRule(r: NodeReader, ins: (Value | undefined)[]): Inferred[] {
  const x = ins[0]?.shape;
  if (!x) return sameDtype(ins, null);
  const axes = reduceAxes(r, x.length);
  const keep = r.int("keepdims", 1) === 1;
  return sameDtype(ins, keep ? x.map((d, i) => (axes.includes(i) ? 1 : d)) : x.filter((_, i) => !axes.includes(i)));
}

function resizeRule(r: NodeReader, ins: (Value | undefined)[]): Inferred[] {
  const x = ins[0]?.shape;
  if (!x) return sameDtype(ins, null);
  const op = r.node.op;
  let scales: number[] | undefined;
  let sizes: number[] | undefined;
  if (op === "Upsample") scales = r.graph.opset < 9 ? r.ints("scales") : r.constNumbers(1, "scales");
  else if (r.graph.opset < 11) scales = r.constNumbers(1, "scales");
  else {
    const s = ins[2]?.value;
    scales = s && s.data.length ? numbers(s) : undefined;
    sizes = r.constNumbers(3, "sizes");
  }
  if (sizes) return sameDtype(ins, sizes);
  if (!scales) return r.unsupported("has neither scales nor sizes");
  return sameDtype(
    ins,
    x.map((d, i) =>
      typeof d === "number" ? Math.floor(d * scales![i]!) : scales![i] === 1 ? d : r.graph.freshSymbol("resize"),
    ),
  );
}

export const SHAPE_RULES: Record<string, ShapeRule> = {
  ...LAYOUT_RULES,
  Conv: spatialRule("conv"),
  ConvTranspose: spatialRule("transpose"),
  MaxPool: spatialRule("pool"),
  AveragePool: spatialRule("pool"),
  LpPool: spatialRule("pool"),
  GlobalAveragePool: (_r, ins) => sameDtype(ins, ins[0]?.shape ? ins[0].shape.map((d, i) => (i < 2 ? d : 1)) : null),
  GlobalMaxPool: (_r, ins) => sameDtype(ins, ins[0]?.shape ? ins[0].shape.map((d, i) => (i < 2 ? d : 1)) : null),
  Gemm: (r, ins) => {
    const a = ins[0]?.shape;
    const b = ins[1]?.shape;
    if (!a || !b) return sameDtype(ins, null);
    return sameDtype(ins, [r.int("transA", 0) ? a[1]! : a[0]!, r.int("transB", 0) ? b[0]! : b[1]!]);
  },
  MatMul: (_r, ins) => sameDtype(ins, ins[0]?.shape && ins[1]?.shape ? matmulShape(ins[0].shape, ins[1].shape) : null),
  LSTM: recurrent,
  GRU: recurrent,
  RNN: recurrent,
  Resize: resizeRule,
  Upsample: resizeRule,
  Shape: (_r, ins) => [{ shape: ins[0]?.shape ? [ins[0].shape.length] : null, dtype: "int64" }],
  Size: () => [{ shape: [], dtype: "int64" }],
  ConstantOfShape: (r, ins) => {
    const v = r.node.attrs.value as Const | undefined;
    return [{ shape: shapeValues(ins[0]), dtype: v?.dtype ?? "float32" }];
  },
  Cast: (r, ins) => [{ shape: ins[0]?.shape ?? null, dtype: castTarget(r) }],
  Equal: compare,
  Less: compare,
  LessOrEqual: compare,
  Greater: compare,
  GreaterOrEqual: compare,
  And: compare,
  Or: compare,
  Not: same,
  Where: (_r, ins) => [{ shape: broadcastShapes(ins.map((v) => v?.shape ?? null)), dtype: ins[1]?.dtype ?? "float32" }],
  ReduceMean: reduceRule,
  ReduceSum: reduceRule,
  ReduceMax: reduceRule,
  ReduceMin: reduceRule,
  ReduceProd: reduceRule,
  ReduceL2: reduceRule,
  ReduceSumSquare: reduceRule,
  Dropout: (_r, ins) => [
    { shape: ins[0]?.shape ?? null, dtype: ins[0]?.dtype ?? "float32" },
    { shape: ins[0]?.shape ?? null, dtype: "bool" },
  ],
  BatchNormalization: (_r, ins) => [{ shape: ins[0]?.shape ?? null, dtype: ins[0]?.dtype ?? "float32" }],
};

/** Ops whose output has the first input's shape and dtype. */
const SAME_SHAPE = [
  "Identity",
  "Relu",
  "LeakyRelu",
  "PRelu",
  "Elu",
  "Selu",
  "Celu",
  "Sigmoid",
  "HardSigmoid",
  "Tanh",
  "Softmax",
  "LogSoftmax",
  "Softplus",
  "Softsign",
  "HardSwish",
  "Mish",
  "Gelu",
  "Erf",
  "Exp",
  "Log",
  "Abs",
  "Neg",
  "Sqrt",
  "Reciprocal",
  "Floor",
  "Ceil",
  "Round",
  "Sign",
  "Clip",
  "ThresholdedRelu",
  "InstanceNormalization",
  "LRN",
  "LayerNormalization",
  "Hardmax",
];
for (const op of SAME_SHAPE) SHAPE_RULES[op] ??= same;
for (const op of ["Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Mean", "Sum", "Mod"]) SHAPE_RULES[op] = elementwise;

/** Cast's `to` as a dtype; an element type ONNX does not define is the file's error, named. */
function castTarget(r: NodeReader): string {
  const to = r.int("to");
  try {
    return dtypeOfDataType(to);
  } catch {
    return r.unsupported(`casts to ONNX element type ${to}, which has no dtype. Received: to=${to}`);
  }
}
