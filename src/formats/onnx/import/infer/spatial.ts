import type { NodeReader } from "../attrs.js";
import type { Dim } from "../graph.js";

/** The window geometry of Conv / ConvTranspose / pooling nodes, with ONNX's defaults filled in. */
export interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** Explicit pads as [begin..., end...]; with auto_pad SAME_* they are computed from the input sizes. */
  pads: number[];
  autoPad: string;
  ceilMode: boolean;
}

/** Reads a node's window; `kernel` comes from kernel_shape or the weight's spatial dims. */
export function readWindow(r: NodeReader, spatial: number, weightDims?: number[]): Window {
  if (!(spatial >= 0))
    r.unsupported(`needs an input with batch, channel and spatial axes. Received: an input of rank ${spatial + 2}`);
  const kernel = r.has("kernel_shape") ? r.ints("kernel_shape") : (weightDims?.slice(2) ?? r.ints("kernel_shape"));
  const ones = new Array<number>(spatial).fill(1);
  return {
    kernel,
    strides: r.ints("strides", ones),
    dilations: r.ints("dilations", ones),
    pads: r.ints("pads", new Array<number>(2 * spatial).fill(0)),
    autoPad: r.string("auto_pad", "NOTSET"),
    ceilMode: r.int("ceil_mode", 0) === 1,
  };
}

const effective = (w: Window, i: number) => (w.kernel[i]! - 1) * w.dilations[i]! + 1;

/**
 * The begin/end pads ONNX uses on an input of these spatial sizes: the explicit ones, or SAME_UPPER /
 * SAME_LOWER's (odd padding at the end / at the begin). null when a size is unknown.
 */
export function resolvedPads(w: Window, input: Dim[]): number[] | null {
  const n = w.kernel.length;
  if (w.autoPad === "VALID") return new Array<number>(2 * n).fill(0);
  if (w.autoPad !== "SAME_UPPER" && w.autoPad !== "SAME_LOWER") return w.pads;
  const pads = new Array<number>(2 * n).fill(0);
  for (let i = 0; i < n; i++) {
    const size = input[i];
    if (typeof size !== "number") return null;
    const out = Math.ceil(size / w.strides[i]!);
    const total = Math.max((out - 1) * w.strides[i]! + effective(w, i) - size, 0);
    const small = Math.floor(total / 2);
    pads[i] = w.autoPad === "SAME_UPPER" ? small : total - small;
    pads[i + n] = total - pads[i]!;
  }
  return pads;
}

/** Output spatial sizes of a convolution or pooling window (ceil_mode for pooling). */
export function windowOutput(w: Window, input: Dim[], fresh: () => string): Dim[] {
  const n = w.kernel.length;
  const pads = resolvedPads(w, input);
  return input.map((size, i) => {
    if (typeof size !== "number" || !pads) return fresh();
    const span = size + pads[i]! + pads[i + n]! - effective(w, i);
    if (!w.ceilMode) return Math.floor(span / w.strides[i]!) + 1;
    let out = Math.ceil(span / w.strides[i]!) + 1;
    // A window that would start inside the end padding is dropped (onnxruntime, PyTorch).
    if ((out - 1) * w.strides[i]! >= size + pads[i]!) out--;
    return out;
  });
}

/** ConvTranspose's output spatial sizes (output_shape wins; else from strides, pads, output_padding). */
export function transposeOutput(r: NodeReader, w: Window, input: Dim[], fresh: () => string): Dim[] {
  const n = w.kernel.length;
  if (r.has("output_shape")) {
    const shape = r.ints("output_shape");
    return shape.slice(-n);
  }
  const outPad = r.ints("output_padding", new Array<number>(n).fill(0));
  return input.map((size, i) => {
    if (typeof size !== "number") return fresh();
    if (w.autoPad === "SAME_UPPER" || w.autoPad === "SAME_LOWER") return size * w.strides[i]!;
    const pads = w.autoPad === "VALID" ? 0 : w.pads[i]! + w.pads[i + n]!;
    return w.strides[i]! * (size - 1) + outPad[i]! + effective(w, i) - pads;
  });
}
