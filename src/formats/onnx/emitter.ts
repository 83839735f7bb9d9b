import type { LayerConfig } from "../../ir/config.js";
import { FormatError, UnsupportedLayerError } from "../../ir/errors.js";
import type { ArgTree, DType, Layer, TensorSpec } from "../../ir/graph.js";
import type { Shape } from "../../ir/shape.js";
import type { WeightData } from "../../ir/weights.js";
import type { OnnxBuilder } from "./builder.js";

/** A value of the ONNX graph standing for a Keras tensor: its name, and the Keras shape and dtype. */
export interface Val {
  name: string;
  shape: Shape;
  dtype: DType;
  /** A Keras mask riding along (bool, (batch, time)), as Keras attaches `_keras_mask`. */
  mask?: string | null;
}

/** What an emitter sees: one call of one layer, its config (with Keras's defaults) and its weights. */
export interface EmitContext {
  readonly g: OnnxBuilder;
  readonly layer: Layer;
  readonly config: LayerConfig;
  /** Every input tensor of the call, flattened in argument order (positional first). */
  readonly inputs: Val[];
  readonly args: ArgTree<Val>[];
  readonly kwargs: Record<string, ArgTree<Val>>;
  /** Keras's output specs of this call (shapes with None for unknown dims). */
  readonly outputs: TensorSpec[];
  /** `Dense 'dense_1'`, as messages name the layer. */
  readonly where: string;
  readonly opset: number;
  /** A weight's values by WeightSpec name (`kernel`), or by its last path parts (`lstm_cell/kernel`). */
  weight(name: string): WeightData;
  hasWeight(name: string): boolean;
  /**
   * An initializer made once per layer (a shared layer's calls reuse it) from `make`, which reshapes or
   * reorders weights into the ONNX op's layout. Float weights are stored as float32.
   */
  param(key: string, make: () => { dims: number[]; data: Float32Array | BigInt64Array | Int32Array }): string;
  /**
   * A weight as an initializer made once per layer (like `param`), read as stored or transposed by
   * `perm` and reshaped to `dims`: its values are laid out when the model is written, one weight at a
   * time, so exporting a large model does not hold a second copy of its weights.
   */
  weightParam(key: string, weight: string, layout?: { perm?: number[]; dims?: number[] }): string;
  /** Emits a layer serialized inside this one (TimeDistributed's `layer`) on the given inputs. */
  inner(serialized: unknown, inputs: Val[], weightPrefix: string): string[];
  /** Sets output i's Keras mask (a bool (batch, time) value), or null to drop it. */
  setOutputMask(index: number, mask: string | null): void;
  /** Throws UnsupportedLayerError naming the layer and what it cannot translate. */
  unsupported(detail: string): never;
}

/** Translates one call of a layer into ONNX nodes; returns one value name per Keras output. */
export type Emitter = (ctx: EmitContext) => string[];

/**
 * Emitters by Keras class name (torch_lib-style: each registered under the name it translates). A
 * user's custom layer needs its own emitter: `registerEmitter("MyLayer", (ctx) => [...])`.
 */
export class EmitterRegistry {
  private readonly emitters = new Map<string, Emitter>();

  constructor(private readonly parent?: EmitterRegistry) {}

  register(classNames: string | string[], emitter: Emitter): void {
    for (const c of typeof classNames === "string" ? [classNames] : classNames) this.emitters.set(c, emitter);
  }

  registerAll(table: Record<string, Emitter>): void {
    for (const [c, e] of Object.entries(table)) this.register(c, e);
  }

  get(className: string): Emitter | undefined {
    return this.emitters.get(className) ?? this.parent?.get(className);
  }

  classNames(): string[] {
    return [...new Set([...(this.parent?.classNames() ?? []), ...this.emitters.keys()])].sort();
  }

  /** A child registry: emitters registered on it do not leak into this one. */
  extend(): EmitterRegistry {
    return new EmitterRegistry(this);
  }
}

/** The emitters every export uses unless given another registry; filled by emitters/index.ts. */
export const defaultEmitters = new EmitterRegistry();

/** Registers an emitter for a (custom) layer class in the default registry. */
export function registerEmitter(className: string | string[], emitter: Emitter): void {
  defaultEmitters.register(className, emitter);
}

/** The message of a layer that has no emitter, naming how to add one. */
export function noEmitterError(classNames: string[], where: string[]): UnsupportedLayerError {
  const list = classNames.map((c) => `'${c}'`).join(", ");
  return new UnsupportedLayerError(
    classNames[0]!,
    `cannot export to ONNX: no emitter for layer class ${list} (used by ${where.slice(0, 6).join(", ")}` +
      `${where.length > 6 ? `, and ${where.length - 6} more` : ""}). ` +
      `Register one with registerEmitter("${classNames[0]}", (ctx) => [...]) from kerasgraph's ONNX API.`,
  );
}

/** Finds a weight by exact name or by its trailing path parts; FormatError when absent or ambiguous. */
export function findWeight(layer: Layer, name: string, where: string): WeightData {
  const exact = layer.values.get(name);
  if (exact) return exact;
  const hits = [...layer.values.keys()].filter((k) => k.endsWith(`/${name}`));
  if (hits.length === 1) return layer.values.get(hits[0]!)!;
  const known = [...layer.values.keys()];
  if (hits.length > 1) {
    throw new FormatError(`${where}: weight '${name}' is ambiguous among ${hits.join(", ")}.`);
  }
  throw new FormatError(
    `${where}: has no values for weight '${name}'` +
      (known.length ? ` (it has: ${known.join(", ")})` : "") +
      `. Read the model from a file with weights (.keras, .h5, TF.js) or set layer.values before exporting.`,
  );
}
