import { tf } from "../runtime.js";
import { KerasLayer, type LayerArgs, type TfShape } from "./base.js";

/**
 * Keras's ActivityRegularization: the identity, adding `(l1·Σ|x| + l2·Σx²) / batch` to the loss of the
 * call (Keras 3 divides an activity penalty by the batch size). The penalty is of the latest call,
 * which the trainer collects right after it (`calculateLosses`).
 */
export class ActivityRegularization extends KerasLayer {
  static className = "ActivityRegularization";
  private last: tf.Tensor | null = null;

  constructor(args: LayerArgs) {
    super(args);
    const [l1, l2] = [Number(args.l1 ?? 0), Number(args.l2 ?? 0)];
    this.addLoss(() => {
      const x = this.last;
      if (!x || x.isDisposed || (l1 === 0 && l2 === 0)) return tf.scalar(0);
      return tf.tidy(() => {
        const penalty = tf.add(tf.mul(tf.sum(tf.abs(x)), l1), tf.mul(tf.sum(tf.square(x)), l2));
        return tf.div(penalty, x.rank > 0 ? x.shape[0]! : 1) as tf.Scalar;
      });
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    this.last = this.one(inputs);
    return this.last;
  }

  override computeOutputShape(shape: TfShape | TfShape[]): TfShape {
    return this.oneShape(shape);
  }
}
