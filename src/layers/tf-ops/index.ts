import type { LayerKind } from "../../ir/kind.js";
import { SlicingOpLambda } from "./slicing-op-lambda.js";
import { TensorFlowOpLayer } from "./tensorflow-op-layer.js";
import { TFOpLambda } from "./tf-op-lambda.js";

/**
 * tf.keras 2's op layers: TensorFlow functions and Python operators applied to symbolic tensors in a
 * functional model (`TFOpLambda`, `SlicingOpLambda`; `TensorFlowOpLayer` before TF 2.4), the Keras 2
 * counterparts of Keras 3's operations.
 */
export const tfOpsKinds: LayerKind[] = [TFOpLambda, SlicingOpLambda, TensorFlowOpLayer];
