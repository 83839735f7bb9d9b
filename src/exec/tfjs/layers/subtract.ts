import { tf } from "../runtime.js";
import { KerasLayer, type TfShape } from "./base.js";

/** Keras's Subtract: the first input minus the second (same shapes, as Keras requires). */
export class Subtract extends KerasLayer {
  static className = "Subtract";
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [a, b] = inputs as tf.Tensor[];
      return tf.sub(a!, b!);
    });
  }
  override computeOutputShape(shape: TfShape | TfShape[]): TfShape {
    return this.oneShape(shape);
  }
}
