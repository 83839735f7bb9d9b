/**
 * Writes the hand-made hostile seeds under test/hostile/ (used by the fuzzer's corpus and by
 * test/formats/hostile-*.test.ts): models with a Lambda layer, serialized the way Keras does it, which
 * kerasgraph must read, summarize and draw without ever running the Python bytecode they carry.
 *
 *   node --import tsx tools/fuzz/make-hostile-seeds.ts && npx prettier --write test/hostile
 *
 * - lambda/model.json: Keras 3's `to_json()` of Input(8) → Lambda(lambda x: x * 2.0) → Dense(4):
 *   `function` is `{"class_name": "__lambda__", "config": {"code", "defaults", "closure"}}`
 *   (keras/src/layers/core/lambda_layer.py `_serialize_function_to_config`).
 * - lambda/model.keras: that config in a .keras archive with the weights of fixtures/keras3/layers/Dense
 *   (the Lambda has no variables, so Keras 3's weights file holds the same `layers/dense/vars`).
 * - lambda-keras2/model.json: tf.keras 2's form, `function: [code, defaults, closure]` with
 *   `function_type: "lambda"` and `module: "__main__"`.
 *
 * The code is CPython 3.11's marshal of `lambda x: x * 2.0`, base64 with a newline every 76 characters
 * as `python_utils.func_dump` writes it, made by
 *   python3 -c "import marshal,codecs; print(codecs.encode(marshal.dumps((lambda x: x * 2.0).__code__), 'base64').decode())"
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { strToU8, unzipSync, zipSync } from "fflate";

const ROOT = join(import.meta.dirname, "..", "..");
const OUT = join(ROOT, "test", "hostile");

export const LAMBDA_CODE =
  "4wEAAAAAAAAAAAAAAAIAAAADAAAA8wwAAACXAHwAZAF6BQAAUwApAk7nAAAAAAAAAECpACkB2gF4\n" +
  "cwEAAAAg+gg8c3RyaW5nPvoIPGxhbWJkYT5yBgAAAAMAAABzCgAAAIAAiGGQI4lngADzAAAAAA==\n";

const tensor = (shape: (number | null)[], layer: string) => ({
  class_name: "__keras_tensor__",
  config: { shape, dtype: "float32", keras_history: [layer, 0, 0] },
});

function keras3Config(): unknown {
  const dense = JSON.parse(readFileSync(join(ROOT, "fixtures/keras3/layers/Dense/model.json"), "utf8"));
  const [input, denseLayer] = dense.config.layers;
  const lambda = {
    module: "keras.layers",
    class_name: "Lambda",
    config: {
      name: "lambda",
      trainable: true,
      dtype: { module: "keras", class_name: "DTypePolicy", config: { name: "float32" }, registered_name: null },
      function: { class_name: "__lambda__", config: { code: LAMBDA_CODE, defaults: null, closure: null } },
      arguments: {},
    },
    registered_name: null,
    name: "lambda",
    inbound_nodes: [{ args: [tensor([null, 8], "in0")], kwargs: {} }],
  };
  denseLayer.inbound_nodes = [{ args: [tensor([null, 8], "lambda")], kwargs: {} }];
  dense.config.name = "lambda_model";
  dense.config.layers = [input, lambda, denseLayer];
  return dense;
}

function keras2Config(): unknown {
  return {
    class_name: "Functional",
    config: {
      name: "lambda_model",
      layers: [
        {
          class_name: "InputLayer",
          config: { batch_input_shape: [null, 8], dtype: "float32", sparse: false, ragged: false, name: "in0" },
          name: "in0",
          inbound_nodes: [],
        },
        {
          class_name: "Lambda",
          config: {
            name: "lambda",
            trainable: true,
            dtype: "float32",
            function: [LAMBDA_CODE, null, null],
            function_type: "lambda",
            module: "__main__",
            output_shape: null,
            output_shape_type: "raw",
            output_shape_module: null,
            arguments: {},
          },
          name: "lambda",
          inbound_nodes: [[["in0", 0, 0, {}]]],
        },
        {
          class_name: "Dense",
          config: { name: "dense", trainable: true, dtype: "float32", units: 4, activation: "linear", use_bias: true },
          name: "dense",
          inbound_nodes: [[["lambda", 0, 0, {}]]],
        },
      ],
      input_layers: [["in0", 0, 0]],
      output_layers: [["dense", 0, 0]],
    },
    keras_version: "2.13.1",
    backend: "tensorflow",
  };
}

function write(path: string, data: string | Uint8Array): void {
  mkdirSync(join(OUT, path, ".."), { recursive: true });
  writeFileSync(join(OUT, path), data);
}

const config = JSON.stringify(keras3Config());
write("lambda/model.json", `${config}\n`);
const denseArchive = unzipSync(new Uint8Array(readFileSync(join(ROOT, "fixtures/keras3/layers/Dense/model.keras"))));
const mtime = new Date("1980-01-01T00:00:00Z");
write(
  "lambda/model.keras",
  zipSync(
    {
      "metadata.json": [strToU8('{"keras_version": "3.16.0", "date_saved": "2026-11-26@15:06:12"}'), { mtime }],
      "config.json": [strToU8(config), { mtime }],
      "model.weights.h5": [denseArchive["model.weights.h5"]!, { mtime }],
    },
    { level: 0 },
  ),
);
write("lambda-keras2/model.json", `${JSON.stringify(keras2Config())}\n`);
