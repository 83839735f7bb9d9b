import type { OnnxGraph } from "../model.js";
import { removeDeadCode } from "./dead-code.js";
import { sinkTransposes } from "./transposes.js";

/** The rewrites every export runs, in order; each returns how much it changed. */
export const passes = { sinkTransposes, removeDeadCode };

/** Runs the layout pass and dead-code removal until neither changes the graph. */
export function optimizeOnnxGraph(graph: OnnxGraph): Record<string, number> {
  const total: Record<string, number> = { sinkTransposes: 0, removeDeadCode: 0 };
  for (let i = 0; i < 10; i++) {
    const a = sinkTransposes(graph);
    const b = removeDeadCode(graph);
    total.sinkTransposes! += a;
    total.removeDeadCode! += b;
    if (a === 0 && b === 0) break;
  }
  return total;
}
