import { KerasObjectModule } from "./keras-object.js";

const fans = { seed: null, input_axes: null, output_axes: null };

/**
 * `keras.initializers`: each class's `get_config` keys and defaults (keras/src/initializers/*.py).
 * Identity's `get_config` is the base class's `{}`: Keras drops its gain, and so do we.
 */
export const initializers = new KerasObjectModule(
  "keras.initializers",
  "initializer",
  {
    Zeros: { defaults: {} },
    Ones: { defaults: {} },
    Constant: { defaults: { value: 0 } },
    Identity: { defaults: { gain: 1 }, writes: [] },
    RandomNormal: { defaults: { seed: null, mean: 0, stddev: 0.05 } },
    TruncatedNormal: { defaults: { seed: null, mean: 0, stddev: 0.05 } },
    RandomUniform: { defaults: { seed: null, minval: -0.05, maxval: 0.05 } },
    VarianceScaling: {
      defaults: {
        seed: null,
        scale: 1,
        mode: "fan_in",
        distribution: "truncated_normal",
        input_axes: null,
        output_axes: null,
      },
    },
    GlorotUniform: { defaults: fans },
    GlorotNormal: { defaults: fans },
    LecunUniform: { defaults: fans },
    LecunNormal: { defaults: fans },
    HeUniform: { defaults: fans },
    HeNormal: { defaults: fans },
    Orthogonal: { defaults: { seed: null, gain: 1 } },
  },
  {
    normal: "RandomNormal",
    uniform: "RandomUniform",
    zero: "Zeros",
    one: "Ones",
    IdentityInitializer: "Identity",
    OrthogonalInitializer: "Orthogonal",
  },
);
