import { callLayer } from "../ir/build.js";
import { FormatError } from "../ir/errors.js";
import { Layer as IrLayer } from "../ir/graph.js";
import type { Dim } from "../ir/shape.js";
import { defaultRegistry } from "../layers/registry.js";
import { KerasTensor } from "./keras-tensor.js";
import { BuiltinLayer } from "./layers/builtin.js";
import { type KerasSession, currentSession } from "./session.js";

/** `keras.Input(shape=None, batch_size=None, dtype=None, sparse=None, ragged=None, batch_shape=None, name=None, optional=False)`. */
export interface InputOptions {
  /** The shape of one sample, without the batch dimension (null: unknown, e.g. variable-length sequences). */
  shape?: Dim[];
  batchSize?: number | null;
  /** The whole shape, batch dimension included (instead of `shape`). */
  batchShape?: Dim[];
  dtype?: string;
  name?: string;
  sparse?: boolean;
  ragged?: boolean;
  optional?: boolean;
  session?: KerasSession;
}

/**
 * Keras's `keras.Input(...)`: an InputLayer and the symbolic tensor it makes, the start of a model.
 * `Input([784])` or `Input({shape: [784]})`, `Input({shape: [null], dtype: "int32", name: "title"})`,
 * `Input({batchShape: [16, 10, 5]})`.
 */
export function Input(shapeOrOptions: Dim[] | InputOptions = {}, options: InputOptions = {}): KerasTensor {
  const o = Array.isArray(shapeOrOptions) ? { ...options, shape: shapeOrOptions } : shapeOrOptions;
  const session = o.session ?? currentSession();
  if (o.shape && o.batchShape) {
    throw new FormatError(
      `Input() takes shape or batchShape, not both. Received: shape=${JSON.stringify(o.shape)}, batchShape=${JSON.stringify(o.batchShape)}`,
    );
  }
  const batchShape = o.batchShape ?? (o.shape ? [o.batchSize ?? null, ...o.shape] : null);
  if (!batchShape) throw new FormatError("Input() needs a shape (or batchShape). Received neither.");
  const bad = batchShape.find((d) => d !== null && (!Number.isInteger(d) || d < 0));
  if (bad !== undefined)
    throw new FormatError(
      `Input() shape dimensions must be non-negative integers or null. Received: ${JSON.stringify(batchShape)}`,
    );
  const name = o.name ?? session.autoName("InputLayer");
  const config = {
    batch_shape: [...batchShape],
    dtype: o.dtype ?? session.floatx,
    sparse: o.sparse ?? false,
    ragged: o.ragged ?? false,
    name,
    optional: o.optional ?? false,
  };
  const ir = new IrLayer("InputLayer", name, config);
  new BuiltinLayer(ir);
  const call = callLayer(ir, [], {}, defaultRegistry.resolver());
  return KerasTensor.of(call.outputs[0]!);
}
