/**
 * The building blocks of the ONNX operator rules in schemas.ts: the schema's shape, the element-type
 * sets, how an op's output element types follow from its inputs', and the common op shapes (unary,
 * binary, comparison, variadic, reduction) with the attribute sets convolutions and RNNs share.
 */
export type AttrType = "int" | "float" | "string" | "ints" | "floats" | "strings" | "tensor";

export interface OpSchema {
  /** The opset that introduced the op in the default domain. */
  since: number;
  inputs: [number, number];
  outputs: [number, number];
  attrs: Record<string, AttrType>;
  /** The output element types from the input ones (undefined = unknown), or an error message. */
  types: (ins: (number | undefined)[], attrs: Record<string, unknown>) => (number | undefined)[] | string;
}

export const FLOAT = new Set([1, 10, 11, 16]);
const INT = new Set([2, 3, 4, 5, 6, 7, 12, 13]);
export const NUMERIC = new Set([...FLOAT, ...INT]);
export const INDEX = new Set([6, 7]);
export const BOOL = 9;

const name = (t: number | undefined) => String(t);

/** All given (non-empty) inputs share one type from `allowed`; the outputs have it too. */
export const same =
  (allowed: Set<number>, outputs = 1, dataInputs = Infinity): OpSchema["types"] =>
  (ins) => {
    const known = ins.slice(0, dataInputs).filter((t): t is number => t !== undefined);
    if (known.some((t) => t !== known[0])) return `inputs have different element types (${known.map(name).join(", ")})`;
    if (known.length && !allowed.has(known[0]!)) return `element type ${known[0]} is not allowed`;
    return Array<number | undefined>(outputs).fill(known[0]);
  };

/** Input 0 is data of `allowed` types (kept), inputs listed in `index` must be int64 (or int32 when `int32Ok`). */
export const dataWithIndices =
  (allowed: Set<number>, indexInputs: number[], int32Ok = false, outputs = 1): OpSchema["types"] =>
  (ins) => {
    for (const i of indexInputs) {
      const t = ins[i];
      if (t !== undefined && !(t === 7 || (int32Ok && t === 6)))
        return `input ${i} must be int64${int32Ok ? " or int32" : ""}, got ${t}`;
    }
    if (ins[0] !== undefined && !allowed.has(ins[0])) return `element type ${ins[0]} is not allowed`;
    return Array<number | undefined>(outputs).fill(ins[0]);
  };

export const ALL = new Set([...NUMERIC, BOOL, 8]);
export const unary = (since: number, attrs: Record<string, AttrType> = {}, allowed = FLOAT): OpSchema => ({
  since,
  inputs: [1, 1],
  outputs: [1, 1],
  attrs,
  types: same(allowed),
});
export const binary = (since: number, allowed = NUMERIC): OpSchema => ({
  since,
  inputs: [2, 2],
  outputs: [1, 1],
  attrs: {},
  types: same(allowed),
});
export const compare = (since: number): OpSchema => ({
  since,
  inputs: [2, 2],
  outputs: [1, 1],
  attrs: {},
  types: (ins) => {
    const r = same(ALL)(ins, {});
    return typeof r === "string" ? r : [BOOL];
  },
});
/** Sum, Max, Min, Mean: a binary op's rules over any number of inputs. */
export const variadic = (since: number): OpSchema => ({ ...binary(since), inputs: [1, 2147483647] });
export const reduce = (since: number): OpSchema => ({
  since,
  inputs: [1, 2],
  outputs: [1, 1],
  attrs: { keepdims: "int", noop_with_empty_axes: "int", axes: "ints" },
  types: dataWithIndices(NUMERIC, [1]),
});
export const convAttrs: Record<string, AttrType> = {
  auto_pad: "string",
  dilations: "ints",
  group: "int",
  kernel_shape: "ints",
  pads: "ints",
  strides: "ints",
};
export const rnnAttrs: Record<string, AttrType> = {
  activation_alpha: "floats",
  activation_beta: "floats",
  activations: "strings",
  clip: "float",
  direction: "string",
  hidden_size: "int",
  layout: "int",
};
export const rnnTypes =
  (outputs: number): OpSchema["types"] =>
  (ins) => {
    if (ins[4] !== undefined && ins[4] !== 6) return "sequence_lens must be int32";
    const data = [ins[0], ins[1], ins[2], ins[3], ins[5], ins[6], ins[7]];
    return same(FLOAT, outputs)(data, {});
  };
