import { emitActivation } from "../activation.js";
import { attr } from "../builder.js";
import type { Emitter } from "../emitter.js";
import { convConfig, convWeight, padAttributes, samePads, tupleOf } from "./conv.js";
import { isChannelsFirst } from "./layout.js";

/**
 * `ConvLSTM1D/2D/3D(filters, kernel_size, ...)`: ONNX has no convolutional LSTM op, so the input
 * convolution runs once over all (batch·time) frames and the recurrence is laid out step by step over
 * the known number of timesteps (a recurrent Conv "same" with stride 1, then Keras's LSTM gates i, f, c, o).
 */
const convLstm =
  (r: number): Emitter =>
  (ctx) => {
    const { g } = ctx;
    const c = convConfig(ctx);
    const cf = isChannelsFirst(c);
    const x = ctx.inputs[0]!;
    const steps = x.shape[1];
    const frame = x.shape.slice(2);
    if (typeof steps !== "number" || frame.some((d) => d === null)) {
      return ctx.unsupported("ConvLSTM needs a known number of timesteps and frame size");
    }
    const filters = c.int("filters");
    const kernel = c.tuple("kernel_size", r);
    const strides = tupleOf(c, "strides", r, 1);
    const dilation = tupleOf(c, "dilation_rate", r, 1);
    const padding = String(c.get("padding") ?? "valid").toLowerCase();
    const channels = (cf ? frame[0] : frame[r]) as number;
    const sizes = (cf ? frame.slice(1) : frame.slice(0, r)) as number[];
    const out = ctx.outputs[0]!.shape;
    const outSizes = (c.get("return_sequences") === true ? out.slice(2) : out.slice(1)).filter((_, i) =>
      cf ? i > 0 : i < r,
    ) as number[];
    const ones = Array<number>(r).fill(1);
    const toFirst = [0, 1, r + 2, ...Array.from({ length: r }, (_, i) => i + 2)];
    const frames = g.reshape(cf ? x.name : g.transpose(x.name, toFirst), [-1, channels, ...sizes]);
    const wx = convWeight(ctx, "kernel", r);
    const wh = convWeight(ctx, "recurrent_kernel", r);
    const bias = c.get("use_bias") !== false && ctx.hasWeight("bias") ? [ctx.weightParam("bias", "bias")] : [];
    const xConv = g.op("Conv", [frames, wx, ...bias], {
      kernel_shape: attr.ints(kernel),
      strides: attr.ints(strides),
      dilations: attr.ints(dilation),
      ...padAttributes(padding, sizes, kernel, strides, dilation),
    });
    const xs = g.reshape(xConv, [-1, steps, 4 * filters, ...outSizes]);
    const rec = (v: string) => emitActivation(g, c.get("recurrent_activation") ?? "sigmoid", v, ctx.where);
    const act = (v: string) => emitActivation(g, c.get("activation") ?? "tanh", v, ctx.where);
    const order = Array.from({ length: steps }, (_, t) => (c.get("go_backwards") === true ? steps - 1 - t : t));
    let h: string | null = null;
    let cell: string | null = null;
    const hs: string[] = [];
    for (const t of order) {
      let z = g.op("Gather", [xs, g.int64s([t], [])], { axis: attr.i(1) });
      if (h) {
        const hConv = g.op("Conv", [h, wh], {
          kernel_shape: attr.ints(kernel),
          strides: attr.ints(ones),
          pads: attr.ints(samePads(outSizes, kernel, ones, ones)!),
        });
        z = g.op("Add", [z, hConv]);
      }
      const [zi, zf, zc, zo] = g.split(z, 1, [filters, filters, filters, filters]);
      const ig = g.op("Mul", [rec(zi!), act(zc!)]);
      cell = cell ? g.op("Add", [g.op("Mul", [rec(zf!), cell]), ig]) : ig;
      h = g.op("Mul", [rec(zo!), act(cell)]);
      hs.push(h);
    }
    const toLast = (v: string, rank: number) =>
      cf ? v : g.transpose(v, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1]);
    const toLastSeq = (v: string) =>
      cf ? v : g.transpose(v, [0, 1, ...Array.from({ length: r }, (_, i) => i + 3), 2]);
    const main =
      c.get("return_sequences") === true
        ? toLastSeq(
            g.op(
              "Concat",
              hs.map((v) => g.unsqueeze(v, [1])),
              { axis: attr.i(1) },
            ),
          )
        : toLast(h!, r + 2);
    if (c.get("return_state") !== true) return [main];
    return [main, toLast(h!, r + 2), toLast(cell!, r + 2)];
  };

export const convLstmEmitters: Record<string, Emitter> = {
  ConvLSTM1D: convLstm(1),
  ConvLSTM2D: convLstm(2),
  ConvLSTM3D: convLstm(3),
};
