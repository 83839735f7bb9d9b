import { numbers } from "../const.js";
import type { ImportGraph, Node } from "../graph.js";
import { normalizeAxis } from "../params.js";
import { CHANNELS_LAST } from "./sink-transposes.js";

/** The axes a Reduce node reduces (attribute, or constant input), normalized; null if unknown. */
function reducedAxes(g: ImportGraph, n: Node, rank: number): number[] | null {
  if (Array.isArray(n.attrs.axes)) return (n.attrs.axes as number[]).map((a) => normalizeAxis(a, rank));
  const c = n.inputs[1] ? g.constant(n.inputs[1]) : undefined;
  return c ? numbers(c).map((a) => normalizeAxis(a, rank)) : null;
}

/**
 * Global pooling as Keras has it (keepdims=False, (batch, channels) out): GlobalAveragePool /
 * GlobalMaxPool, and ReduceMean / ReduceMax over exactly the spatial axes of a channels-last or
 * channels-first tensor, become kg.GlobalPool followed by an Unsqueeze where ONNX keeps the dims —
 * which the layout chain after it (usually a Flatten) then absorbs.
 */
export function recognizeGlobalPooling(g: ImportGraph): number {
  let changed = 0;
  for (const n of [...g.nodes]) {
    if (n.domain) continue;
    const x = g.value(n.inputs[0] ?? "");
    const rank = x.shape?.length ?? 0;
    if (rank < 3 || rank > 5) continue;
    let mode: "avg" | "max";
    let channelsLast: boolean;
    let keep: boolean;
    if (n.op === "GlobalAveragePool" || n.op === "GlobalMaxPool") {
      mode = n.op === "GlobalAveragePool" ? "avg" : "max";
      channelsLast = n.attrs[CHANNELS_LAST] === 1;
      keep = true;
    } else if (n.op === "ReduceMean" || n.op === "ReduceMax") {
      const axes = reducedAxes(g, n, rank);
      if (!axes) continue;
      const sorted = [...axes].sort((a, b) => a - b).join(",");
      const last = Array.from({ length: rank - 2 }, (_, i) => i + 1).join(",");
      const first = Array.from({ length: rank - 2 }, (_, i) => i + 2).join(",");
      if (sorted !== last && sorted !== first) continue;
      mode = n.op === "ReduceMean" ? "avg" : "max";
      channelsLast = sorted === last;
      keep = n.attrs.keepdims !== 0;
    } else continue;
    const out = n.outputs[0]!;
    const channels = x.shape![channelsLast ? rank - 1 : 1]!;
    const pooled = keep ? g.addValue(`${out}_pooled`, [x.shape![0]!, channels], x.dtype).name : out;
    const pool = g.addNode(
      {
        op: "GlobalPool",
        domain: "kg",
        inputs: [n.inputs[0]!],
        outputs: [pooled],
        attrs: { mode, ...(channelsLast ? { [CHANNELS_LAST]: 1 } : {}) },
      },
      n,
    );
    if (keep) {
      const axes = channelsLast
        ? Array.from({ length: rank - 2 }, (_, i) => i + 1)
        : Array.from({ length: rank - 2 }, (_, i) => i + 2);
      g.addNode({ op: "Unsqueeze", inputs: [pooled], outputs: [out], attrs: { axes } }, n);
    }
    void pool;
    g.removeNode(n);
    changed++;
  }
  g.dirty();
  return changed;
}
