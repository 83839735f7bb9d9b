import type { OnnxGraph } from "../model.js";
import { convTransposeToConv } from "./conv-transpose.js";
import { removeDeadCode } from "./dead-code.js";
import { sinkTransposes } from "./transposes.js";

/** The rewrites every export runs; each returns how much it changed. */
export const passes = { sinkTransposes, convTransposeToConv, removeDeadCode };

/** The layout pass and the op rewrites, then dead-code removal, until nothing changes. Returns the counts. */
export function optimizeOnnxGraph(graph: OnnxGraph): Record<string, number> {
  const total: Record<string, number> = { sinkTransposes: 0, convTransposeToConv: 0, removeDeadCode: 0 };
  for (let i = 0; i < 10; i++) {
    const counts = {
      sinkTransposes: sinkTransposes(graph),
      convTransposeToConv: convTransposeToConv(graph),
      removeDeadCode: removeDeadCode(graph),
    };
    for (const [k, v] of Object.entries(counts)) total[k]! += v;
    if (Object.values(counts).every((v) => v === 0)) break;
  }
  return total;
}
