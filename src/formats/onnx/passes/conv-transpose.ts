import { derivedTensor } from "../deferred.js";
import { DataType, type OnnxGraph, type OnnxNode } from "../model.js";

/**
 * A stride-1 ConvTranspose is a Conv over the same input with the kernel flipped in space and its
 * channel axes swapped, padded by (k-1)·d - pad on each side (+ output_padding at the end). onnxruntime's
 * Conv is far faster than its ConvTranspose (NCHWc kernels, no col2im), so this pass rewrites every
 * ConvTranspose with strides 1, one group, a constant kernel and at least 8 output channels. Returns the number rewritten.
 */
/** Below this many output channels the rewrite is slower on onnxruntime's CPU kernels (measured). */
const MIN_OUT_CHANNELS = 8;

export function convTransposeToConv(graph: OnnxGraph): number {
  const inits = new Map(graph.initializers.map((t) => [t.name, t]));
  const used = new Set<string>(graph.initializers.map((t) => t.name));
  let changed = 0;
  graph.nodes = graph.nodes.map((node): OnnxNode => {
    if (node.opType !== "ConvTranspose") return node;
    const w = inits.get(node.inputs[1] ?? "");
    const a = node.attributes;
    const ints = (k: string) => a[k]?.value as number[] | undefined;
    if (!w || w.dataType !== DataType.FLOAT || a.output_shape || a.auto_pad) return node;
    if (Number(a.group?.value ?? 1) !== 1) return node;
    const r = w.dims.length - 2;
    // Few output channels waste most of onnxruntime's blocked (NCHWc) Conv: keep ConvTranspose there.
    if (w.dims[1]! < MIN_OUT_CHANNELS) return node;
    const strides = ints("strides") ?? Array<number>(r).fill(1);
    if (strides.some((s) => s !== 1)) return node;
    const kernel = ints("kernel_shape") ?? w.dims.slice(2);
    const dil = ints("dilations") ?? Array<number>(r).fill(1);
    const pads = ints("pads") ?? Array<number>(2 * r).fill(0);
    const outPad = ints("output_padding") ?? Array<number>(r).fill(0);
    const convPads = [
      ...kernel.map((k, i) => (k - 1) * dil[i]! - pads[i]!),
      ...kernel.map((k, i) => (k - 1) * dil[i]! - pads[i + r]! + outPad[i]!),
    ];
    if (convPads.some((p) => p < 0)) return node;
    const [cin, cout] = [w.dims[0]!, w.dims[1]!];
    let name = `${w.name}/as_conv`;
    for (let k = 1; used.has(name); k++) name = `${w.name}/as_conv_${k}`;
    used.add(name);
    graph.initializers.push(
      derivedTensor(name, w, [cout, cin, ...kernel], (src) => flippedKernel(src as Float32Array, cin, cout, kernel)),
    );
    changed++;
    return {
      ...node,
      opType: "Conv",
      inputs: [node.inputs[0]!, name, ...node.inputs.slice(2)],
      attributes: {
        kernel_shape: { type: "ints", value: kernel },
        strides: { type: "ints", value: strides },
        dilations: { type: "ints", value: dil },
        pads: { type: "ints", value: convPads },
      },
    };
  });
  return changed;
}

/** ConvTranspose W (in, out, k...) → Conv W (out, in, k...) with every spatial axis reversed. */
function flippedKernel(src: Float32Array, cin: number, cout: number, kernel: number[]): Float32Array {
  const r = kernel.length;
  const area = kernel.reduce((x, y) => x * y, 1);
  const data = new Float32Array(src.length);
  const strideOf = kernel.map((_, i) => kernel.slice(i + 1).reduce((x, y) => x * y, 1));
  for (let i = 0; i < cin; i++) {
    for (let o = 0; o < cout; o++) {
      for (let p = 0; p < area; p++) {
        let q = 0;
        for (let d = 0; d < r; d++) q += (kernel[d]! - 1 - (Math.floor(p / strideOf[d]!) % kernel[d]!)) * strideOf[d]!;
        data[(o * cin + i) * area + q] = src[(i * cout + o) * area + p]!;
      }
    }
  }
  return data;
}
