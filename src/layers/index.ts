import { activationsKinds } from "./activations/index.js";
import { attentionKinds } from "./attention/index.js";
import { convKinds } from "./conv/index.js";
import { coreKinds } from "./core/index.js";
import { mergingKinds } from "./merging/index.js";
import { normalizationKinds } from "./normalization/index.js";
import { registerOps } from "./ops/index.js";
import { poolingKinds } from "./pooling/index.js";
import { preprocessingKinds } from "./preprocessing/index.js";
import { defaultRegistry } from "./registry.js";
import { regularizationKinds } from "./regularization/index.js";
import { reshapingKinds } from "./reshaping/index.js";
import { rnnKinds } from "./rnn/index.js";
import { tfOpsKinds } from "./tf-ops/index.js";

/** Every built-in Keras layer kind, by family (the folders mirror keras/src/layers/). */
export const builtinKinds = [
  ...coreKinds,
  ...activationsKinds,
  ...convKinds,
  ...poolingKinds,
  ...reshapingKinds,
  ...regularizationKinds,
  ...mergingKinds,
  ...normalizationKinds,
  ...rnnKinds,
  ...attentionKinds,
  ...preprocessingKinds,
  // tf.keras 2's op layers (TFOpLambda, SlicingOpLambda, TensorFlowOpLayer).
  ...tfOpsKinds,
];

for (const kind of builtinKinds) defaultRegistry.register(kind);
// Keras 3 operations (`x + 3`, `keras.ops.mean(x)`), kept apart from the layers of the same class name.
registerOps(defaultRegistry);

export { defaultRegistry, registerLayerKind, LayerRegistry } from "./registry.js";
export { defineLayer } from "./define.js";
