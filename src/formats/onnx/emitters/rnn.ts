import { LayerConfig as Config } from "../../../ir/config.js";
import { attr } from "../builder.js";
import type { EmitContext, Emitter, Val } from "../emitter.js";
import {
  CELLS,
  type Direction,
  type MaskPlan,
  type RecurrentOut,
  compactMasked,
  direction,
  emitRecurrent,
  maskState,
  uncompact,
  initialStates,
  sequencesOut,
  statesOut,
  unitsOf,
} from "./recurrent-op.js";

/** `LSTM` / `GRU` / `SimpleRNN`: one ONNX op, Keras's gate order and activations; no unrolled loop. */
const recurrent: Emitter = (ctx) => {
  const cell = CELLS[ctx.layer.className] ?? CELLS[String(ctx.config.raw.class_name)] ?? "RNN";
  const d = direction(ctx, cell, ctx.config, null);
  const c = ctx.config;
  const timeMajor = c.get("time_major") === true;
  const sequences = c.get("return_sequences") === true;
  const backwards = c.get("go_backwards") === true;
  const masked = maskedInput(ctx, timeMajor);
  if (masked && sequences && backwards) ctx.unsupported("a masked go_backwards run returning sequences");
  const plan = masked?.plan ?? null;
  const out = emitRecurrent(ctx, [d], masked?.x ?? ctx.inputs[0]!, initialStates(ctx), "", plan?.lens);
  let main: string;
  if (sequences) {
    main = sequencesOut(ctx, out.Y, timeMajor);
    if (plan) {
      main = uncompact(ctx, main, plan, false, c.get("zero_output_for_mask") === true);
      ctx.setOutputMask(0, ctx.inputs[0]!.mask ?? null);
    }
    // Keras returns a backwards run's outputs in the order it made them (reversed time).
    if (backwards) main = ctx.g.slice(main, [-1], [-(2 ** 62)], [timeMajor ? 0 : 1], [-1]);
  } else main = maskState(ctx, statesOut(ctx, out.Yh, 1)[0]!, plan);
  if (c.get("return_state") !== true) return [main];
  const states = [...statesOut(ctx, out.Yh, 1), ...(out.Yc ? statesOut(ctx, out.Yc, 1) : [])];
  return [main, ...states.map((st) => maskState(ctx, st, plan))];
};

/** The compacted sequences and plan when the input carries a Keras mask. */
function maskedInput(ctx: EmitContext, timeMajor: boolean): { x: Val; plan: MaskPlan } | null {
  const x = ctx.inputs[0]!;
  if (!x.mask) return null;
  if (timeMajor) return ctx.unsupported("a Keras mask on a time-major recurrent layer");
  return compactMasked(ctx, x);
}

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
  const masked = maskedInput(ctx, timeMajor);
  const plan = masked?.plan ?? null;
  const xin = masked?.x ?? x;
  if (plan && sequences) {
    ctx.setOutputMask(0, x.mask ?? null);
    if (ctx.config.get("merge_mode") === null) ctx.setOutputMask(1, x.mask ?? null);
  }
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
    const out = emitRecurrentStacked(ctx, [fwd, bwd], xin, init, plan?.lens);
    const mode = ctx.config.get("merge_mode");
    if (mode === "concat" && sequences && !plan) {
      const y = sequencesOut(ctx, out.Y, timeMajor);
      return withStates(ctx, y, statesOut(ctx, out.Yh, 2), out.Yc ? statesOut(ctx, out.Yc, 2) : []);
    }
    if (mode === "concat" && !plan) {
      const y = g.reshape(g.transpose(out.Yh, [1, 0, 2]), [0, -1]);
      return withStates(ctx, y, statesOut(ctx, out.Yh, 2), out.Yc ? statesOut(ctx, out.Yc, 2) : []);
    }
    [outF, outB] = sequences
      ? g.split(out.Y, 1, [1, 1]).map((y, i) => {
          const seq = sequencesOut(ctx, y, timeMajor);
          return plan ? uncompact(ctx, seq, plan, i === 1, true) : seq;
        })
      : statesOut(ctx, out.Yh, 2).map((st) => maskState(ctx, st, plan));
    const hs = statesOut(ctx, out.Yh, 2).map((st) => maskState(ctx, st, plan));
    const cs = out.Yc ? statesOut(ctx, out.Yc, 2).map((st) => maskState(ctx, st, plan)) : [];
    statesF = [hs[0]!, ...(cs.length ? [cs[0]!] : [])];
    statesB = [hs[1]!, ...(cs.length ? [cs[1]!] : [])];
  } else {
    const one = (d: Direction, init: string[], key: string, backward: boolean) => {
      const out = emitRecurrent(ctx, [d], xin, init, key, plan?.lens);
      const seq = sequences ? sequencesOut(ctx, out.Y, timeMajor) : null;
      const y = seq
        ? plan
          ? uncompact(ctx, seq, plan, backward, true)
          : seq
        : maskState(ctx, statesOut(ctx, out.Yh, 1)[0]!, plan);
      const st = [...statesOut(ctx, out.Yh, 1), ...(out.Yc ? statesOut(ctx, out.Yc, 1) : [])];
      return { y, states: st.map((v) => maskState(ctx, v, plan)) };
    };
    const f = one(fwd, states.slice(0, perDir), "forward_", false);
    const b = one(bwd, states.slice(perDir), "backward_", true);
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

function emitRecurrentStacked(
  ctx: EmitContext,
  dirs: Direction[],
  x: Val,
  init: string[],
  seqLens?: string,
): RecurrentOut {
  // Initial states arrive already stacked (2, B, H); emitRecurrent unsqueezes, so squeeze them back first.
  return emitRecurrent(
    ctx,
    dirs,
    x,
    init.map((s) => ctx.g.squeeze(s, [0])),
    "",
    seqLens,
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
