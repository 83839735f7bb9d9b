import type { DType, TensorSpec } from "../../ir/graph.js";
import type { Dim } from "../../ir/shape.js";
import { canonicalizeAxis, reduceShape } from "../ops/define-op.js";
import { type TfCall, type TfRule, tfShape } from "./tf-call.js";
import { unary } from "./tf-math.js";

/*
 * tf.nn and tf.image functions as tf.keras 2 recorded them (`tf.nn.relu(x)`, `tf.nn.softmax(x, axis=1)`,
 * `tf.image.resize(x, (64, 64))`), and the tf.keras activations, which dispatch the same way. Activations
 * keep the input's shape and dtype; pooling and convolution shapes come from Keras 3's MaxPool and Conv.
 */

const keep = unary();
const floatKeep = unary({ float: true });

/** `softmax(logits, axis=None)`: the axis (-1 by default) must exist. */
const softmaxLike: TfRule = (call) => {
  const x = floatKeep(call) as TensorSpec;
  if (call.given(1, "axis")) canonicalizeAxis(call.ctx, call.int(1, "axis"), x.shape.length);
  return x;
};

/** `crelu(features, axis=-1)`: relu of x and -x concatenated along `axis`. */
const crelu: TfRule = (call) => {
  const x = call.tensor(0, "features");
  const axis = canonicalizeAxis(call.ctx, call.int(1, "axis", -1), x.shape.length);
  return { shape: x.shape.map((d, i) => (i === axis && d !== null ? 2 * d : d)), dtype: x.dtype };
};

/** `bias_add(value, bias, data_format=None)`: a 1-D bias as long as the channel dim. */
const biasAdd: TfRule = (call) => {
  const [value, bias] = call.operands([0, "value"], [1, "bias"]);
  const first = String(call.opt(2, "data_format", "")).startsWith("NC");
  const channels = first ? value!.shape[1] : value!.shape.at(-1);
  if (bias!.shape.length !== 1) call.fail(`Shape must be rank 1 but is rank ${bias!.shape.length} for \`bias\`.`);
  if (channels !== null && channels !== undefined && bias!.shape[0] !== null && bias!.shape[0] !== channels) {
    call.fail(
      `Dimensions must be equal, but are ${channels} and ${bias!.shape[0]} for \`value\` ${tfShape(value!.shape)} and \`bias\` ${tfShape(bias!.shape)}.`,
    );
  }
  return { shape: value!.shape, dtype: value!.dtype };
};

/** `moments(x, axes, shift=None, keepdims=False)`: mean and variance. */
const moments: TfRule = (call) => {
  const x = call.tensor(0, "x");
  const axes = call.ints(1, "axes");
  if (axes === "unknown") return call.fail("`axes` must be a list of integers.");
  const shape = reduceShape(call.ctx, x.shape, axes, call.bool(3, "keepdims", false));
  return [
    { shape, dtype: x.dtype },
    { shape, dtype: x.dtype },
  ];
};

/** `sigmoid_cross_entropy_with_logits(labels, logits)`: labels and logits of one shape. */
const sigmoidCrossEntropy: TfRule = (call) => {
  const [labels, logits] = call.operands([0, "labels"], [1, "logits"]);
  const ok =
    labels!.shape.length === logits!.shape.length &&
    labels!.shape.every((d, i) => d === null || logits!.shape[i] === null || d === logits!.shape[i]);
  if (!ok)
    call.fail(`logits and labels must have the same shape (${tfShape(logits!.shape)} vs ${tfShape(labels!.shape)})`);
  return { shape: logits!.shape.map((d, i) => d ?? labels!.shape[i]!), dtype: logits!.dtype };
};

/** `softmax_cross_entropy_with_logits(labels, logits, axis=-1)`: the class axis is reduced. */
const softmaxCrossEntropy: TfRule = (call) => {
  const logits = call.tensor(1, "logits");
  const axis = canonicalizeAxis(call.ctx, call.int(2, "axis", -1), logits.shape.length);
  return { shape: logits.shape.filter((_, i) => i !== axis), dtype: logits.dtype };
};

/** `sparse_softmax_cross_entropy_with_logits(labels, logits)`: labels' shape, logits one rank more. */
const sparseSoftmaxCrossEntropy: TfRule = (call) => {
  const labels = call.operand(0, "labels", "int32");
  const logits = call.tensor(1, "logits");
  if (logits.shape.length !== labels.shape.length + 1) {
    call.fail(
      `Rank mismatch: Rank of labels (received ${labels.shape.length}) should equal rank of logits minus 1 (received ${logits.shape.length}).`,
    );
  }
  return { shape: labels.shape.map((d, i) => d ?? logits.shape[i]!), dtype: logits.dtype };
};

/** "NHWC"/"NCHW"/"NWC"/... (None: channels last). */
const dataFormat = (call: TfCall, position: number): "channels_last" | "channels_first" =>
  String(call.opt(position, "data_format", null) ?? "NHWC").startsWith("NC") ? "channels_first" : "channels_last";

/** TensorFlow's `ksize`/`strides`/`dilations`: an int, one per spatial dim, or one per dim (N, ..., C). */
function spatial(
  call: TfCall,
  name: string,
  position: number,
  rank: number,
  first: boolean,
  dflt: number | null,
): number[] | null {
  const v = call.opt(position, name, dflt);
  if (v === null) return null;
  const n = rank - 2;
  const list =
    typeof v === "number" ? [v] : Array.isArray(v) && v.every((d) => typeof d === "number") ? (v as number[]) : null;
  if (list === null)
    return call.fail(`expects \`${name}\` to be an int or a list of ints. Received: ${JSON.stringify(v)}`);
  if (list.length === 1) return Array<number>(n).fill(list[0]!);
  if (list.length === n) return list;
  if (list.length === rank) return first ? list.slice(2) : list.slice(1, -1);
  return call.fail(`\`${name}\` should be of length 1, ${n} or ${rank}. Received: ${name}=${JSON.stringify(v)}`);
}

/** A padding string; explicit paddings are not supported. */
function padding(call: TfCall, position: number): string {
  const p = call.raw(position, "padding");
  if (typeof p !== "string")
    return call.fail(
      `explicit paddings are not supported; expects "VALID" or "SAME". Received: padding=${JSON.stringify(p)}`,
    );
  return p.toLowerCase();
}

/** `max_pool2d(input, ksize, strides, padding, data_format="NHWC")` and its kin, via Keras's MaxPool/AveragePool. */
function pool(op: "MaxPool" | "AveragePool", spatialRank: number | null): TfRule {
  return (call) => {
    const x = call.tensor(0, "input");
    if (spatialRank !== null && x.shape.length !== spatialRank + 2) {
      call.fail(`expects a ${spatialRank + 2}-D input. Received: shape ${tfShape(x.shape)}`);
    }
    const f = dataFormat(call, 4);
    const first = f === "channels_first";
    return call.keras1("nn", op, [x], {
      pool_size: spatial(call, "ksize", 1, x.shape.length, first, null),
      strides: spatial(call, "strides", 2, x.shape.length, first, null),
      padding: padding(call, 3),
      data_format: f,
    });
  };
}

/** `conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None)` and kin, via Keras's Conv. */
function conv(op: "Conv" | "DepthwiseConv", strideName = "strides"): TfRule {
  return (call) => {
    const x = call.tensor(0, "input");
    const k = call.operand(1, op === "Conv" ? "filters" : "filter", x.dtype);
    const f = dataFormat(call, 4);
    const first = f === "channels_first";
    const out = call.keras1("nn", op, [x, k], {
      strides: spatial(call, strideName, 2, x.shape.length, first, 1),
      padding: padding(call, 3),
      data_format: f,
      dilation_rate: spatial(call, "dilations", 5, x.shape.length, first, 1),
    });
    return { shape: out.shape, dtype: x.dtype };
  };
}

/** `depth_to_space` / `space_to_depth(input, block_size, data_format="NHWC")`: Keras's ops. */
const rearrange =
  (op: "DepthToSpace" | "SpaceToDepth"): TfRule =>
  (call) =>
    call.keras1("nn", op, [call.tensor(0, "input")], {
      block_size: call.int(1, "block_size"),
      data_format: dataFormat(call, 2),
    });

/**
 * `image.resize(images, size, method="bilinear", preserve_aspect_ratio=False, antialias=False)`: float32
 * except for nearest-neighbour resizing, which keeps the dtype.
 */
function resize(nearest: (call: TfCall) => boolean): TfRule {
  return (call) => {
    const x = call.tensor(0, "images");
    const size = call.ints(1, "size");
    const dtype: DType = nearest(call) ? x.dtype : "float32";
    if (x.shape.length !== 3 && x.shape.length !== 4)
      call.fail(`'images' must have either 3 or 4 dimensions. Received: shape ${tfShape(x.shape)}`);
    const [h, w] = x.shape.length === 4 ? [1, 2] : [0, 1];
    let target: Dim[] =
      size === "unknown"
        ? [null, null]
        : Array.isArray(size) && size.length === 2
          ? size
          : call.fail(
              `\`size\` must be a 1-D int32 Tensor of 2 elements: new_height, new_width. Received: size=${JSON.stringify(call.raw(1, "size"))}`,
            );
    if (call.opt(3, "preserve_aspect_ratio", false) === true) {
      const [H, W] = [x.shape[h]!, x.shape[w]!];
      if (H === null || W === null || target.includes(null)) target = [null, null];
      else {
        const scale = Math.min(target[0]! / H, target[1]! / W);
        target = [Math.round(scale * H), Math.round(scale * W)];
      }
    }
    const shape = [...x.shape];
    [shape[h], shape[w]] = target as [Dim, Dim];
    return { shape, dtype };
  };
}
const isNearest = (v: unknown) => v === "nearest" || v === 1;

const ACTIVATIONS = [
  "relu",
  "sigmoid",
  "tanh",
  "softmax",
  "swish",
  "silu",
  "gelu",
  "elu",
  "selu",
  "softplus",
  "softsign",
  "hard_sigmoid",
  "linear",
  "exponential",
  "relu6",
  "mish",
];

export const nnFunctions: Record<string, TfRule> = {
  "nn.relu": keep,
  "nn.relu6": keep,
  "nn.leaky_relu": keep,
  "nn.crelu": crelu,
  "nn.elu": floatKeep,
  "nn.selu": floatKeep,
  "nn.gelu": floatKeep,
  "nn.silu": floatKeep,
  "nn.swish": floatKeep,
  "nn.sigmoid": floatKeep,
  "nn.tanh": floatKeep,
  "nn.softplus": floatKeep,
  "nn.softsign": floatKeep,
  "nn.softmax": softmaxLike,
  "math.softmax": softmaxLike,
  "nn.log_softmax": softmaxLike,
  "math.log_softmax": softmaxLike,
  "nn.bias_add": biasAdd,
  "nn.dropout": keep,
  "nn.moments": moments,
  "nn.sigmoid_cross_entropy_with_logits": sigmoidCrossEntropy,
  "nn.softmax_cross_entropy_with_logits": softmaxCrossEntropy,
  "nn.sparse_softmax_cross_entropy_with_logits": sparseSoftmaxCrossEntropy,
  "nn.max_pool": pool("MaxPool", null),
  "nn.max_pool1d": pool("MaxPool", 1),
  "nn.max_pool2d": pool("MaxPool", 2),
  "nn.max_pool3d": pool("MaxPool", 3),
  "nn.avg_pool": pool("AveragePool", null),
  "nn.avg_pool1d": pool("AveragePool", 1),
  "nn.avg_pool2d": pool("AveragePool", 2),
  "nn.avg_pool3d": pool("AveragePool", 3),
  "nn.conv1d": conv("Conv", "stride"),
  "nn.conv2d": conv("Conv"),
  "nn.conv3d": conv("Conv"),
  "nn.convolution": conv("Conv"),
  "nn.depthwise_conv2d": conv("DepthwiseConv"),
  "nn.depth_to_space": rearrange("DepthToSpace"),
  "nn.space_to_depth": rearrange("SpaceToDepth"),
  "image.resize": resize((call) => isNearest(call.opt(2, "method", "bilinear"))),
  "compat.v1.image.resize": resize((call) => isNearest(call.opt(2, "method", 0))),
  "compat.v1.image.resize_bilinear": resize(() => false),
  "compat.v1.image.resize_nearest_neighbor": resize(() => true),
  // tf.keras activations carry dispatch support too; they are named in the Keras API.
  ...Object.fromEntries(
    ACTIVATIONS.map((a) => [`keras.activations.${a}`, a === "softmax" ? softmaxLike : keep] as [string, TfRule]),
  ),
};
