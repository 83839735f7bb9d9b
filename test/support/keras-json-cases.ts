/**
 * Hand-written model configs for the writer's rules, in the forms tf.keras 2 and Keras 3 write (the
 * fixtures have no tf.keras 2 functional model with a nested model, and no nested Sequential).
 */

const keras2Input = (name: string, shape: (number | null)[]) => ({
  class_name: "InputLayer",
  name,
  config: { batch_input_shape: shape, dtype: "float32", sparse: false, ragged: false, name },
  inbound_nodes: [],
});

const keras2Dense = (name: string, units: number, inbound: unknown[]) => ({
  class_name: "Dense",
  name,
  config: {
    name,
    trainable: true,
    dtype: "float32",
    units,
    activation: "relu",
    use_bias: true,
    kernel_initializer: { class_name: "GlorotUniform", config: { seed: null } },
    bias_initializer: { class_name: "Zeros", config: {} },
  },
  inbound_nodes: inbound,
});

/**
 * tf.keras 2 (class "Model"): a Dense shared by two inputs, a nested Model called on both results (its
 * calls are nodes 1 and 2, after its internal node 0), a BatchNormalization with tf.keras 2's list axis
 * on the nested model's second call, and the nested model's first call as a second output.
 */
export const keras2Functional = {
  class_name: "Model",
  config: {
    name: "k2",
    layers: [
      keras2Input("x", [null, 4]),
      keras2Input("y", [null, 4]),
      keras2Dense("shared", 4, [[["x", 0, 0, {}]], [["y", 0, 0, {}]]]),
      {
        class_name: "Model",
        name: "inner",
        config: {
          name: "inner",
          layers: [keras2Input("a", [null, 4]), keras2Dense("h", 5, [[["a", 0, 0, {}]]])],
          input_layers: [["a", 0, 0]],
          output_layers: [["h", 0, 0]],
        },
        inbound_nodes: [[["shared", 0, 0, {}]], [["shared", 1, 0, {}]]],
      },
      {
        class_name: "BatchNormalization",
        name: "bn",
        config: { name: "bn", trainable: true, dtype: "float32", axis: [1], momentum: 0.99, epsilon: 0.001 },
        inbound_nodes: [[["inner", 2, 0, {}]]],
      },
      keras2Dense("out", 1, [[["bn", 0, 0, {}]]]),
    ],
    input_layers: [
      ["x", 0, 0],
      ["y", 0, 0],
    ],
    output_layers: [
      ["out", 0, 0],
      ["inner", 1, 0],
    ],
  },
  keras_version: "2.4.0",
  backend: "tensorflow",
};

/**
 * A Keras 1/2 list-style Sequential whose first layer declares the input (`batch_input_shape`, with
 * `time_major`), with activations given as layer objects: ReLU (which is "relu") and LeakyReLU with
 * tf.keras's alpha 0.3 (Keras 3 has no activation name for it).
 */
export const keras2Sequential = {
  class_name: "Sequential",
  config: [
    {
      class_name: "LSTM",
      config: {
        name: "lstm",
        batch_input_shape: [8, 6, 3],
        dtype: "float32",
        units: 5,
        stateful: true,
        time_major: false,
      },
    },
    {
      class_name: "Dense",
      config: {
        name: "d1",
        units: 4,
        activation: { class_name: "ReLU", config: { name: "re_lu", max_value: null, negative_slope: 0, threshold: 0 } },
      },
    },
    {
      class_name: "Dense",
      config: { name: "d2", units: 2, activation: { class_name: "LeakyReLU", config: { name: "lr", alpha: 0.3 } } },
    },
  ],
  keras_version: "2.2.4",
  backend: "tensorflow",
};

const dtypePolicy = { module: "keras", class_name: "DTypePolicy", config: { name: "float32" }, registered_name: null };

const keras3Tensor = (layer: string, shape: (number | null)[]) => ({
  class_name: "__keras_tensor__",
  config: { shape, dtype: "float32", keras_history: [layer, 0, 0] },
});

const keras3Dense = (name: string, units: number, inputShape: (number | null)[]) => ({
  module: "keras.layers",
  class_name: "Dense",
  config: {
    name,
    trainable: true,
    dtype: dtypePolicy,
    units,
    activation: "relu",
    use_bias: true,
    kernel_initializer: {
      module: "keras.initializers",
      class_name: "GlorotUniform",
      config: {},
      registered_name: null,
    },
    bias_initializer: { module: "keras.initializers", class_name: "Zeros", config: {}, registered_name: null },
    kernel_regularizer: null,
    bias_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    quantization_config: null,
  },
  registered_name: null,
  build_config: { input_shape: inputShape },
});

/** Keras 3: a Functional calling a nested Sequential (no node offset in Keras 3) whose output is also a model output. */
export const keras3WithNestedSequential = {
  module: "keras.src.models.functional",
  class_name: "Functional",
  config: {
    name: "outer",
    trainable: true,
    layers: [
      {
        module: "keras.layers",
        class_name: "InputLayer",
        config: {
          batch_shape: [null, 3],
          dtype: "float32",
          sparse: false,
          ragged: false,
          name: "inp",
          optional: false,
        },
        registered_name: null,
        name: "inp",
        inbound_nodes: [],
      },
      {
        module: "keras",
        class_name: "Sequential",
        config: {
          name: "body",
          trainable: true,
          dtype: dtypePolicy,
          layers: [
            {
              module: "keras.layers",
              class_name: "InputLayer",
              config: { batch_shape: [null, 3], dtype: "float32", sparse: false, ragged: false, name: "body_in" },
              registered_name: null,
            },
            keras3Dense("hidden", 4, [null, 3]),
          ],
          build_input_shape: [null, 3],
        },
        registered_name: null,
        build_config: { input_shape: [null, 3] },
        compile_config: {},
        name: "body",
        inbound_nodes: [{ args: [keras3Tensor("inp", [null, 3])], kwargs: { mask: null } }],
      },
      {
        ...keras3Dense("head", 2, [null, 4]),
        name: "head",
        inbound_nodes: [{ args: [keras3Tensor("body", [null, 4])], kwargs: {} }],
      },
    ],
    input_layers: ["inp", 0, 0],
    output_layers: [
      ["head", 0, 0],
      ["body", 0, 0],
    ],
  },
  registered_name: "Functional",
  build_config: { input_shape: null },
  compile_config: {},
};
