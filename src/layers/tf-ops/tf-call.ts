import { LayerConfig } from "../../ir/config.js";
import type { ArgTree, DType, TensorSpec } from "../../ir/graph.js";
import type { CallContext, LayerKind } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { isSpec, pyRepr } from "../ops/define-op.js";
import { opKindsByModule } from "../ops/index.js";

/*
 * A call of a TensorFlow function as tf.keras 2 recorded it. `TFOpLambda(tf.math.reduce_mean)(x, axis=1)`
 * is serialized by `Node.serialize` with the first positional argument as the node's tensor entries and
 * every other argument — positional ones under the function's parameter names — in the entries' kwargs
 * (`{"axis": 1, "keepdims": false}`); other tensors are `[layer, node, tensor]` triples, NumPy arrays and
 * constant tensors nested lists (`.tolist()`), Python scalars themselves. TensorFlow converts constants to
 * the other operand's dtype, so a constant takes its dtype from the tensors around it.
 */

/** A position no call reaches: the argument is looked up by keyword only (TF 1 names such as `keep_dims`). */
export const KW_ONLY = Number.POSITIVE_INFINITY;

/** The output rule of one TensorFlow function. */
export type TfRule = (call: TfCall) => TensorSpec | TensorSpec[];

const KERAS_OPS = new Map<string, LayerKind>();
for (const [module, kinds] of Object.entries(opKindsByModule)) {
  for (const kind of kinds) KERAS_OPS.set(`${module.slice("keras.src.ops.".length)}.${kind.className}`, kind);
}

const isNumber = (v: unknown): v is number => typeof v === "number";

/** A (nested) list with a symbolic tensor in it. */
const holdsTensor = (v: unknown): boolean => Array.isArray(v) && v.some((x) => isSpec(x) || holdsTensor(x));

/** `np.array(v).shape` of a nested list of numbers/bools; null when `v` is not one. */
function constantShape(v: unknown): Shape | null {
  if (isNumber(v) || typeof v === "boolean") return [];
  if (!Array.isArray(v) || v.length === 0) return Array.isArray(v) ? [0] : null;
  const inner = constantShape(v[0]);
  if (inner === null) return null;
  for (const x of v.slice(1)) {
    const s = constantShape(x);
    if (s === null || s.length !== inner.length || s.some((d, i) => d !== inner[i])) return null;
  }
  return [v.length, ...inner];
}

/** `tf.constant(v).dtype` (JSON keeps no float-ness of `1.0`: only a constant with a fraction is float). */
function constantDtype(v: unknown): DType {
  if (typeof v === "boolean") return "bool";
  if (isNumber(v)) return Number.isInteger(v) ? "int32" : "float32";
  if (!Array.isArray(v)) return "float32";
  const leaves = v.flat(32) as unknown[];
  if (leaves.length && leaves.every((x) => typeof x === "boolean")) return "bool";
  return leaves.every((x) => isNumber(x) && Number.isInteger(x)) && leaves.length ? "int32" : "float32";
}

export class TfCall {
  /** The layer's context, whose `fail` names the function too (for the shared helpers of ops/). */
  readonly ctx: CallContext;

  constructor(
    layer: CallContext,
    /** "math.reduce_mean"; for a TensorFlowOpLayer the function and its op ("math.reduce_mean (op Mean)"). */
    readonly fn: string,
    private readonly args: readonly unknown[],
    private readonly kwargs: Readonly<Record<string, unknown>>,
  ) {
    this.ctx = { ...layer, fail: (message: string) => layer.fail(`tf.${fn}: ${message}`) };
  }

  /** Throws a ShapeError naming the layer and the function. */
  fail(message: string): never {
    return this.ctx.fail(message);
  }

  /** Argument `name`, passed at `position` or by name; undefined when not given. */
  raw(position: number, name: string): unknown {
    return position < this.args.length ? this.args[position] : this.kwargs[name];
  }

  /** Argument `name`, or `dflt` when not given (an explicit None stays null). */
  opt<T>(position: number, name: string, dflt: T): unknown {
    const v = this.raw(position, name);
    return v === undefined ? dflt : v;
  }

  given(position: number, name: string): boolean {
    const v = this.raw(position, name);
    return v !== undefined && v !== null;
  }

  /** A symbolic tensor argument. */
  tensor(position: number, name: string): TensorSpec {
    const v = this.raw(position, name);
    if (isSpec(v)) return v;
    if (holdsTensor(v)) return this.pack(v as unknown[], name);
    return this.fail(`expects a tensor for \`${name}\`. Received: ${name}=${JSON.stringify(v ?? null)?.slice(0, 80)}`);
  }

  /** A tensor or a constant (a Python scalar, a nested list); a constant takes `dtype` when given. */
  operand(position: number, name: string, dtype?: DType): TensorSpec {
    return this.toOperand(this.raw(position, name), name, dtype);
  }

  toOperand(v: unknown, name: string, dtype?: DType): TensorSpec {
    if (isSpec(v)) return v;
    if (holdsTensor(v)) return this.pack(v as unknown[], name);
    const shape = constantShape(v);
    if (shape === null) {
      return this.fail(
        `expects a tensor or a constant for \`${name}\`. Received: ${name}=${JSON.stringify(v ?? null)?.slice(0, 80)}`,
      );
    }
    return { shape, dtype: dtype ?? constantDtype(v) };
  }

  /**
   * Operands that TensorFlow converts to one dtype: tensors must agree ("Input 'y' of 'AddV2' Op has
   * type int32 that does not match type float32 of argument 'x'"), constants take theirs.
   */
  operands(...specs: [position: number, name: string][]): TensorSpec[] {
    const raws = specs.map(([p, n]) => this.raw(p, n));
    const first = specs.findIndex((_, i) => isSpec(raws[i]));
    const dtype = first >= 0 ? (raws[first] as TensorSpec).dtype : undefined;
    return specs.map(([, name], i) => {
      const x = this.toOperand(raws[i], name, dtype);
      if (dtype !== undefined && x.dtype !== dtype) {
        this.fail(
          `Input '${name}' has type ${x.dtype} that does not match type ${dtype} of argument '${specs[first]![1]}'.`,
        );
      }
      return x;
    });
  }

  /** A list of tensors/constants (`tf.concat(values, ...)`) converted to one dtype; a lone tensor is a list of one. */
  operandList(position: number, name: string): TensorSpec[] {
    const v = this.raw(position, name);
    const items = isSpec(v) ? [v] : Array.isArray(v) && v.some((x) => isSpec(x) || Array.isArray(x)) ? v : null;
    if (!items || items.length === 0) {
      return this.fail(
        `expects a non-empty list of tensors for \`${name}\`. Received: ${name}=${JSON.stringify(v ?? null)?.slice(0, 80)}`,
      );
    }
    const dtype = (items.find(isSpec) as TensorSpec | undefined)?.dtype;
    return items.map((x, i) => {
      const s = this.toOperand(x, `${name}[${i}]`, dtype);
      if (dtype !== undefined && s.dtype !== dtype) {
        this.fail(`all values of \`${name}\` must have one dtype. Received: ${dtype} and ${s.dtype} (${name}[${i}])`);
      }
      return s;
    });
  }

  /** `convert_to_tensor` of a list holding tensors: TensorFlow packs it (`tf.stack(values, axis=0)`). */
  private pack(values: unknown[], name: string): TensorSpec {
    const items = values.map((x, i) => this.toOperand(x, `${name}[${i}]`));
    const dtype = (values.find(isSpec) as TensorSpec | undefined)?.dtype ?? items[0]!.dtype;
    return { shape: this.keras1("numpy", "Stack", [items], { axis: 0 }).shape, dtype };
  }

  int(position: number, name: string, dflt?: number): number {
    const v = this.opt(position, name, dflt);
    if (typeof v === "number" && Number.isInteger(v)) return v;
    return this.fail(`expects an integer \`${name}\`. Received: ${name}=${pyRepr(v)}`);
  }

  bool(position: number, name: string, dflt: boolean): boolean {
    const v = this.opt(position, name, dflt);
    if (typeof v === "boolean") return v;
    return this.fail(`expects True or False for \`${name}\`. Received: ${name}=${pyRepr(v)}`);
  }

  /**
   * An int or a list of ints (axes, shapes, permutations), null when absent. A tensor (or a list holding
   * tensors) is not known before the model runs: `unknown` is returned.
   */
  ints(position: number, name: string): number[] | null | "unknown" {
    const v = this.raw(position, name);
    if (v === undefined || v === null) return null;
    if (typeof v === "number" && Number.isInteger(v)) return [v];
    if (isSpec(v)) return "unknown";
    if (Array.isArray(v) && v.every((d) => typeof d === "number" && Number.isInteger(d))) return v as number[];
    if (Array.isArray(v) && v.some(isSpec)) return "unknown";
    return this.fail(`expects an integer or a list of integers for \`${name}\`. Received: ${name}=${pyRepr(v)}`);
  }

  /** A dtype argument: `"float32"` (tf.DType is serialized by its name). */
  dtype(position: number, name: string, dflt: DType | null): DType | null {
    const v = this.opt(position, name, dflt);
    if (v === null || typeof v === "string") return v as DType | null;
    const inner = (v as { config?: { name?: unknown } })?.config?.name;
    if (typeof inner === "string") return inner;
    return this.fail(`expects a dtype name for \`${name}\`. Received: ${name}=${JSON.stringify(v)}`);
  }

  /**
   * Evaluates the Keras 3 operation `keras.src.ops.<group>.<className>` (its `compute_output_spec`) on
   * `args` with constructor arguments `config`: the TensorFlow function's shape rule where both agree.
   */
  keras(
    group: string,
    className: string,
    args: ArgTree<TensorSpec>[],
    config: Record<string, unknown> = {},
  ): TensorSpec[] {
    const kind = KERAS_OPS.get(`${group}.${className}`);
    if (!kind) throw new Error(`kerasgraph bug: no Keras operation ${group}.${className}`);
    const inputs: TensorSpec[] = [];
    const collect = (v: unknown): void => {
      if (isSpec(v)) inputs.push(v);
      else if (Array.isArray(v)) v.forEach(collect);
    };
    collect(args);
    const sub: CallContext = {
      ...this.ctx,
      config: new LayerConfig(config, kind.defaults, this.ctx.where),
      args,
      kwargs: {},
      inputs,
    };
    return kind.outputs(sub).map((o) => (Array.isArray(o) ? { shape: o, dtype: this.ctx.computeDtype } : o));
  }

  /** The single output of `keras(...)`. */
  keras1(
    group: string,
    className: string,
    args: ArgTree<TensorSpec>[],
    config: Record<string, unknown> = {},
  ): TensorSpec {
    return this.keras(group, className, args, config)[0]!;
  }
}

/** `(None, 3)` as TensorFlow prints shapes in its messages: `[?,3]`. */
export function tfShape(shape: Shape): string {
  return `[${shape.map((d) => (d === null ? "?" : d)).join(",")}]`;
}
