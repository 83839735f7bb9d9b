import { UnsupportedLayerError } from "../../../../ir/errors.js";
import { NodeReader } from "../attrs.js";
import type { Const } from "../const.js";
import type { Dim, ImportGraph, Node, Value } from "../graph.js";
import { CHANNELS_LAST } from "../passes/sink-transposes.js";

/** A weight for a Keras layer: values in Keras's layout (C order) and their shape. */
export interface WeightValues {
  shape: number[];
  data: Float32Array;
}

/**
 * One Keras layer call a mapper asks for. `inputs` are value names (the ONNX graph's, or ones an
 * earlier spec of the same mapper made with `ctx.temp`); `outputs` name the values the call's outputs
 * become ("" for an output nobody reads).
 */
export interface LayerSpec {
  className: string;
  config: Record<string, unknown>;
  inputs: string[];
  /**
   * "list": the inputs go as one list argument (merge layers); "single" (default): one tensor;
   * "positional": each of `operands` (else `inputs`) is its own positional argument (operations).
   */
  args?: "single" | "list" | "positional";
  /** An operation's positional operands: value names, or numbers that stand for Python scalars. */
  operands?: (string | number)[];
  /** Set for a Keras 3 operation (`keras.src.ops.numpy`...) rather than a layer: its module. */
  module?: string;
  /** Keyword tensors, e.g. `initial_state` for recurrent layers. */
  kwargs?: Record<string, string[]>;
  outputs: string[];
  /**
   * Weight values by name: a spec weight matches `kernel` when its name is `kernel` or ends in
   * `/kernel`; `forward/kernel` also needs the first path part to start with `forward`.
   */
  weights?: Record<string, WeightValues>;
}

/** What a mapper sees: the node, typed attribute reads, shapes and constants, and the layout it runs in. */
export class MapContext extends NodeReader {
  private temps = 0;

  constructor(graph: ImportGraph, node: Node) {
    super(graph, node);
  }

  /** Input / output i's value (shape, dtype). */
  in(i: number): Value {
    return this.graph.value(this.input(i));
  }

  out(i = 0): Value {
    return this.graph.value(this.node.outputs[i]!);
  }

  /** Input i's shape, which must be known. */
  shape(i: number): Dim[] {
    const s = this.in(i).shape;
    if (!s) return this.unsupported(`the shape of input ${i} ('${this.input(i)}') is unknown`);
    return s;
  }

  /** Input i's constant value (a weight); throws UnsupportedLayerError when it is computed at run time. */
  weight(i: number, what: string): Const {
    return this.constInput(i, what) ?? this.unsupported(`has no ${what} (input ${i} is absent)`);
  }

  /** True when a channels-first op was turned channels_last by the layout pass. */
  get channelsLast(): boolean {
    return this.node.attrs[CHANNELS_LAST] === 1;
  }

  get dataFormat(): "channels_last" | "channels_first" {
    return this.channelsLast ? "channels_last" : "channels_first";
  }

  /** A fresh value name for a mapper's intermediate tensor (between two layers it makes). */
  temp(): string {
    return `${this.node.name}__kg${this.temps++}`;
  }

  /** The spatial sizes of input 0 in its layout (H, W, ...). */
  spatialShape(): Dim[] {
    const s = this.shape(0);
    return this.channelsLast ? s.slice(1, -1) : s.slice(2);
  }

  static unsupportedOp(g: ImportGraph, n: Node, detail?: string): UnsupportedLayerError {
    return new UnsupportedLayerError(
      n.op,
      `${g.describe(n)}: ${detail ?? `ONNX op '${n.domain ? `${n.domain}.` : ""}${n.op}' has no Keras layer equivalent`}. Received: ${n.op}(${n.inputs.filter(Boolean).length} inputs)`,
      { file: g.file },
    );
  }
}

/** Translates one node into Keras layer calls. */
export type Mapper = (ctx: MapContext) => LayerSpec[];

/**
 * A Keras 3 operation (`keras.ops.max(x, axis=-1)` recorded in a functional model) on positional
 * operands: what Keras layers cannot express but its operations compute exactly, as ONNX does.
 */
export function operation(
  module: string,
  className: string,
  config: Record<string, unknown>,
  operands: (string | number)[],
  output: string,
): LayerSpec {
  const inputs = operands.filter((o): o is string => typeof o === "string");
  return { className, module, config, inputs, operands, args: "positional", outputs: [output] };
}

/** One spec with a single input and output, the common case. */
export function single(
  className: string,
  config: Record<string, unknown>,
  input: string,
  output: string,
  weights?: Record<string, WeightValues>,
): LayerSpec {
  return { className, config, inputs: [input], outputs: [output], ...(weights ? { weights } : {}) };
}
