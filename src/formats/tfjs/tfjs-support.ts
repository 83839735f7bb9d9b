import type { Graph, Layer } from "../../ir/graph.js";
import { isRecord } from "../model-json.js";

/**
 * The layer classes tfjs-layers 4.22 deserializes (its SerializationMap, minus initializers, constraints,
 * regularizers, optimizers and activations; its "Identity" is the initializer). test/formats/tfjs.test.ts
 * keeps this list equal to tfjs-layers' own.
 */
export const TFJS_LAYER_CLASSES: ReadonlySet<string> = new Set([
  "Activation", "Add", "AlphaDropout", "Average", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
  "BatchNormalization", "Bidirectional", "CategoryEncoding", "CenterCrop", "Concatenate", "Conv1D", "Conv2D",
  "Conv2DTranspose", "Conv3D", "Conv3DTranspose", "ConvLSTM2D", "ConvLSTM2DCell", "Cropping2D", "Dense",
  "DepthwiseConv2D", "Dot", "Dropout", "ELU", "Embedding", "Flatten", "Functional", "GRU", "GRUCell",
  "GaussianDropout", "GaussianNoise", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D",
  "GlobalMaxPooling2D", "InputLayer", "LSTM", "LSTMCell", "LayerNormalization", "LeakyReLU", "Masking",
  "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "Maximum", "Minimum", "Model", "Multiply", "PReLU", "Permute",
  "RNN", "RandomWidth", "ReLU", "RepeatVector", "Rescaling", "Reshape", "Resizing", "SeparableConv2D", "Sequential",
  "SimpleRNN", "SimpleRNNCell", "Softmax", "SpatialDropout1D", "StackedRNNCells", "ThresholdedReLU",
  "TimeDistributed", "UpSampling2D", "ZeroPadding2D",
]); // prettier-ignore

/**
 * Layer classes registered with tfjs-layers at run time (the Functional API's custom layers, whose
 * tfjs-layers adapter calls the class's own `call`), accepted besides tfjs-layers' own.
 */
const registeredClasses = new Set<string>();

/** Lets `tfjsGaps` accept a layer class that was registered with tfjs-layers' serialization. */
export function allowTfjsLayerClass(className: string): void {
  registeredClasses.add(className);
}

/** Activation names tfjs-layers resolves (after the Keras-name translations of `tfjsActivationName`). */
export const TFJS_ACTIVATIONS: ReadonlySet<string> = new Set([
  "elu", "gelu", "hard_sigmoid", "linear", "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid", "softmax",
  "softplus", "softsign", "swish", "tanh",
]); // prettier-ignore

/** Keras 3 calls swish `silu`; tfjs-layers knows only the older name. */
export function tfjsActivationName(name: string): string {
  return name === "silu" ? "swish" : name;
}

/** Rank of a layer's first input at its first call (null when unknown). */
function inputRank(layer: Layer): number | null {
  return layer.calls[0]?.inputs[0]?.shape.length ?? null;
}

/** Layers tfjs-layers has but cannot run in some configurations, with the reason. */
const LIMITS: Record<string, (layer: Layer) => string | null> = {
  GRU: (l) => (l.config.reset_after === false ? null : "tfjs-layers' GRU has no reset_after=True (Keras's default)"),
  Flatten: (l) =>
    inputRank(l) === 2 ? "tfjs-layers' Flatten needs an input of rank 3 or more. Received: rank 2" : null,
  Conv1D: (l) => (l.config.padding === "causal" ? "tfjs-layers' Conv1D has no causal padding" : null),
  CenterCrop: (l) =>
    inputRank(l) === 3 ? "tfjs-layers' CenterCrop fails on unbatched (rank 3) input. Received: rank 3" : null,
  // tfjs-layers 4.22's Resizing.call passes its input list to image.resizeBilinear (a RangeError in any model),
  // its computeOutputShape is always (height, width, input_shape[2]), and it samples with align_corners =
  // !crop_to_aspect_ratio.
  Resizing: () =>
    "tfjs-layers' Resizing cannot run inside a model (its call passes the input list to resizeBilinear) " +
    "and does not sample as Keras does (align_corners instead of half-pixel centers)",
};

/** A layer tfjs-layers cannot build, and why. */
export interface TfjsGap {
  /** The layer's path from the model (`encoder/conv2d`). */
  layer: string;
  className: string;
  reason: string;
}

/**
 * Every layer of the graph (nested models, wrapped layers and RNN cells included) that tfjs-layers has no
 * class for, or whose activation it does not know. An empty list means tfjs can build the model.
 * `extraClasses`: classes registered with tfjs-layers besides its own (kerasgraph's executor adds some).
 */
export function tfjsGaps(graph: Graph, prefix = "", extraClasses: ReadonlySet<string> = new Set()): TfjsGap[] {
  const gaps: TfjsGap[] = [];
  for (const layer of graph.uniqueLayers()) {
    const path = prefix + layer.name;
    if (layer.subgraph) {
      gaps.push(...tfjsGaps(layer.subgraph, `${path}/`, extraClasses));
      continue;
    }
    if (
      layer.isOperation ||
      !(
        TFJS_LAYER_CLASSES.has(layer.className) ||
        registeredClasses.has(layer.className) ||
        extraClasses.has(layer.className)
      )
    ) {
      const what = layer.isOperation ? "a Keras 3 operation" : "a layer class";
      gaps.push({ layer: path, className: layer.className, reason: `${what} tfjs-layers does not have` });
      continue;
    }
    const limit = LIMITS[layer.className]?.(layer);
    if (limit) gaps.push({ layer: path, className: layer.className, reason: limit });
    gaps.push(...configGaps(layer, path));
  }
  return gaps;
}

/** Nested layer configs (Bidirectional/TimeDistributed `layer`, RNN `cell`) and activations in a config. */
function configGaps(layer: Layer, path: string): TfjsGap[] {
  const gaps: TfjsGap[] = [];
  const visit = (config: Record<string, unknown>, where: string) => {
    for (const key of ["activation", "recurrent_activation"]) {
      const value = config[key];
      const name =
        typeof value === "string" ? value : isRecord(value) && typeof value.config === "string" ? value.config : null;
      if (name !== null && !TFJS_ACTIVATIONS.has(tfjsActivationName(name))) {
        gaps.push({
          layer: path,
          className: layer.className,
          reason: `${where}${key} '${name}' is not a tfjs-layers activation`,
        });
      }
    }
    for (const key of ["layer", "cell", "backward_layer"]) {
      const inner = config[key];
      const cells = Array.isArray(inner) ? inner : [inner];
      for (const c of cells) {
        if (!isRecord(c) || typeof c.class_name !== "string") continue;
        const cellLimit =
          c.class_name === "GRU" || c.class_name === "GRUCell"
            ? isRecord(c.config) && c.config.reset_after !== false
            : false;
        if (cellLimit)
          gaps.push({
            layer: path,
            className: layer.className,
            reason: `its ${key} is a GRU with reset_after=True, which tfjs-layers lacks`,
          });
        if (!TFJS_LAYER_CLASSES.has(c.class_name)) {
          gaps.push({
            layer: path,
            className: layer.className,
            reason: `its ${key} is a ${c.class_name}, which tfjs-layers does not have`,
          });
        } else if (isRecord(c.config)) visit(c.config, `${key}.`);
      }
    }
  };
  visit(layer.config, "");
  return gaps;
}

/** `dense_1 (Foo): reason; ...` for messages. */
export function describeGaps(gaps: TfjsGap[]): string {
  return gaps.map((g) => `${g.layer} (${g.className}): ${g.reason}`).join("; ");
}
