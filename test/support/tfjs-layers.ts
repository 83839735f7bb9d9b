/**
 * tfjs-layers 4.22 on the CPU backend, as the Keras 2 dialect's reader of record.
 *
 * tfjs-layers draws every initial weight when it builds a model from a topology, and its Orthogonal
 * initializer (every LSTM/GRU/SimpleRNN's recurrent kernel) runs a QR factorization in JavaScript:
 * minutes for one 256-unit LSTM. These checks are about the topology, not the initial values, so an
 * initializer of the same class name, config (`gain`, `seed`) and output shape stands in: the scaled
 * identity, which is orthogonal too. (It also spares tfjs-core's chained tensor methods, which the real
 * one calls and which only the union package `@tensorflow/tfjs` registers.)
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";

class IdentityOrthogonal extends tf.serialization.Serializable {
  static className = "Orthogonal";
  constructor(private readonly config: { gain?: number; seed?: number | null }) {
    super();
  }
  apply(shape: number[]): tf.Tensor {
    const cols = shape.at(-1)!;
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    return tf.tidy(() => tf.reshape(tf.mul(tf.eye(rows, cols), this.config.gain ?? 1), shape));
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...this.config };
  }
}
tf.serialization.registerClass(IdentityOrthogonal);

let ready: Promise<boolean> | undefined;

/** `tfl.models.modelFromJSON({modelTopology})` on the CPU backend. */
export async function tfjsModelFromTopology(modelTopology: object): Promise<tfl.LayersModel> {
  ready ??= tf.setBackend("cpu");
  await ready;
  return tfl.models.modelFromJSON({ modelTopology } as never);
}

/**
 * Whether tfjs-layers registers a layer class of this name for deserialization (its registry also holds
 * initializers, constraints and regularizers: "Identity" there is the initializer).
 */
export function isTfjsLayerClass(className: string): boolean {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  return entry !== undefined && entry[0].prototype instanceof tfl.layers.Layer;
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
