import { readWindow, windowOutput } from "../infer/spatial.js";
import { isNonNegative } from "../nonnegative.js";
import { type LayerSpec, type MapContext, type Mapper, single } from "./context.js";
import { kerasPadding, kerasSamePads } from "./conv.js";

const tuple = (v: number[]) => (v.length === 1 ? v[0]! : v);

/**
 * `MaxPool` / `AveragePool` → MaxPoolingND / AveragePoolingND. Pads must be none or Keras's "same"
 * (whose windows skip the padding, as ONNX's max and count_include_pad=0 average do); an average that
 * counts the padding gets a ZeroPadding layer first. ceil_mode is kept when it adds no window, or
 * when the extra window is exactly one of Keras's "same" padding.
 */
function pool(kind: "Max" | "Average"): Mapper {
  return (ctx) => {
    const spatial = ctx.spatialShape();
    const n = spatial.length;
    if (n < 1 || n > 3) ctx.unsupported(`pools over ${n} spatial axes (Keras pools over 1 to 3)`);
    const w = readWindow(ctx, n);
    if (w.dilations.some((d) => d !== 1))
      ctx.unsupported(`has dilations (${w.dilations.join(", ")}); Keras's pooling has none`);
    if (ctx.node.outputs.length > 1 && ctx.node.outputs[1] && ctx.graph.useCount(ctx.node.outputs[1]) > 0) {
      ctx.unsupported("returns argmax indices, which Keras's pooling does not");
    }
    let window = w;
    if (w.ceilMode) {
      const floor = windowOutput({ ...w, ceilMode: false }, spatial, () => "?");
      const ceil = windowOutput(w, spatial, () => "?");
      if (floor.some((d, i) => d !== ceil[i])) {
        const same = kerasSamePads(w, spatial);
        const sameOut = windowOutput({ ...w, autoPad: "SAME_UPPER", ceilMode: false }, spatial, () => "?");
        if (!same || same.slice(0, n).some((p, i) => p !== w.pads[i]) || sameOut.some((d, i) => d !== ceil[i])) {
          ctx.unsupported("uses ceil_mode with a partial last window that Keras's padding cannot reproduce");
        }
        return [spec(ctx, kind, w, "same", ctx.input(0))];
      }
      window = { ...w, ceilMode: false };
    }
    const countPads = kind === "Average" && ctx.int("count_include_pad", 0) === 1;
    // Zeros pad a max exactly when no element is negative (a ReLU's output, say).
    const zeroPad = countPads
      ? "always"
      : kind === "Max" && !isNonNegative(ctx.graph, ctx.input(0))
        ? "never"
        : "allowed";
    const { padding, input, before } = kerasPadding(
      ctx,
      window,
      ctx.input(0),
      kind === "Average" && !countPads ? "never" : zeroPad,
    );
    return [...before, spec(ctx, kind, window, padding, input)];
  };
}

function spec(
  ctx: MapContext,
  kind: string,
  w: ReturnType<typeof readWindow>,
  padding: string,
  input: string,
): LayerSpec {
  return single(
    `${kind}Pooling${w.kernel.length}D`,
    { pool_size: tuple(w.kernel), strides: tuple(w.strides), padding, data_format: ctx.dataFormat },
    input,
    ctx.node.outputs[0]!,
  );
}

/** The importer's global pooling (kg.GlobalPool, keepdims=0): GlobalAverage/MaxPoolingND. */
const globalPool: Mapper = (ctx) => {
  const n = ctx.shape(0).length - 2;
  const mode = ctx.string("mode") === "max" ? "Max" : "Average";
  if (n < 1 || n > 3) ctx.unsupported(`pools over ${n} spatial axes`);
  return [
    single(
      `Global${mode}Pooling${n}D`,
      { data_format: ctx.dataFormat, keepdims: false },
      ctx.input(0),
      ctx.node.outputs[0]!,
    ),
  ];
};

/** An ONNX GlobalAveragePool left as it is (keeps [N, C, 1, 1]): keepdims=True. */
function globalKeepDims(mode: "Max" | "Average"): Mapper {
  return (ctx) => {
    const n = ctx.shape(0).length - 2;
    return [
      single(
        `Global${mode}Pooling${n}D`,
        { data_format: ctx.dataFormat, keepdims: true },
        ctx.input(0),
        ctx.node.outputs[0]!,
      ),
    ];
  };
}

export const poolingMappers: Record<string, Mapper> = {
  MaxPool: pool("Max"),
  AveragePool: pool("Average"),
  GlobalAveragePool: globalKeepDims("Average"),
  GlobalMaxPool: globalKeepDims("Max"),
  "kg.GlobalPool": globalPool,
};
