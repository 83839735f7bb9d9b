import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** The formats the fuzzer mutates; each has its own seed files and readers (targets.ts). */
export const FORMATS = ["keras", "h5", "json", "tfjs", "onnx", "npy"] as const;
export type FuzzFormat = (typeof FORMATS)[number];

/** One input: the files a reader is given (a model, and for TF.js its shards), `main` among them. */
export interface FuzzCase {
  format: FuzzFormat;
  main: string;
  files: Record<string, Uint8Array>;
}

export const ROOT = join(import.meta.dirname, "..", "..");
const FIX = join(ROOT, "fixtures");
const KERAS3 = join(FIX, "keras3");
const REAL = join(FIX, "real");
/** Hand-written seeds the fixtures lack (a Keras 3 Lambda layer): test/hostile/. */
const SEEDS = join(ROOT, "test", "hostile");

/** Small files, so that 10,000 iterations per format take minutes: the cost of a case is its parse. */
const SEED_FILES: Record<FuzzFormat, string[]> = {
  keras: [
    `${KERAS3}/seed/custom_dense/model.keras`,
    `${KERAS3}/seed/ensemble/model.keras`,
    `${KERAS3}/seed/mixed_rnn_in_functional/model.keras`,
    `${KERAS3}/npz/recurrent_family.keras`,
    `${KERAS3}/layers/Dense/model.keras`,
    `${KERAS3}/layers/Conv2D/model.keras`,
    `${KERAS3}/layers/Embedding/model.keras`,
    `${KERAS3}/layers/BatchNormalization/model.keras`,
    `${SEEDS}/lambda/model.keras`,
  ],
  h5: [
    `${KERAS3}/seed/custom_dense/model.h5`,
    `${KERAS3}/seed/ensemble/model.h5`,
    `${KERAS3}/layers/Dense/model.h5`,
    `${KERAS3}/layers/GRU/model.h5`,
    `${KERAS3}/layers/Bidirectional/model.h5`,
    `${REAL}/NeuralNetworkVerification+Marabou/resources/keras/fc_2-2sigmoids-3.h5`,
    `${REAL}/FrederickRoman+divorce-predictor/nnModel/divorce_model.h5`,
    `${REAL}/fastmachinelearning+example-models/keras_history/keras_3layer.h5`,
  ],
  json: [],
  tfjs: [
    `${REAL}/FrederickRoman+divorce-predictor/tfjs/model.json`,
    `${REAL}/tensorflow+tfjs/e2e/integration_tests/load_predict_data/layers_model/model.json`,
    `${REAL}/tensorflow+tfjs-examples/abalone-node/trainedModel/model.json`,
  ],
  onnx: [
    `${REAL}/NeuralNetworkVerification+Marabou/resources/onnx/fc_2-2sigmoids-3.onnx`,
    `${REAL}/NeuralNetworkVerification+Marabou/resources/onnx/KJ_TinyTaxiNet.onnx`,
    `${REAL}/onnx+onnx/onnx/backend/test/data/pytorch-converted/test_Linear/model.onnx`,
    `${REAL}/onnx+onnx/onnx/backend/test/data/pytorch-converted/test_Conv2d/model.onnx`,
    `${REAL}/onnx+onnx/onnx/backend/test/data/pytorch-converted/test_BatchNorm2d_eval/model.onnx`,
    `${REAL}/onnx+onnx/onnx/backend/test/data/pytorch-converted/test_Embedding/model.onnx`,
    `${REAL}/onnx+onnx/onnx/backend/test/data/pytorch-converted/test_MaxPool2d/model.onnx`,
    `${REAL}/fastmachinelearning+example-models/onnx/conv2d_small_keras.onnx`,
    `${REAL}/fastmachinelearning+example-models/onnx/two_layer_pytorch.onnx`,
  ],
  npy: [
    `${KERAS3}/seed/ensemble/in/0.npy`,
    `${KERAS3}/seed/custom_dense/out/0.npy`,
    `${KERAS3}/train/data/y.npy`,
    `${KERAS3}/zoo/recurrent_family/in/0.npy`,
  ],
};

/** Keras JSON seeds: every single-layer model, the guide's models, Keras 2 configs, the Lambda seed. */
function jsonSeeds(): string[] {
  const cases = (set: string) =>
    existsSync(join(KERAS3, set))
      ? readdirSync(join(KERAS3, set))
          .sort()
          .map((c) => join(KERAS3, set, c, "model.json"))
      : [];
  return [
    ...cases("layers"),
    ...cases("seed").filter((p) => !p.includes("ticket_classifier")),
    `${REAL}/fastmachinelearning+example-models/keras/KERAS_3layer.json`,
    `${REAL}/fastmachinelearning+example-models/keras/KERAS_conv1d_small.json`,
    `${REAL}/fastmachinelearning+example-models/keras/KERAS_conv2d_model.json`,
    `${REAL}/Kimtuthap97+Stochastics-Process/model_architecture.json`,
    `${SEEDS}/lambda/model.json`,
    `${SEEDS}/lambda-keras2/model.json`,
  ].filter((p) => existsSync(p));
}

const cache = new Map<FuzzFormat, FuzzCase[]>();

/** The unmutated cases of a format (read once per process). */
export function seedCases(format: FuzzFormat): FuzzCase[] {
  let cases = cache.get(format);
  if (!cases) {
    const paths = format === "json" ? jsonSeeds() : SEED_FILES[format].filter((p) => existsSync(p));
    cases = paths.map((p) => seedCase(format, p));
    if (!cases.length) throw new Error(`fuzz: no seed files for ${format} (is fixtures/ there?)`);
    cache.set(format, cases);
  }
  return cases;
}

function seedCase(format: FuzzFormat, path: string): FuzzCase {
  const main = basename(path);
  const files: Record<string, Uint8Array> = { [main]: new Uint8Array(readFileSync(path)) };
  if (format === "tfjs") {
    const manifest = JSON.parse(readFileSync(path, "utf8")).weightsManifest as { paths: string[] }[];
    for (const shard of manifest.flatMap((g) => g.paths)) {
      files[shard] = new Uint8Array(readFileSync(join(dirname(path), shard)));
    }
  }
  return { format, main, files };
}
