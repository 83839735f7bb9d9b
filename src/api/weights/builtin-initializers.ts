import type { Layer, WeightSpec } from "../../ir/graph.js";
import { WeightData } from "../../ir/weights.js";
import { type InitializerJson, initialValues } from "./initial-values.js";

type Config = Record<string, unknown>;

/** The config key holding the initializer of a weight named `leaf`, besides `<leaf>_initializer`. */
const INITIALIZER_KEYS: Record<string, string[]> = {
  kernel: ["kernel_initializer", "depthwise_initializer"],
  recurrent_kernel: ["recurrent_initializer"],
  depthwise_kernel: ["depthwise_initializer"],
  pointwise_kernel: ["pointwise_initializer"],
};

/** What Keras falls back to where a layer names no initializer for a weight. */
const FALLBACK: Record<string, string> = {
  bias: "Zeros",
  beta: "Zeros",
  moving_mean: "Zeros",
  gamma: "Ones",
  moving_variance: "Ones",
  count: "Zeros",
};

const isInit = (v: unknown): v is InitializerJson =>
  !!v && typeof v === "object" && typeof (v as InitializerJson).class_name === "string";

/** The config a weight path belongs to: a wrapper's `layer` / `backward_layer` for `forward_*` / `backward_*` paths. */
function ownerConfig(config: Config, path: string[]): Config {
  const inner = (key: string) => ((config[key] as Config | undefined)?.config as Config | undefined) ?? config;
  if (path.length > 1 && path[0]!.startsWith("backward_") && config.backward_layer) return inner("backward_layer");
  if (path.length > 1 && config.layer) return inner("layer");
  return config;
}

/**
 * The initializer Keras's `build` gives a built-in layer's weight: the config's `<name>_initializer`
 * (`recurrent_initializer` for `recurrent_kernel`, ...), looked up in the wrapped layer's config for
 * wrappers, else Keras's fixed choice (zeros for biases, ones for scales).
 */
export function weightInitializer(layer: Layer, weight: WeightSpec): InitializerJson {
  const path = weight.name.split("/");
  const leaf = path.at(-1)!;
  const config = ownerConfig(layer.config, path);
  for (const key of [`${leaf}_initializer`, ...(INITIALIZER_KEYS[leaf] ?? [])]) {
    const v = config[key];
    if (isInit(v)) return v;
  }
  return { class_name: FALLBACK[leaf] ?? "GlorotUniform", config: {} };
}

/**
 * Fresh values for a weight, made on first use from a fixed seed (so dropping and reloading them gives
 * the same numbers). LSTM's `unit_forget_bias` sets the forget gate's bias to one, as Keras does.
 */
export function initialWeightData(layer: Layer, weight: WeightSpec, seed: number): WeightData {
  const where = `${layer.className} '${layer.name}' weight '${weight.name}'`;
  const init = weightInitializer(layer, weight);
  return new WeightData(weight.dtype, [...weight.shape], () => {
    const values = initialValues(init, weight.shape, seed, where);
    const config = ownerConfig(layer.config, weight.name.split("/"));
    if (weight.name.endsWith("bias") && config.unit_forget_bias === true && weight.shape.length === 1) {
      const units = weight.shape[0]! / 4;
      values.fill(1, units, 2 * units);
    }
    return weight.dtype === "float32" || !weight.dtype.startsWith("int") ? values : Int32Array.from(values);
  });
}
