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
  const inputs = [seq, W, R, B, "", ...states.map((s) => g.unsqueeze(s, [0]))];
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
