import { GraphError } from "../../ir/errors.js";
import type { Graph, Tensor } from "../../ir/graph.js";
import type { Emitted } from "./emit-graph.js";
import type { Val } from "./emitter.js";

/** One layer output made a graph output by `expose`. */
export interface ExposedOutput {
  /** The layer's path (`encoder/conv2d`), with `@k` for its k-th call (k > 0) and `:i` for output i > 0. */
  key: string;
  layerPath: string;
  call: number;
  index: number;
  /** The graph output's name. */
  output: string;
}

/** The output layer's name; a layer that gives several outputs adds `_1`, `_2`, ... from the second on. */
export function outputName(graph: Graph, t: Tensor, i: number): string {
  const k = graph.outputs.slice(0, i).filter((o) => o.layer === t.layer).length;
  return k === 0 ? t.layer.name : `${t.layer.name}_${k}`;
}

export function resolveExposed(
  emitted: Emitted[],
  expose: string[] | "all" | undefined,
): { info: Omit<ExposedOutput, "output">; val: Val }[] {
  if (!expose) return [];
  const out: { info: Omit<ExposedOutput, "output">; val: Val }[] = [];
  const add = (e: Emitted) => {
    const calls = emitted.filter((x) => x.path === e.path).length;
    e.values.forEach((val, index) => {
      const key = `${e.path}${calls > 1 && e.call > 0 ? `@${e.call}` : ""}${index > 0 ? `:${index}` : ""}`;
      out.push({ info: { key, layerPath: e.path, call: e.call, index }, val });
    });
  };
  if (expose === "all") {
    for (const e of emitted) add(e);
    return out;
  }
  const paths = [...new Set(emitted.map((e) => e.path))];
  for (const want of expose) {
    let path = paths.find((p) => p === want);
    if (!path) {
      const tail = paths.filter((p) => p.endsWith(`/${want}`));
      if (tail.length === 1) path = tail[0];
      else if (tail.length > 1) {
        throw new GraphError(`layer name '${want}' is ambiguous; use one of its paths: ${tail.join(", ")}`);
      }
    }
    if (!path) {
      throw new GraphError(
        `the model has no layer '${want}'. Received: ${JSON.stringify(want)}; layers are: ${paths.slice(0, 40).join(", ")}` +
          (paths.length > 40 ? `, ... (${paths.length} in all)` : ""),
      );
    }
    for (const e of emitted) if (e.path === path) add(e);
  }
  return out;
}
