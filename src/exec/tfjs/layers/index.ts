import { tf } from "../runtime.js";
import { ActivityRegularization } from "./activity-regularization.js";
import { GlobalAveragePooling3D, GlobalMaxPooling3D } from "./pooling-3d.js";
import { Cropping1D, UpSampling1D, ZeroPadding1D } from "./steps-1d.js";
import { Subtract } from "./subtract.js";

/**
 * Keras layers tfjs-layers 4.22 lacks, as tfjs-layers classes of the same names, so that the executor
 * runs (and trains) models that use them. Stock tfjs-layers still cannot load such a model's files,
 * which is why the TF.js writer keeps reporting them.
 */
const CLASSES = [
  Subtract,
  ZeroPadding1D,
  Cropping1D,
  UpSampling1D,
  GlobalAveragePooling3D,
  GlobalMaxPooling3D,
  ActivityRegularization,
];

export const KERASGRAPH_TFJS_CLASSES: ReadonlySet<string> = new Set(CLASSES.map((c) => c.className));

let registered = false;

/** Registers the classes with tfjs-layers' serialization (once). */
export function registerKerasgraphLayers(): void {
  if (registered) return;
  registered = true;
  for (const c of CLASSES) tf.serialization.registerClass(c as never);
}
