/**
 * ONNX's LSTM / GRU / RNN ops from Keras recurrent layers: weights repacked into ONNX's gate order and
 * layout, Keras's activations, and the reshapes between Keras's (batch, time, features) and ONNX's
 * (time, directions, batch, hidden). Shared by the recurrent layers and Bidirectional.
 */
import type { LayerConfig } from "../../../ir/config.js";
import type { WeightData } from "../../../ir/weights.js";
import { rnnActivation } from "../activation.js";
import { type Attributes, attr } from "../builder.js";
import type { EmitContext, Val } from "../emitter.js";
import { findWeight } from "../emitter.js";
import { float32Values } from "../tensor-data.js";

export type Cell = "LSTM" | "GRU" | "RNN";
const GATES: Record<Cell, number> = { LSTM: 4, GRU: 3, RNN: 1 };
/** ONNX's gate order as indices into Keras's: LSTM iofc ← Keras ifco; GRU zrh = Keras zrh. */
const ORDER: Record<Cell, number[]> = { LSTM: [0, 3, 1, 2], GRU: [0, 1, 2], RNN: [0] };
export const CELLS: Record<string, Cell> = {
  LSTM: "LSTM",
  GRU: "GRU",
  SimpleRNN: "RNN",
  CuDNNLSTM: "LSTM",
  CuDNNGRU: "GRU",
};
/** Which ONNX RNN activations take alpha / beta (onnxruntime consumes the lists only for these). */
const USES_ALPHA = new Set(["Affine", "LeakyRelu", "ThresholdedRelu", "ScaledTanh", "HardSigmoid", "Elu"]);
const USES_BETA = new Set(["Affine", "ScaledTanh", "HardSigmoid"]);

/** One direction of a recurrent layer: its config and its weights. */
export interface Direction {
  cell: Cell;
  config: LayerConfig;
  weight(name: string): WeightData;
  has(name: string): boolean;
}

/** Keras kernel (in, G·H) in Keras's gate order → ONNX (G·H, in) in ONNX's. */
function gateRows(values: Float32Array, rows: number, units: number, order: number[]): Float32Array {
  const gates = order.length;
  const out = new Float32Array(values.length);
  order.forEach((k, g) => {
    for (let u = 0; u < units; u++) {
      for (let r = 0; r < rows; r++) out[(g * units + u) * rows + r] = values[r * gates * units + k * units + u]!;
    }
  });
  return out;
}

function reorderVector(values: Float32Array, units: number, order: number[]): Float32Array {
  const out = new Float32Array(order.length * units);
  order.forEach((k, g) => out.set(values.subarray(k * units, (k + 1) * units), g * units));
  return out;
}

export function unitsOf(config: LayerConfig): number {
  return Number(config.raw.units ?? config.raw.output_dim ?? config.get("units"));
}

/** W, R and B of one direction in ONNX's layout. */
function pack(d: Direction, inputDim: number): { W: Float32Array; R: Float32Array; B: Float32Array | null } {
  const units = unitsOf(d.config);
  const order = ORDER[d.cell];
  const W = gateRows(float32Values(d.weight("kernel")), inputDim, units, order);
  const R = gateRows(float32Values(d.weight("recurrent_kernel")), units, units, order);
  if (d.config.get("use_bias") === false || !d.has("bias")) return { W, R, B: null };
  const bias = d.weight("bias");
  const values = float32Values(bias);
  const n = GATES[d.cell] * units;
  const B = new Float32Array(2 * n);
  if (d.cell === "GRU" && bias.shape.length === 2) {
    // reset_after=True: (2, 3H) = input bias, recurrent bias.
    B.set(reorderVector(values.subarray(0, n), units, order), 0);
    B.set(reorderVector(values.subarray(n, 2 * n), units, order), n);
  } else if (values.length === 2 * n) {
    // CuDNN layers keep both biases in one vector.
    B.set(reorderVector(values.subarray(0, n), units, order), 0);
    B.set(reorderVector(values.subarray(n), units, order), n);
  } else B.set(reorderVector(values, units, order), 0);
  return { W, R, B };
}

function activationsOf(ctx: EmitContext, d: Direction): { names: string[]; alphas: number[]; betas: number[] } {
  const specs =
    d.cell === "LSTM"
      ? [
          d.config.get("recurrent_activation") ?? "sigmoid",
          d.config.get("activation") ?? "tanh",
          d.config.get("activation") ?? "tanh",
        ]
      : d.cell === "GRU"
        ? [d.config.get("recurrent_activation") ?? "sigmoid", d.config.get("activation") ?? "tanh"]
        : [d.config.get("activation") ?? "tanh"];
  const names: string[] = [];
  const alphas: number[] = [];
  const betas: number[] = [];
  for (const spec of specs) {
    const a = rnnActivation(spec);
    if (!a)
      return ctx.unsupported(
        `recurrent activation ${JSON.stringify(spec)} (ONNX ${d.cell} takes only its listed activations)`,
      );
    names.push(a.name);
    if (USES_ALPHA.has(a.name)) alphas.push(a.alpha ?? 1);
    if (USES_BETA.has(a.name)) betas.push(a.beta ?? 0);
  }
  return { names, alphas, betas };
}

export interface RecurrentOut {
  /** (T, D, B, H) */
  Y: string;
  /** (D, B, H) */
  Yh: string;
  Yc?: string;
}

/** One ONNX LSTM / GRU / RNN node over 1 or 2 directions (forward, then reverse). */
export function emitRecurrent(
  ctx: EmitContext,
  dirs: Direction[],
  x: Val,
  states: string[],
  key: string,
  seqLens?: string,
): RecurrentOut {
  const { g } = ctx;
  const cell = dirs[0]!.cell;
  const units = unitsOf(dirs[0]!.config);
  const timeMajor = dirs[0]!.config.get("time_major") === true;
  const inputDim = x.shape.at(-1)!;
  const packed = dirs.map((d) => pack(d, inputDim));
  const G = GATES[cell];
  const cat = (parts: Float32Array[]) => {
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const D = dirs.length;
  const W = ctx.param(`${key}W`, () => ({ dims: [D, G * units, inputDim], data: cat(packed.map((p) => p.W)) }));
  const R = ctx.param(`${key}R`, () => ({ dims: [D, G * units, units], data: cat(packed.map((p) => p.R)) }));
  const hasBias = packed.some((p) => p.B);
  const B = hasBias
    ? ctx.param(`${key}B`, () => ({
        dims: [D, 2 * G * units],
        data: cat(packed.map((p) => p.B ?? new Float32Array(2 * G * units))),
      }))
    : "";
  const acts = dirs.map((d) => activationsOf(ctx, d));
  const attrs: Attributes = {
    hidden_size: attr.i(units),
    direction: attr.s(D === 2 ? "bidirectional" : dirs[0]!.config.get("go_backwards") === true ? "reverse" : "forward"),
    activations: attr.strings(acts.flatMap((a) => a.names)),
  };
  const alphas = acts.flatMap((a) => a.alphas);
  const betas = acts.flatMap((a) => a.betas);
  if (alphas.length) attrs.activation_alpha = attr.floats(alphas);
  if (betas.length) attrs.activation_beta = attr.floats(betas);
  if (cell === "GRU") attrs.linear_before_reset = attr.i(dirs[0]!.config.get("reset_after") !== false);
  const seq = timeMajor ? x.name : g.transpose(x.name, [1, 0, 2]);
  const inputs = [seq, W, R, B, seqLens ?? "", ...states.map((s) => g.unsqueeze(s, [0]))];
  while (inputs.at(-1) === "") inputs.pop();
  const outs = g.ops(cell, inputs, attrs, cell === "LSTM" ? 3 : 2);
  return { Y: outs[0]!, Yh: outs[1]!, ...(cell === "LSTM" ? { Yc: outs[2]! } : {}) };
}

/** (T, D, B, H) → (B, T, D·H): the sequence output with the directions concatenated. */
export function sequencesOut(ctx: EmitContext, y: string, timeMajor: boolean): string {
  if (timeMajor) return ctx.g.reshape(y, [0, 0, -1]);
  return ctx.g.reshape(ctx.g.transpose(y, [2, 0, 1, 3]), [0, 0, -1]);
}

/** The states after the run, one per direction: (D, B, H) → [(B, H)]. */
export function statesOut(ctx: EmitContext, s: string, D: number): string[] {
  if (D === 1) return [ctx.g.squeeze(s, [0])];
  return ctx.g.split(s, 0, [1, 1]).map((p) => ctx.g.squeeze(p, [0]));
}

/** The initial states a call passes: Keras 2's extra inputs `[x, h, c]` or the `initial_state` kwarg. */
export function initialStates(ctx: EmitContext): string[] {
  return ctx.inputs.slice(1).map((v) => v.name);
}

export function direction(ctx: EmitContext, cell: Cell, config: LayerConfig, prefix: string | null): Direction {
  const where = ctx.where;
  const pick = (name: string): string | null => {
    if (prefix === null) return ctx.hasWeight(name) ? name : null;
    const hits = [...ctx.layer.values.keys()].filter(
      (k) => k.startsWith(prefix) && (k.endsWith(`/${name}`) || k === `${prefix}${name}`),
    );
    return hits.length === 1 ? hits[0]! : null;
  };
  return {
    cell,
    config,
    has: (name) => pick(name) !== null,
    weight: (name) => findWeight(ctx.layer, pick(name) ?? (prefix ? `${prefix}${name}` : name), where),
  };
}

/**
 * A Keras mask on a recurrent layer's input: masked steps leave the state unchanged, which is running
 * the cell over the unmasked steps only. The steps are compacted (unmasked first, in order: TopK on
 * t, or T + t when masked) and ONNX's `sequence_lens` stops each row at its count.
 */
export interface MaskPlan {
  /** Unmasked steps per row, int32 (batch,), at least 1 (onnxruntime needs it). */
  lens: string;
  /** Unmasked steps up to and including t, int64 (batch, time). */
  incl: string;
  /** 1 where step t is unmasked, int64 (batch, time). */
  kept: string;
  /** 1.0 for rows with any unmasked step, (batch, 1): an all-masked row keeps the zero initial state. */
  nonEmpty: string;
  steps: string;
}

export function compactMasked(ctx: EmitContext, x: Val): { x: Val; plan: MaskPlan } {
  const { g } = ctx;
  const kept = g.op("Cast", [x.mask!], { to: attr.i(7) });
  const shape = g.op("Shape", [x.name]);
  const steps = g.op("Gather", [shape, g.int64s([1])], { axis: attr.i(0) });
  const t = g.op("Range", [g.int64s([0], []), g.squeeze(steps, [0]), g.int64s([1], [])]);
  const key = g.op("Where", [x.mask!, t, g.op("Add", [t, steps])]);
  const [, order] = g.ops("TopK", [key, steps], { axis: attr.i(1), largest: attr.i(0), sorted: attr.i(1) }, 2);
  const compacted = g.op("GatherElements", [x.name, g.op("Expand", [g.unsqueeze(order!, [2]), shape])], {
    axis: attr.i(1),
  });
  const count = g.reduce("ReduceSum", kept, [1], false);
  const lens = g.op("Cast", [g.op("Max", [count, g.int64s([1], [])])], { to: attr.i(6) });
  const nonEmpty = g.op("Cast", [g.op("Greater", [g.unsqueeze(count, [1]), g.int64s([0], [])])], { to: attr.i(1) });
  const incl = g.op("CumSum", [kept, g.int64s([1], [])]);
  return { x: { ...x, name: compacted }, plan: { lens, incl, kept, nonEmpty, steps } };
}

/**
 * Compacted per-step outputs (batch, time, units) back at the original steps, as Keras returns them:
 * a masked step repeats the previous step's output (the forward run's last unmasked one before it, the
 * backward run's first one after it), zeros before any — or zeros with `zero_output_for_mask`.
 */
export function uncompact(ctx: EmitContext, y: string, plan: MaskPlan, backward: boolean, zeroMasked: boolean): string {
  const { g } = ctx;
  const idx = backward ? g.op("Sub", [plan.incl, plan.kept]) : g.op("Sub", [plan.incl, g.int64s([1], [])]);
  const count = g.unsqueeze(g.op("Cast", [plan.lens], { to: attr.i(7) }), [1]);
  const valid = g.op("And", [g.op("GreaterOrEqual", [idx, g.int64s([0], [])]), g.op("Less", [idx, count])]);
  const clamped = g.op("Max", [g.op("Min", [idx, g.op("Sub", [plan.steps, g.int64s([1])])]), g.int64s([0], [])]);
  const index = g.op("Expand", [g.unsqueeze(clamped, [2]), g.op("Shape", [y])]);
  const picked = g.op("GatherElements", [y, index], { axis: attr.i(1) });
  // zero_output_for_mask (Bidirectional forces it when returning sequences): masked steps give zeros.
  const keep = zeroMasked ? g.op("And", [valid, g.op("Cast", [plan.kept], { to: attr.i(9) })]) : valid;
  const weight = g.op("Mul", [
    g.unsqueeze(g.op("Cast", [keep], { to: attr.i(1) }), [2]),
    g.unsqueeze(plan.nonEmpty, [2]),
  ]);
  return g.op("Mul", [picked, weight]);
}

/** A final state, zero for rows that had no unmasked step. */
export function maskState(ctx: EmitContext, s: string, plan: MaskPlan | null): string {
  return plan ? ctx.g.op("Mul", [s, plan.nonEmpty]) : s;
}
