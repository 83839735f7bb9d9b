import { type Const, float32Of } from "../const.js";
import type { MapContext, Mapper, WeightValues } from "./context.js";

type Cell = "LSTM" | "GRU" | "RNN";
const GATES: Record<Cell, number> = { LSTM: 4, GRU: 3, RNN: 1 };
/** For each Keras gate (LSTM i f c o, GRU z r h), the ONNX gate holding it (LSTM i o f c, GRU z r h). */
const FROM_ONNX: Record<Cell, number[]> = { LSTM: [0, 2, 3, 1], GRU: [0, 1, 2], RNN: [0] };
const DEFAULT_ACTIVATIONS: Record<Cell, string[]> = {
  LSTM: ["Sigmoid", "Tanh", "Tanh"],
  GRU: ["Sigmoid", "Tanh"],
  RNN: ["Tanh"],
};
const USES_ALPHA = new Set(["Affine", "LeakyRelu", "ThresholdedRelu", "ScaledTanh", "HardSigmoid", "Elu"]);
const USES_BETA = new Set(["Affine", "ScaledTanh", "HardSigmoid"]);

/** An ONNX RNN activation as a Keras activation name, or null. */
function kerasActivation(name: string, alpha: number | undefined, beta: number | undefined): string | null {
  const close = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) < 1e-6;
  switch (name.toLowerCase()) {
    case "sigmoid":
      return "sigmoid";
    case "tanh":
      return "tanh";
    case "relu":
      return "relu";
    case "softsign":
      return "softsign";
    case "softplus":
      return "softplus";
    case "elu":
      return alpha === undefined || close(alpha, 1) ? "elu" : null;
    case "hardsigmoid":
      return close(alpha ?? 0.2, 1 / 6) && close(beta ?? 0.5, 0.5) ? "hard_sigmoid" : null;
    case "affine":
      return close(alpha ?? 1, 1) && close(beta ?? 0, 0) ? "linear" : null;
    default:
      return null;
  }
}

/** Each direction's (recurrent_activation, activation) — or (activation) for RNN — as Keras names. */
function activations(ctx: MapContext, cell: Cell, dirs: number): string[][] {
  const names = ctx.has("activations")
    ? ctx.strings("activations")
    : Array.from({ length: dirs }, () => DEFAULT_ACTIVATIONS[cell]).flat();
  const alphas = ctx.has("activation_alpha") ? [...ctx.ints("activation_alpha")] : [];
  const betas = ctx.has("activation_beta") ? [...ctx.ints("activation_beta")] : [];
  const mapped = names.map((n) => {
    const a = USES_ALPHA.has(n) ? alphas.shift() : undefined;
    const b = USES_BETA.has(n) ? betas.shift() : undefined;
    return (
      kerasActivation(n, a, b) ??
      ctx.unsupported(
        `uses the activation ${n}(${a ?? ""}${b !== undefined ? `, ${b}` : ""}), which Keras's recurrent layers lack`,
      )
    );
  });
  const per = DEFAULT_ACTIVATIONS[cell].length;
  return Array.from({ length: dirs }, (_, d) => {
    const acts = mapped.slice(d * per, (d + 1) * per);
    if (cell === "LSTM" && acts[1] !== acts[2])
      ctx.unsupported(`uses different cell and hidden activations (${acts[1]}, ${acts[2]}); Keras's LSTM has one`);
    return cell === "RNN" ? [acts[0]!] : [acts[0]!, acts[1]!];
  });
}

/** ONNX [D, G·H, rows] for direction d → Keras [rows, G·H] in Keras's gate order. */
function kerasMatrix(c: Const, d: number, cell: Cell, hidden: number): WeightValues {
  const gates = GATES[cell];
  const rows = c.dims[2]!;
  const src = float32Of(c);
  const base = d * gates * hidden * rows;
  const out = new Float32Array(rows * gates * hidden);
  FROM_ONNX[cell].forEach((onnxGate, k) => {
    for (let u = 0; u < hidden; u++) {
      for (let i = 0; i < rows; i++)
        out[i * gates * hidden + k * hidden + u] = src[base + (onnxGate * hidden + u) * rows + i]!;
    }
  });
  return { shape: [rows, gates * hidden], data: out };
}

/** One half (0: input Wb, 1: recurrent Rb) of ONNX's bias for direction d, in Keras's gate order. */
function biasHalf(c: Const, d: number, half: number, cell: Cell, hidden: number): Float32Array {
  const gates = GATES[cell];
  const src = float32Of(c);
  const base = d * 2 * gates * hidden + half * gates * hidden;
  const out = new Float32Array(gates * hidden);
  FROM_ONNX[cell].forEach((onnxGate, k) =>
    out.set(src.subarray(base + onnxGate * hidden, base + (onnxGate + 1) * hidden), k * hidden),
  );
  return out;
}

/**
 * kg.Recurrent (see passes/recurrent.ts) → LSTM / GRU / SimpleRNN, or Bidirectional over one, with
 * ONNX's weights in Keras's layout: kernels transposed with the gates reordered (ONNX LSTM's i o f c
 * to Keras's i f c o), the two ONNX biases summed (GRU with linear_before_reset keeps both: Keras's
 * reset_after).
 */
const recurrent: Mapper = (ctx) => {
  const cell = ctx.string("cell") as Cell;
  const hidden = ctx.int("hidden_size");
  const direction = ctx.string("direction", "forward");
  const dirs = direction === "bidirectional" ? 2 : 1;
  const w = ctx.weight(1, "input weights W");
  const r = ctx.weight(2, "recurrent weights R");
  const b = ctx.input(3) ? ctx.weight(3, "bias B") : undefined;
  const acts = activations(ctx, cell, dirs);
  const resetAfter = cell === "GRU" && ctx.int("linear_before_reset", 0) === 1;
  const className = cell === "RNN" ? "SimpleRNN" : cell;
  const flags = {
    return_sequences: ctx.int("return_sequences") === 1,
    return_state: ctx.int("return_state") === 1,
  };
  const configFor = (d: number) => ({
    units: hidden,
    activation: cell === "RNN" ? acts[d]![0]! : acts[d]![1]!,
    ...(cell === "RNN" ? {} : { recurrent_activation: acts[d]![0]! }),
    use_bias: !!b,
    ...(cell === "GRU" ? { reset_after: resetAfter } : {}),
    ...flags,
    ...(direction === "reverse" ? { go_backwards: true } : {}),
  });
  const weights: Record<string, WeightValues> = {};
  for (let d = 0; d < dirs; d++) {
    const prefix = dirs === 2 ? (d === 0 ? "forward/" : "backward/") : "";
    weights[`${prefix}kernel`] = kerasMatrix(w, d, cell, hidden);
    weights[`${prefix}recurrent_kernel`] = kerasMatrix(r, d, cell, hidden);
    if (b) {
      const wb = biasHalf(b, d, 0, cell, hidden);
      const rb = biasHalf(b, d, 1, cell, hidden);
      weights[`${prefix}bias`] = resetAfter
        ? { shape: [2, wb.length], data: Float32Array.from([...wb, ...rb]) }
        : { shape: [wb.length], data: wb.map((v, i) => v + rb[i]!) };
    }
  }
  const states = ctx.node.inputs.slice(4).filter(Boolean);
  const common = {
    inputs: [ctx.input(0)],
    outputs: ctx.node.outputs,
    weights,
    ...(states.length ? { kwargs: { initial_state: states } } : {}),
  };
  if (dirs === 1) return [{ className, config: configFor(0), ...common }];
  if (acts[0]!.join() !== acts[1]!.join()) ctx.unsupported("runs its two directions with different activations");
  const layer = {
    class_name: className,
    config: { name: className.toLowerCase(), ...configFor(0) },
    module: "keras.layers",
    registered_name: null,
  };
  return [{ className: "Bidirectional", config: { layer, merge_mode: "concat" }, ...common }];
};

export const recurrentMappers: Record<string, Mapper> = { "kg.Recurrent": recurrent };
