/**
 * tfjs-layers 4.22 on the CPU backend, as the Keras 2 dialect's reader of record. The union package
 * `@tensorflow/tfjs` registers tfjs-core's chained tensor methods; with tfjs-core alone (its Node
 * bundle) they are missing, and tfjs-layers' Orthogonal initializer (every LSTM/GRU/SimpleRNN's
 * recurrent kernel) calls `flatten`, `stridedSlice`, `sign`, `transpose` and `reshape` on tensors.
 * Those five are installed here, each as the op of the same name.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";

type Chained = Record<string, ((this: tf.Tensor, ...args: never[]) => tf.Tensor) | undefined>;
const proto = tf.Tensor.prototype as unknown as Chained;
proto.flatten ??= function () {
  return tf.reshape(this, [-1]);
};
proto.stridedSlice ??= function (begin: number[], end: number[], strides: number[]) {
  return tf.stridedSlice(this, begin, end, strides);
};
proto.sign ??= function () {
  return tf.sign(this);
};
proto.transpose ??= function (perm?: number[]) {
  return tf.transpose(this, perm);
};
proto.reshape ??= function (shape: number[]) {
  return tf.reshape(this, shape);
};

let ready: Promise<boolean> | undefined;

/** `tfl.models.modelFromJSON({modelTopology})` on the CPU backend. */
export async function tfjsModelFromTopology(modelTopology: object): Promise<tfl.LayersModel> {
  ready ??= tf.setBackend("cpu");
  await ready;
  return tfl.models.modelFromJSON({ modelTopology } as never);
}

/** Runs the model on zeros (unknown dims: batch 2, others 3) and returns the output shapes. */
export function predictShapes(model: tfl.LayersModel): number[][] {
  return tf.tidy(() => {
    const xs = model.inputs.map((t) =>
      tf.zeros(
        t.shape.map((d, i) => d ?? (i === 0 ? 2 : 3)),
        t.dtype === "int32" ? "int32" : "float32",
      ),
    );
    const ys = model.predict(xs.length === 1 ? xs[0]! : xs);
    return (Array.isArray(ys) ? ys : [ys]).map((y) => y.shape);
  });
}
