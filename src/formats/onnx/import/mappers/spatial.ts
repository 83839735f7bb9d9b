import { numbers } from "../const.js";
import { sliceRange } from "../fold/layout.js";
import { padParams, sliceParams } from "../params.js";
import { type LayerSpec, type MapContext, type Mapper, single } from "./context.js";

/**
 * The Keras data_format whose spatial axes hold every axis in `touched` (axes 1..r-2 for
 * channels_last, 2..r-1 for channels_first; channels_last when both fit), with those spatial axes.
 */
function spatialLayout(
  ctx: MapContext,
  touched: number[],
  what: string,
): { format: "channels_last" | "channels_first"; axes: number[] } {
  const rank = ctx.shape(0).length;
  const n = rank - 2;
  if (n < 1 || n > 3) ctx.unsupported(`${what} a rank-${rank} tensor (Keras's layers take 1 to 3 spatial axes)`);
  const last = Array.from({ length: n }, (_, i) => i + 1);
  const first = Array.from({ length: n }, (_, i) => i + 2);
  if (touched.every((a) => last.includes(a))) return { format: "channels_last", axes: last };
  if (touched.every((a) => first.includes(a))) return { format: "channels_first", axes: first };
  return ctx.unsupported(`${what} axes ${touched.join(", ")}, which are not the spatial axes of one data format`);
}

/** `Pad` with zeros on spatial axes → ZeroPaddingND; negative pads crop (CroppingND). */
const pad: Mapper = (ctx) => {
  const rank = ctx.shape(0).length;
  const { pads, mode, value } = padParams(ctx, rank);
  if (mode !== "constant") ctx.unsupported(`pads in mode '${mode}'; Keras's ZeroPadding pads with zeros`);
  if (value !== 0) ctx.unsupported(`pads with ${value}; Keras's ZeroPadding pads with zeros`);
  const touched = Array.from({ length: rank }, (_, a) => a).filter((a) => pads[a] !== 0 || pads[a + rank] !== 0);
  if (touched.length === 0) return [single("Identity", {}, ctx.input(0), ctx.node.outputs[0]!)];
  const { format, axes } = spatialLayout(ctx, touched, "pads");
  if (axes.some((a) => pads[a]! < 0 || pads[a + rank]! < 0)) {
    if (axes.some((a) => pads[a]! > 0 || pads[a + rank]! > 0)) ctx.unsupported("both pads and crops");
    return [
      cropping(
        ctx,
        format,
        axes.map((a) => [-pads[a]!, -pads[a + rank]!]),
      ),
    ];
  }
  const pairs = axes.map((a) => [pads[a]!, pads[a + rank]!]);
  const n = axes.length;
  return [
    single(
      `ZeroPadding${n}D`,
      { padding: n === 1 ? pairs[0]! : pairs, data_format: format },
      ctx.input(0),
      ctx.node.outputs[0]!,
    ),
  ];
};

function cropping(
  ctx: MapContext,
  format: string,
  pairs: number[][],
  input = ctx.input(0),
  output = ctx.node.outputs[0]!,
): LayerSpec {
  const n = pairs.length;
  if (n === 1 && format !== "channels_last")
    ctx.unsupported("crops a channels-first 1-D tensor (Keras's Cropping1D is channels-last)");
  return single(
    `Cropping${n}D`,
    n === 1 ? { cropping: pairs[0]! } : { cropping: pairs, data_format: format },
    input,
    output,
  );
}

/** A contiguous `Slice` (step 1) of spatial axes → CroppingND. */
const slice: Mapper = (ctx) => {
  const shape = ctx.shape(0);
  const p = sliceParams(ctx, shape.length);
  const crops = new Map<number, number[]>();
  p.axes.forEach((a, k) => {
    const n = shape[a];
    if (typeof n !== "number") return ctx.unsupported(`slices axis ${a}, whose size is unknown`);
    if (p.steps[k] !== 1) ctx.unsupported(`slices with step ${p.steps[k]}; Keras's Cropping takes contiguous ranges`);
    const picks = sliceRange(n, p.starts[k]!, p.ends[k]!, 1);
    if (picks.length === n) return;
    if (picks.length === 0) ctx.unsupported("slices an empty range");
    crops.set(a, [picks[0]!, n - 1 - picks.at(-1)!]);
  });
  if (crops.size === 0) return [single("Identity", {}, ctx.input(0), ctx.node.outputs[0]!)];
  const { format, axes } = spatialLayout(ctx, [...crops.keys()], "slices");
  return [
    cropping(
      ctx,
      format,
      axes.map((a) => crops.get(a) ?? [0, 0]),
    ),
  ];
};

/** Index mapping of ONNX Resize's nearest mode for one integer scale: output index → input index. */
function nearestIndex(ctx: MapContext, out: number, scale: number): number {
  const coord =
    ctx.node.op === "Upsample" || ctx.graph.opset < 11
      ? "asymmetric"
      : ctx.string("coordinate_transformation_mode", "half_pixel");
  const rounding =
    ctx.node.op === "Upsample" || ctx.graph.opset < 11 ? "floor" : ctx.string("nearest_mode", "round_prefer_floor");
  let x: number;
  if (coord === "asymmetric") x = out / scale;
  else if (coord === "half_pixel" || coord === "pytorch_half_pixel") x = (out + 0.5) / scale - 0.5;
  else if (coord === "tf_half_pixel_for_nn") x = (out + 0.5) / scale;
  else return ctx.unsupported(`resizes with coordinate_transformation_mode '${coord}'`);
  switch (rounding) {
    case "floor":
      return Math.floor(x);
    case "ceil":
      return Math.ceil(x);
    case "round_prefer_ceil":
      return Math.floor(x + 0.5);
    default:
      return Math.ceil(x - 0.5);
  }
}

/** `Resize` / `Upsample` by integer factors on spatial axes → UpSamplingND (nearest, or bilinear 2-D). */
const resize: Mapper = (ctx) => {
  const shape = ctx.shape(0);
  const out = ctx.out().shape ?? ctx.unsupported("has an output of unknown shape");
  const scales = shape.map((d, i) =>
    typeof d === "number" && typeof out[i] === "number" ? (out[i] as number) / d : 1,
  );
  if (scales.some((s) => !Number.isInteger(s) || s < 1))
    ctx.unsupported(`scales by [${scales.join(", ")}]; Keras's UpSampling repeats by whole factors`);
  const touched = scales.map((s, i) => (s !== 1 ? i : -1)).filter((i) => i >= 0);
  if (touched.length === 0) return [single("Identity", {}, ctx.input(0), ctx.node.outputs[0]!)];
  const { format, axes } = spatialLayout(ctx, touched, "resizes");
  const size = axes.map((a) => scales[a]!);
  const mode = ctx.string("mode", "nearest");
  const n = axes.length;
  if (mode === "nearest") {
    for (const s of size) {
      for (let o = 0; o < 2 * s; o++) {
        if (nearestIndex(ctx, o, s) !== Math.floor(o / s))
          ctx.unsupported(`picks nearest pixels other than Keras's UpSampling (scale ${s})`);
      }
    }
  } else if (mode === "linear" && n === 2) {
    const coord =
      ctx.node.op === "Upsample" || ctx.graph.opset < 11
        ? "asymmetric"
        : ctx.string("coordinate_transformation_mode", "half_pixel");
    if (coord !== "half_pixel" && coord !== "pytorch_half_pixel")
      ctx.unsupported(
        `interpolates linearly with coordinate_transformation_mode '${coord}' (Keras's bilinear is half_pixel)`,
      );
    if (ctx.int("antialias", 0) === 1) ctx.unsupported("antialiases");
  } else ctx.unsupported(`interpolates in mode '${mode}' over ${n} axes`);
  if (n === 1) {
    if (format !== "channels_last")
      ctx.unsupported("upsamples a channels-first 1-D tensor (Keras's UpSampling1D is channels-last)");
    return [single("UpSampling1D", { size: size[0]! }, ctx.input(0), ctx.node.outputs[0]!)];
  }
  const interpolation = mode === "nearest" ? "nearest" : "bilinear";
  const config = n === 2 ? { size, data_format: format, interpolation } : { size, data_format: format };
  return [single(`UpSampling${n}D`, config, ctx.input(0), ctx.node.outputs[0]!)];
};

/** The importer's repeat pattern (kg.Repeat: repeats along axes by factors) → UpSamplingND nearest. */
const repeat: Mapper = (ctx) => {
  const factors = ctx.ints("repeats");
  const touched = factors.map((s, i) => (s !== 1 ? i : -1)).filter((i) => i >= 0);
  const { format, axes } = spatialLayout(ctx, touched, "repeats");
  const size = axes.map((a) => factors[a]!);
  if (axes.length === 1) {
    if (format !== "channels_last") ctx.unsupported("repeats along a channels-first 1-D axis");
    return [single("UpSampling1D", { size: size[0]! }, ctx.input(0), ctx.node.outputs[0]!)];
  }
  const config =
    axes.length === 2 ? { size, data_format: format, interpolation: "nearest" } : { size, data_format: format };
  return [single(`UpSampling${axes.length}D`, config, ctx.input(0), ctx.node.outputs[0]!)];
};

/**
 * `Gather`: rows of a constant table by run-time indices → Embedding; one constant index along the
 * time axis of a 3-D tensor → Cropping1D then Flatten (x[:, i]).
 */
const gather: Mapper = (ctx) => {
  const table = ctx.graph.constant(ctx.input(0));
  const axis = ctx.int("axis", 0);
  if (table) {
    if (axis !== 0 || table.dims.length !== 2)
      ctx.unsupported("gathers from a constant that is not a 2-D table along its rows");
    const [rows, width] = table.dims as [number, number];
    return [
      single("Embedding", { input_dim: rows, output_dim: width }, ctx.input(1), ctx.node.outputs[0]!, {
        embeddings: { shape: [rows, width], data: Float32Array.from(numbers(table)) },
      }),
    ];
  }
  const idx = ctx.graph.constant(ctx.input(1));
  const shape = ctx.shape(0);
  const a = axis < 0 ? axis + shape.length : axis;
  if (!idx || idx.dims.length !== 0 || a !== 1 || shape.length !== 3 || typeof shape[1] !== "number") {
    return ctx.unsupported(
      "gathers from a run-time tensor; only rows of a constant table (Embedding) or one time step of a 3-D tensor map to Keras layers",
    );
  }
  const n = shape[1];
  let i = numbers(idx)[0]!;
  if (i < 0) i += n;
  const mid = ctx.temp();
  return [
    cropping(ctx, "channels_last", [[i, n - 1 - i]], ctx.input(0), mid),
    single("Flatten", {}, mid, ctx.node.outputs[0]!),
  ];
};

export const spatialMappers: Record<string, Mapper> = {
  Pad: pad,
  Slice: slice,
  Resize: resize,
  Upsample: resize,
  Gather: gather,
  "kg.Repeat": repeat,
};
