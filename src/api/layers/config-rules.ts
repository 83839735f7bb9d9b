import type { Shape } from "../../ir/shape.js";

type Config = Record<string, unknown>;

/**
 * What a Keras layer class's `__init__` (and, for a few, `build`) does to its arguments before
 * `get_config` writes them, beyond the rules every layer shares (see layer-config.ts). Keyed by Keras
 * class name; each rule cites the Keras code it follows.
 */
export interface ConfigRule {
  /** Rewrites arguments as `__init__` stores them. */
  init?(config: Config, rank: number | null): void;
  /** Rewrites the config as `build` leaves it, given the first call's input shapes. */
  built?(config: Config, inputs: Shape[]): void;
}

/** Keras's `standardize_tuple(value, n)`: an int becomes n copies; lists are kept. */
export function asTuple(value: unknown, n: number): unknown {
  return typeof value === "number" ? Array<number>(n).fill(value) : Array.isArray(value) ? [...value] : value;
}

/** Cropping/ZeroPadding's `((a, a), (b, b))` from an int, a tuple of ints, or pairs. */
function pairs(value: unknown, n: number): unknown {
  if (typeof value === "number") return n === 1 ? [value, value] : Array.from({ length: n }, () => [value, value]);
  if (Array.isArray(value) && n === 1 && value.length === 2 && value.every((v) => typeof v === "number"))
    return [...value];
  if (Array.isArray(value)) return value.map((v) => (typeof v === "number" ? [v, v] : v));
  return value;
}

/** `strides=None` means `pool_size` (keras/src/layers/pooling/base_pooling.py). */
const pooling: ConfigRule = {
  init(c, rank) {
    c.pool_size = asTuple(c.pool_size, rank ?? 1);
    c.strides = c.strides === null || c.strides === undefined ? c.pool_size : asTuple(c.strides, rank ?? 1);
  },
};

/** `padding`/`cropping` as one pair per spatial axis (zero_padding*.py, cropping*.py). */
const padLike = (key: string): ConfigRule => ({
  init(c, rank) {
    c[key] = pairs(c[key], rank ?? 1);
  },
});

/** `output_size` as a tuple (keras/src/layers/pooling/base_adaptive_pooling.py). */
const adaptive: ConfigRule = {
  init(c, rank) {
    c.output_size = asTuple(c.output_size, rank ?? 1);
  },
};

/** LayerNormalization's `build` sorts its axes, made non-negative (`canonicalize_axes`). */
const layerNormalization: ConfigRule = {
  init(c) {
    if (Array.isArray(c.axis)) c.axis = [...c.axis];
  },
  built(c, [shape]) {
    if (!shape) return;
    const axes = (Array.isArray(c.axis) ? c.axis : [c.axis]) as number[];
    c.axis = axes.map((a) => (a < 0 ? a + shape.length : a)).sort((a, b) => a - b);
  },
};

/** Bidirectional's `__init__` recreates the wrapped layer as `forward_*` and `backward_*` (bidirectional.py). */
const bidirectional: ConfigRule = {
  init(c) {
    const layer = c.layer as { config: Config } | undefined;
    if (!layer?.config) return;
    const strip = (name: unknown, prefix: string) =>
      typeof name === "string" && name.startsWith(prefix) ? name.slice(prefix.length) : name;
    const forward = structuredClone(layer);
    forward.config.name = `forward_${String(strip(layer.config.name, "forward_"))}`;
    let backward = c.backward_layer as { config: Config } | null | undefined;
    if (!backward) {
      backward = structuredClone(layer);
      backward.config.go_backwards = true;
      backward.config.name = `backward_${String(strip(layer.config.name, "backward_"))}`;
    }
    for (const l of [forward, backward]) {
      if (l.config.zero_output_for_mask !== undefined) l.config.zero_output_for_mask = l.config.return_sequences;
    }
    c.layer = forward;
    c.backward_layer = backward;
  },
  built(c, [shape]) {
    for (const key of ["layer", "backward_layer"]) {
      const l = c[key] as Config | undefined;
      if (l && shape) l.build_config = { input_shape: [...shape] };
    }
  },
};

/** TimeDistributed builds its layer on the input without the time axis. */
const timeDistributed: ConfigRule = {
  built(c, [shape]) {
    const l = c.layer as Config | undefined;
    if (l && shape) l.build_config = { input_shape: [shape[0] ?? null, ...shape.slice(2)] };
  },
};

/** MultiHeadAttention's `value_dim=None` is `key_dim` (multi_head_attention.py `__init__`). */
const multiHeadAttention: ConfigRule = {
  init(c) {
    if (c.value_dim === null || c.value_dim === undefined) c.value_dim = c.key_dim;
  },
};

/** SpatialDropout's `get_config` writes rate, seed, name and the dtype *name*, without `trainable` (spatial_dropout.py). */
const spatialDropout: ConfigRule = {
  init(c) {
    delete c.trainable;
    const policy = c.dtype as { config?: { name?: unknown } } | undefined;
    if (policy?.config?.name !== undefined) c.dtype = policy.config.name;
  },
};

/**
 * Arguments `__init__` keeps but `get_config` does not write (max_num_bounding_box.py drops `fill_value`,
 * random_grayscale.py `seed`): left out at Keras's default, as Keras writes the config. A value given
 * otherwise is kept, so the layer does what was asked and Keras's `from_config` still takes it (Keras's
 * own save would lose it).
 */
const unwrittenAtDefault = (defaults: Config): ConfigRule => ({
  init(c) {
    for (const [key, value] of Object.entries(defaults)) if (c[key] === value) delete c[key];
  },
});

const byClass: Record<string, ConfigRule> = {
  Bidirectional: bidirectional,
  TimeDistributed: timeDistributed,
  LayerNormalization: layerNormalization,
  MultiHeadAttention: multiHeadAttention,
  MaxNumBoundingBoxes: unwrittenAtDefault({ fill_value: -1 }),
  RandomGrayscale: unwrittenAtDefault({ seed: null }),
};
for (const d of [1, 2, 3]) {
  for (const p of ["MaxPooling", "AveragePooling"]) byClass[`${p}${d}D`] = pooling;
  for (const p of ["AdaptiveMaxPooling", "AdaptiveAveragePooling"]) byClass[`${p}${d}D`] = adaptive;
  byClass[`ZeroPadding${d}D`] = padLike("padding");
  byClass[`Cropping${d}D`] = padLike("cropping");
  byClass[`SpatialDropout${d}D`] = spatialDropout;
}

export function configRule(className: string): ConfigRule | undefined {
  return byClass[className];
}
