import type { Graph } from "../../ir/graph.js";
import { type OptimizerState, WeightData } from "../../ir/weights.js";
import type { KerasOptimizer } from "./optimizers/index.js";

/**
 * The optimizer's variables as a `.keras` file keeps them (`optimizer/vars/<i>`): the int32 iteration
 * count, the float32 learning rate, then the slots in Keras's creation order.
 */
export function optimizerState(optimizer: KerasOptimizer): OptimizerState {
  const variables = optimizer.slots().map((s, i) => ({
    name: String(i),
    data:
      s.name === "iteration"
        ? new WeightData("int32", [], Int32Array.of(optimizer.iterations))
        : new WeightData("float32", [...s.shape], Float32Array.from(s.values)),
  }));
  return { name: String(optimizer.config.name ?? optimizer.className.toLowerCase()), variables, keras3: true };
}

/**
 * Continues from a saved optimizer state (Keras 3 layout, same variable count), as Keras does when it
 * loads a compiled `.keras` file: the iteration count and every slot. Returns whether it applied.
 */
export function restoreOptimizerState(optimizer: KerasOptimizer, graph: Graph): boolean {
  const saved = graph.optimizer;
  const slots = optimizer.slots();
  if (!saved?.keras3 || saved.variables.length !== slots.length) return false;
  const fits = slots.every((s, i) => s.values.length === saved.variables[i]!.data.size);
  if (!fits) return false;
  optimizer.iterations = Number(saved.variables[0]!.data.values[0]);
  slots.forEach((s, i) => {
    if (i >= 2) s.values.set(Array.from(saved.variables[i]!.data.values as ArrayLike<number>, Number));
  });
  return true;
}
