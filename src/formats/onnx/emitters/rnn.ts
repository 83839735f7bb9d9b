import type { LayerConfig } from "../../../ir/config.js";
import { LayerConfig as Config } from "../../../ir/config.js";
import type { WeightData } from "../../../ir/weights.js";
import { rnnActivation } from "../activation.js";
import { type Attributes, attr } from "../builder.js";
import type { EmitContext, Emitter, Val } from "../emitter.js";
import { findWeight } from "../emitter.js";
import { float32Values } from "../tensor-data.js";

type Cell = "LSTM" | "GRU" | "RNN";
const GATES: Record<Cell, number> = { LSTM: 4, GRU: 3, RNN: 1 };
/** ONNX's gate order as indices into Keras's: LSTM iofc ← Keras ifco; GRU zrh = Keras zrh. */
const ORDER: Record<Cell, number[]> = { LSTM: [0, 3, 1, 2], GRU: [0, 1, 2], RNN: [0] };
const CELLS: Record<string, Cell> = { LSTM: "LSTM", GRU: "GRU", SimpleRNN: "RNN", CuDNNLSTM: "LSTM", CuDNNGRU: "GRU" };
/** Which ONNX RNN activations take alpha / beta (onnxruntime consumes the lists only for these). */
const USES_ALPHA = new Set(["Affine", "LeakyRelu", "ThresholdedRelu", "ScaledTanh", "HardSigmoid", "Elu"]);
const USES_BETA = new Set(["Affine", "ScaledTanh", "HardSigmoid"]);

/** One direction of a recurrent layer: its config and its weights. */
interface Direction {
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

function unitsOf(config: LayerConfig): number {
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

interface RecurrentOut {
  /** (T, D, B, H) */
  Y: string;
  /** (D, B, H) */
  Yh: string;
  Yc?: string;
}

/** One ONNX LSTM / GRU / RNN node over 1 or 2 directions (forward, then reverse). */
function emitRecurrent(ctx: EmitContext, dirs: Direction[], x: Val, states: string[], key: string): RecurrentOut {
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
function sequencesOut(ctx: EmitContext, y: string, timeMajor: boolean): string {
  if (timeMajor) return ctx.g.reshape(y, [0, 0, -1]);
  return ctx.g.reshape(ctx.g.transpose(y, [2, 0, 1, 3]), [0, 0, -1]);
}

/** The states after the run, one per direction: (D, B, H) → [(B, H)]. */
function statesOut(ctx: EmitContext, s: string, D: number): string[] {
  if (D === 1) return [ctx.g.squeeze(s, [0])];
  return ctx.g.split(s, 0, [1, 1]).map((p) => ctx.g.squeeze(p, [0]));
}

/** The initial states a call passes: Keras 2's extra inputs `[x, h, c]` or the `initial_state` kwarg. */
function initialStates(ctx: EmitContext): string[] {
  return ctx.inputs.slice(1).map((v) => v.name);
}

function direction(ctx: EmitContext, cell: Cell, config: LayerConfig, prefix: string | null): Direction {
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

/** `LSTM` / `GRU` / `SimpleRNN`: one ONNX op, Keras's gate order and activations; no unrolled loop. */
const recurrent: Emitter = (ctx) => {
  const cell = CELLS[ctx.layer.className] ?? CELLS[String(ctx.config.raw.class_name)] ?? "RNN";
  const d = direction(ctx, cell, ctx.config, null);
  const x = ctx.inputs[0]!;
  const out = emitRecurrent(ctx, [d], x, initialStates(ctx), "");
  const c = ctx.config;
  const timeMajor = c.get("time_major") === true;
  let main: string;
  if (c.get("return_sequences") === true) {
    main = sequencesOut(ctx, out.Y, timeMajor);
    // Keras returns a backwards run's outputs in the order it made them (reversed time).
    if (c.get("go_backwards") === true) main = ctx.g.slice(main, [-1], [-(2 ** 62)], [timeMajor ? 0 : 1], [-1]);
  } else main = statesOut(ctx, out.Yh, 1)[0]!;
  if (c.get("return_state") !== true) return [main];
  return [main, ...statesOut(ctx, out.Yh, 1), ...(out.Yc ? statesOut(ctx, out.Yc, 1) : [])];
};

type Serialized = { class_name?: string; config?: Record<string, unknown> };

/**
 * `Bidirectional(layer, merge_mode="concat", backward_layer=None)`: one bidirectional ONNX op when both
 * directions are alike (ONNX keeps the reverse outputs in input order, as Keras's flip does), else two.
 */
const bidirectional: Emitter = (ctx) => {
  const { g } = ctx;
  const layer = ctx.config.get("layer") as Serialized;
  const backward = (ctx.config.get("backward_layer") as Serialized | null) ?? null;
  const cellOf = (s: Serialized) =>
    CELLS[String(s.class_name)] ?? ctx.unsupported(`Bidirectional over ${String(s.class_name)}`);
  const fwdConfig = new Config(layer.config ?? {}, {}, ctx.where);
  const bwdConfig = new Config(backward?.config ?? { ...(layer.config ?? {}), go_backwards: true }, {}, ctx.where);
  const fwd = direction(ctx, cellOf(layer), fwdConfig, "forward_");
  const bwd = direction(ctx, cellOf(backward ?? layer), bwdConfig, "backward_");
  const x = ctx.inputs[0]!;
  const states = initialStates(ctx);
  const perDir = states.length / 2;
  const same =
    fwd.cell === bwd.cell &&
    unitsOf(fwdConfig) === unitsOf(bwdConfig) &&
    ["activation", "recurrent_activation", "reset_after", "use_bias", "time_major"].every(
      (k) => JSON.stringify(fwdConfig.get(k)) === JSON.stringify(bwdConfig.get(k)),
    );
  const sequences = fwdConfig.get("return_sequences") === true;
  const timeMajor = fwdConfig.get("time_major") === true;
  let outF: string;
  let outB: string;
  let statesF: string[];
  let statesB: string[];
  if (same) {
    const pair = (i: number) =>
      states.length
        ? [g.op("Concat", [g.unsqueeze(states[i]!, [0]), g.unsqueeze(states[perDir + i]!, [0])], { axis: attr.i(0) })]
        : [];
    const init = Array.from({ length: perDir }, (_, i) => pair(i)).flat();
    const out = emitRecurrentStacked(ctx, [fwd, bwd], x, init);
    const mode = ctx.config.get("merge_mode");
    if (mode === "concat" && sequences) {
      const y = sequencesOut(ctx, out.Y, timeMajor);
      return withStates(ctx, y, statesOut(ctx, out.Yh, 2), out.Yc ? statesOut(ctx, out.Yc, 2) : []);
    }
    if (mode === "concat") {
      const y = g.reshape(g.transpose(out.Yh, [1, 0, 2]), [0, -1]);
      return withStates(ctx, y, statesOut(ctx, out.Yh, 2), out.Yc ? statesOut(ctx, out.Yc, 2) : []);
    }
    [outF, outB] = sequences
      ? g.split(out.Y, 1, [1, 1]).map((y) => sequencesOut(ctx, y, timeMajor))
      : statesOut(ctx, out.Yh, 2);
    const hs = statesOut(ctx, out.Yh, 2);
    const cs = out.Yc ? statesOut(ctx, out.Yc, 2) : [];
    statesF = [hs[0]!, ...(cs.length ? [cs[0]!] : [])];
    statesB = [hs[1]!, ...(cs.length ? [cs[1]!] : [])];
  } else {
    const one = (d: Direction, init: string[], key: string) => {
      const out = emitRecurrent(ctx, [d], x, init, key);
      const y = sequences ? sequencesOut(ctx, out.Y, timeMajor) : statesOut(ctx, out.Yh, 1)[0]!;
      return { y, states: [...statesOut(ctx, out.Yh, 1), ...(out.Yc ? statesOut(ctx, out.Yc, 1) : [])] };
    };
    const f = one(fwd, states.slice(0, perDir), "forward_");
    const b = one(bwd, states.slice(perDir), "backward_");
    [outF, outB, statesF, statesB] = [f.y, b.y, f.states, b.states];
  }
  const mode = ctx.config.get("merge_mode");
  const merged =
    mode === "concat"
      ? [g.op("Concat", [outF, outB], { axis: attr.i(-1) })]
      : mode === "sum"
        ? [g.op("Add", [outF, outB])]
        : mode === "mul"
          ? [g.op("Mul", [outF, outB])]
          : mode === "ave"
            ? [g.op("Mul", [g.op("Add", [outF, outB]), g.float32s([0.5])])]
            : [outF, outB];
  return fwdConfig.get("return_state") === true ? [...merged, ...statesF, ...statesB] : merged;
};

function emitRecurrentStacked(ctx: EmitContext, dirs: Direction[], x: Val, init: string[]): RecurrentOut {
  // Initial states arrive already stacked (2, B, H); emitRecurrent unsqueezes, so squeeze them back first.
  return emitRecurrent(
    ctx,
    dirs,
    x,
    init.map((s) => ctx.g.squeeze(s, [0])),
    "",
  );
}

function withStates(ctx: EmitContext, y: string, hs: string[], cs: string[]): string[] {
  const cfg = (ctx.config.get("layer") as Serialized).config ?? {};
  if (cfg.return_state !== true) return [y];
  return [y, hs[0]!, ...(cs.length ? [cs[0]!] : []), hs[1]!, ...(cs.length ? [cs[1]!] : [])];
}

/**
 * `TimeDistributed(layer)`: the wrapped layer on (batch·time, ...) and the result reshaped back to
 * (batch, time, ...).
 */
const timeDistributed: Emitter = (ctx) => {
  const { g } = ctx;
  const x = ctx.inputs[0]!;
  const inner = ctx.config.get("layer") as Serialized;
  const rest = x.shape.slice(2);
  const outRest = ctx.outputs[0]!.shape.slice(2);
  if (rest.some((d) => d === null) || outRest.some((d) => d === null)) {
    ctx.unsupported("TimeDistributed over inputs or outputs with unknown inner dimensions");
  }
  const flat = g.reshape(x.name, [-1, ...(rest as number[])]);
  const name = String(inner.config?.name ?? inner.class_name);
  const [y] = ctx.inner(inner, [{ name: flat, shape: [null, ...rest], dtype: x.dtype }], name);
  const batchTime = g.slice(g.op("Shape", [x.name]), [0], [2], [0]);
  const target = g.op("Concat", [batchTime, g.int64s(outRest as number[])], { axis: attr.i(0) });
  return [g.op("Reshape", [y!, target])];
};

export const rnnEmitters: Record<string, Emitter> = {
  LSTM: recurrent,
  GRU: recurrent,
  SimpleRNN: recurrent,
  CuDNNLSTM: recurrent,
  CuDNNGRU: recurrent,
  Bidirectional: bidirectional,
  TimeDistributed: timeDistributed,
};
