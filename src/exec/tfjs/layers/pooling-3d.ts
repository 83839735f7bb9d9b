import { tf } from "../runtime.js";
import { KerasLayer, type TfShape } from "./base.js";

/** Keras's GlobalAveragePooling3D / GlobalMaxPooling3D over the three spatial axes. */
abstract class GlobalPooling3D extends KerasLayer {
  protected abstract reduce(x: tf.Tensor, axes: number[], keep: boolean): tf.Tensor;
  private get axes(): number[] {
    return this.args.dataFormat === "channels_first" ? [2, 3, 4] : [1, 2, 3];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return this.reduce(this.one(inputs), this.axes, this.args.keepdims === true);
  }
  override computeOutputShape(shape: TfShape | TfShape[]): TfShape {
    const s = this.oneShape(shape);
    if (this.args.keepdims === true) return s.map((d, i) => (this.axes.includes(i) ? 1 : d));
    return s.filter((_, i) => !this.axes.includes(i));
  }
}

export class GlobalAveragePooling3D extends GlobalPooling3D {
  static className = "GlobalAveragePooling3D";
  protected reduce(x: tf.Tensor, axes: number[], keep: boolean): tf.Tensor {
    return tf.mean(x, axes, keep);
  }
}

export class GlobalMaxPooling3D extends GlobalPooling3D {
  static className = "GlobalMaxPooling3D";
  protected reduce(x: tf.Tensor, axes: number[], keep: boolean): tf.Tensor {
    return tf.max(x, axes, keep);
  }
}
