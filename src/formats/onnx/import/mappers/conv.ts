import { type Const, float32Of } from "../const.js";
import { reshapeConst, transposeConst } from "../fold/layout.js";
import { type Window, readWindow, resolvedPads } from "../infer/spatial.js";
import { type LayerSpec, type MapContext, type Mapper, type WeightValues } from "./context.js";
import { fusedActivation } from "./dense.js";

const tuple = (v: number[]) => (v.length === 1 ? v[0]! : v);

/** ONNX weight [O, I, k...] → Keras [k..., I, O] (Conv and ConvTranspose alike). */
function kerasKernel(w: Const): WeightValues {
  const n = w.dims.length - 2;
  const t = transposeConst(w, [...Array.from({ length: n }, (_, i) => i + 2), 1, 0]);
  return { shape: t.dims, data: float32Of(t) };
}

/** The explicit begin/end pads of the node on its input, resolving auto_pad. */
function padsOf(ctx: MapContext, w: Window): number[] {
  const pads = resolvedPads(w, ctx.spatialShape());
  if (!pads) return ctx.unsupported("pads 'SAME' on an input whose spatial size is unknown");
  if (pads.some((p) => p < 0)) ctx.unsupported(`has negative pads (${pads.join(", ")})`);
  return pads;
}

/** Keras's padding="same" pads (TensorFlow's: odd padding at the end) for these input sizes. */
export function kerasSamePads(w: Window, input: (number | string)[]): number[] | null {
  const same = resolvedPads({ ...w, autoPad: "SAME_UPPER" }, input);
  return same;
}

/**
 * Keras's `padding` for the node's pads: "valid", "same" where the pads are the ones Keras would
 * take, else "valid" after a ZeroPadding layer (returned as the extra spec). `zeroPad` says whether
 * zeros may stand for ONNX's padding ("never" for a max over possibly negative values; "always" for an
 * average that counts the padding, which Keras's "same" does not).
 */
export function kerasPadding(
  ctx: MapContext,
  w: Window,
  x: string,
  zeroPad: "never" | "allowed" | "always" = "allowed",
): { padding: "valid" | "same"; input: string; before: LayerSpec[] } {
  const pads = padsOf(ctx, w);
  const n = w.kernel.length;
  if (pads.every((p) => p === 0)) return { padding: "valid", input: x, before: [] };
  const same = kerasSamePads(w, ctx.spatialShape());
  if (zeroPad !== "always" && same && same.every((p, i) => p === pads[i]))
    return { padding: "same", input: x, before: [] };
  if (zeroPad === "never") ctx.unsupported(`pads (${pads.join(", ")}) that are neither none nor Keras's "same"`);
  const mid = ctx.temp();
  const pairs = Array.from({ length: n }, (_, i) => [pads[i]!, pads[i + n]!]);
  const zp: LayerSpec = {
    className: `ZeroPadding${n}D`,
    config: { padding: n === 1 ? pairs[0]! : pairs, data_format: ctx.dataFormat },
    inputs: [x],
    outputs: [mid],
  };
  return { padding: "valid", input: mid, before: [zp] };
}

/** `Conv`: ConvND, DepthwiseConvND (group = input channels) or ConvND(groups=g); pads as above. */
const conv: Mapper = (ctx) => {
  const w = ctx.weight(1, "kernel");
  const n = w.dims.length - 2;
  if (n < 1 || n > 3) ctx.unsupported(`is a ${n}-D convolution (Keras has 1-D to 3-D)`);
  const window = readWindow(ctx, n, w.dims);
  const group = ctx.int("group", 1);
  const channels = ctx.shape(0)[ctx.channelsLast ? ctx.shape(0).length - 1 : 1];
  const { padding, input, before } = kerasPadding(ctx, window, ctx.input(0));
  const b = ctx.input(2) ? ctx.weight(2, "bias") : undefined;
  const bias: Record<string, WeightValues> = b
    ? { bias: { shape: [b.dims.reduce((p, q) => p * q, 1)], data: float32Of(b) } }
    : {};
  const common = {
    kernel_size: tuple(window.kernel),
    strides: tuple(window.strides),
    padding,
    data_format: ctx.dataFormat,
    dilation_rate: tuple(window.dilations),
    activation: fusedActivation(ctx),
    use_bias: !!b,
  };
  const out = w.dims[0]!;
  const depthwise = group > 1 && group === channels && out % group === 0 && n <= 2;
  let spec: LayerSpec;
  if (depthwise) {
    const m = out / group;
    const dw = transposeConst(reshapeConst(w, [group, m, ...w.dims.slice(2)]), [
      ...Array.from({ length: n }, (_, i) => i + 2),
      0,
      1,
    ]);
    spec = {
      className: `DepthwiseConv${n}D`,
      config: { ...common, depth_multiplier: m },
      inputs: [input],
      outputs: [ctx.node.outputs[0]!],
      weights: { kernel: { shape: dw.dims, data: float32Of(dw) }, ...bias },
    };
  } else {
    spec = {
      className: `Conv${n}D`,
      config: { filters: out, ...common, groups: group },
      inputs: [input],
      outputs: [ctx.node.outputs[0]!],
      weights: { kernel: kerasKernel(w), ...bias },
    };
  }
  return [...before, spec];
};

/**
 * `ConvTranspose` → ConvNDTranspose(padding="valid", output_padding) and, for pads, a Cropping
 * layer: ONNX's output is the full transposed convolution with the pads cut off each end.
 */
const convTranspose: Mapper = (ctx) => {
  const w = ctx.weight(1, "kernel");
  const n = w.dims.length - 2;
  if (n < 1 || n > 3) ctx.unsupported(`is a ${n}-D transposed convolution (Keras has 1-D to 3-D)`);
  if (ctx.int("group", 1) !== 1) ctx.unsupported("is grouped; Keras's transposed convolutions have no groups");
  const window = readWindow(ctx, n, w.dims);
  const spatial = ctx.spatialShape();
  if (spatial.some((d) => typeof d !== "number")) ctx.unsupported("runs on an input whose spatial size is unknown");
  const sizes = spatial as number[];
  const eff = window.kernel.map((k, i) => (k - 1) * window.dilations[i]! + 1);
  const outPad = ctx.ints("output_padding", new Array<number>(n).fill(0));
  const full = sizes.map((s, i) => window.strides[i]! * (s - 1) + outPad[i]! + eff[i]!);
  let pads: number[];
  if (ctx.has("output_shape")) {
    const want = ctx.ints("output_shape").slice(-n);
    pads = splitTotals(
      full.map((f, i) => f - want[i]!),
      window.autoPad !== "SAME_LOWER",
    );
  } else if (window.autoPad === "SAME_UPPER" || window.autoPad === "SAME_LOWER") {
    pads = splitTotals(
      full.map((f, i) => f - sizes[i]! * window.strides[i]!),
      window.autoPad === "SAME_UPPER",
    );
  } else pads = window.autoPad === "VALID" ? new Array<number>(2 * n).fill(0) : window.pads;
  if (pads.some((p) => p < 0)) ctx.unsupported(`needs negative pads (${pads.join(", ")})`);
  const b = ctx.input(2) ? ctx.weight(2, "bias") : undefined;
  const needsOutPad = outPad.some((p) => p > 0) || eff.some((k, i) => k < window.strides[i]!);
  const cropped = pads.some((p) => p > 0);
  const y = ctx.node.outputs[0]!;
  const mid = cropped ? ctx.temp() : y;
  const spec: LayerSpec = {
    className: `Conv${n}DTranspose`,
    config: {
      filters: w.dims[1]!,
      kernel_size: tuple(window.kernel),
      strides: tuple(window.strides),
      padding: "valid",
      output_padding: needsOutPad ? tuple(outPad) : null,
      data_format: ctx.dataFormat,
      dilation_rate: tuple(window.dilations),
      activation: cropped ? "linear" : fusedActivation(ctx),
      use_bias: !!b,
    },
    inputs: [ctx.input(0)],
    outputs: [mid],
    weights: {
      kernel: kerasKernel(w),
      ...(b ? { bias: { shape: [b.dims.reduce((p, q) => p * q, 1)], data: float32Of(b) } } : {}),
    },
  };
  if (!cropped) return [spec];
  if (n === 1 && !ctx.channelsLast)
    ctx.unsupported("crops a channels-first 1-D output (Keras's Cropping1D is channels-last only)");
  const activation = fusedActivation(ctx);
  const croppedOut = activation === "linear" ? y : ctx.temp();
  const pairs = Array.from({ length: n }, (_, i) => [pads[i]!, pads[i + n]!]);
  const crop: LayerSpec = {
    className: `Cropping${n}D`,
    config: n === 1 ? { cropping: pairs[0]! } : { cropping: pairs, data_format: ctx.dataFormat },
    inputs: [mid],
    outputs: [croppedOut],
  };
  if (activation === "linear") return [spec, crop];
  return [spec, crop, { className: "Activation", config: { activation }, inputs: [croppedOut], outputs: [y] }];
};

/** Begin/end pads from totals: the odd one at the end (upper) or at the beginning. */
function splitTotals(totals: number[], upper: boolean): number[] {
  const begin = totals.map((t) => (upper ? Math.floor(t / 2) : t - Math.floor(t / 2)));
  return [...begin, ...totals.map((t, i) => t - begin[i]!)];
}

export const convMappers: Record<string, Mapper> = {
  Conv: conv,
  ConvTranspose: convTranspose,
};
