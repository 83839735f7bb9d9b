import { tf } from "../runtime.js";
import { KerasLayer, type TfShape, pair } from "./base.js";

const steps = (shape: TfShape, f: (t: number) => number): TfShape => [
  shape[0]!,
  shape[1] === null ? null : f(shape[1]!),
  shape[2]!,
];

/** Keras's ZeroPadding1D: zeros before and after the steps axis of (batch, steps, features). */
export class ZeroPadding1D extends KerasLayer {
  static className = "ZeroPadding1D";
  private readonly padding = pair(this.args.padding, 1);
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.pad(this.one(inputs), [[0, 0], this.padding, [0, 0]]);
  }
  override computeOutputShape(shape: TfShape | TfShape[]): TfShape {
    return steps(this.oneShape(shape), (t) => t + this.padding[0] + this.padding[1]);
  }
}

/** Keras's Cropping1D: drops steps at the start and end of (batch, steps, features). */
export class Cropping1D extends KerasLayer {
  static className = "Cropping1D";
  private readonly cropping = pair(this.args.cropping, 1);
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = this.one(inputs);
    const [start, end] = this.cropping;
    return tf.slice(x, [0, start, 0], [-1, x.shape[1]! - start - end, -1]);
  }
  override computeOutputShape(shape: TfShape | TfShape[]): TfShape {
    return steps(this.oneShape(shape), (t) => t - this.cropping[0] - this.cropping[1]);
  }
}

/** Keras's UpSampling1D: each step repeated `size` times. */
export class UpSampling1D extends KerasLayer {
  static className = "UpSampling1D";
  private readonly size = typeof this.args.size === "number" ? this.args.size : 2;
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = this.one(inputs);
      const [b, t, c] = x.shape as [number, number, number];
      return tf.reshape(tf.tile(tf.expandDims(x, 2), [1, 1, this.size, 1]), [b, t * this.size, c]);
    });
  }
  override computeOutputShape(shape: TfShape | TfShape[]): TfShape {
    return steps(this.oneShape(shape), (t) => t * this.size);
  }
}
