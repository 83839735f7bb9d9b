import { defaultEmitters } from "../../src/formats/onnx/emitter.js";
import "../../src/formats/onnx/emitters/index.js";

/**
 * The guide's CustomDense (`matmul(x, w) + b`) taught to the ONNX exporter the way a user would teach
 * a custom layer: an emitter registered under its class name, in a registry of its own.
 */
export function emittersWithCustoms() {
  const emitters = defaultEmitters.extend();
  emitters.register("CustomDense", (ctx) => {
    const w = ctx.weight("w");
    const b = ctx.weight("b");
    const kernel = ctx.param("w", () => ({ dims: w.shape, data: w.values as Float32Array }));
    const bias = ctx.param("b", () => ({ dims: b.shape, data: b.values as Float32Array }));
    return [ctx.g.op("Add", [ctx.g.op("MatMul", [ctx.inputs[0]!.name, kernel]), bias])];
  });
  return emitters;
}
