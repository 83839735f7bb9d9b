import type { LayerKind } from "../../ir/kind.js";
import { coreKinds } from "./core.js";
import { imageKinds } from "./image.js";
import { linalgKinds } from "./linalg.js";
import { mathKinds } from "./math.js";
import { nnConvKinds } from "./nn-conv.js";
import { nnKinds } from "./nn.js";
import { numpyElementwiseKinds } from "./numpy-elementwise.js";
import { getItemKinds } from "./numpy-getitem.js";
import { numpyIndexKinds } from "./numpy-index.js";
import { numpyJoinKinds } from "./numpy-join.js";
import { numpyMiscKinds } from "./numpy-misc.js";
import { numpyProductKinds } from "./numpy-products.js";
import { numpyReduceKinds } from "./numpy-reduce.js";
import { numpyShapeKinds } from "./numpy-shape.js";

/**
 * The Keras 3 operations kerasgraph knows, by the module Keras records for them (`"module":
 * "keras.src.ops.numpy"`). They are registered under `<module>.<ClassName>`, apart from the layers of
 * the same class name (the `Add` operation of `x + 3` is not the `Add` merge layer).
 */
export const opKindsByModule: Record<string, LayerKind[]> = {
  "keras.src.ops.numpy": [
    ...numpyElementwiseKinds,
    ...numpyReduceKinds,
    ...numpyShapeKinds,
    ...numpyIndexKinds,
    ...numpyJoinKinds,
    ...numpyProductKinds,
    ...numpyMiscKinds,
    ...getItemKinds,
  ],
  "keras.src.ops.nn": [...nnKinds, ...nnConvKinds],
  "keras.src.ops.core": coreKinds,
  "keras.src.ops.math": mathKinds,
  "keras.src.ops.image": imageKinds,
  "keras.src.ops.linalg": linalgKinds,
};

/** Registers every operation kind under its module. */
export function registerOps(registry: { register(kind: LayerKind, options: { module: string }): unknown }): void {
  for (const [module, kinds] of Object.entries(opKindsByModule))
    for (const kind of kinds) registry.register(kind, { module });
}
