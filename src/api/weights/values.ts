import type { Layer as IrLayer, WeightSpec } from "../../ir/graph.js";
import { ShapeError } from "../../ir/errors.js";
import { type TypedArray, WeightData } from "../../ir/weights.js";
import { type Layer, boundLayer } from "../layer.js";
import { currentSession } from "../session.js";
import { initialWeightData } from "./builtin-initializers.js";
import { initialValues } from "./initial-values.js";

/**
 * Fresh values for one weight of a layer, from its initializer and a seed of the layer's session: a
 * custom layer's `addWeight` initializer, or the built-in layer's configured one.
 */
export function freshValues(layer: Layer, ir: IrLayer, w: WeightSpec): WeightData {
  const seed = layer.session.nextSeed();
  const custom = layer.customWeights.find((c) => c.name === w.name);
  if (!custom) return initialWeightData(ir, w, seed);
  const where = `${ir.className} '${ir.name}' weight '${w.name}'`;
  return new WeightData(w.dtype, [...w.shape], () => initialValues(custom.initializer, w.shape, seed, where));
}

/** The values of a weight, drawing fresh ones from its initializer when it has none. */
export function ensureValues(ir: IrLayer, w: WeightSpec): WeightData {
  let data = ir.values.get(w.name);
  if (!data) {
    const api = boundLayer(ir);
    data = api ? freshValues(api, ir, w) : initialWeightData(ir, w, currentSession().nextSeed());
    ir.values.set(w.name, data);
  }
  return data;
}

/** Keras's `set_weights`: every variable of the layer (nested models' included), in order. */
export function setLayerWeights(ir: IrLayer, values: (TypedArray | number[])[], where: string): void {
  const vars = ir.variables();
  if (values.length !== vars.length) {
    throw new ShapeError(`${where} has ${vars.length} weights. Received: ${values.length} arrays`);
  }
  vars.forEach((v, i) => {
    const size = v.weight.shape.reduce((a, b) => a * b, 1);
    const given = values[i]!;
    if (given.length !== size) {
      throw new ShapeError(
        `${where}: weight '${v.weight.name}' has shape (${v.weight.shape.join(", ")}), ${size} values. Received: ${given.length}`,
      );
    }
    const data = Array.isArray(given) ? Float32Array.from(given) : given;
    v.layer.values.set(v.weight.name, new WeightData(v.weight.dtype, [...v.weight.shape], data));
  });
}
