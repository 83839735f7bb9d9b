import type { DType, Tensor } from "../ir/graph.js";
import type { Shape } from "../ir/shape.js";
import { formatShape } from "../ir/shape.js";

/**
 * Keras's `KerasTensor`: a symbolic tensor of the Functional API. It wraps one IR Tensor (one output
 * of one call of a layer) and is what `Input()` returns and a layer call returns; there is exactly one
 * KerasTensor per IR Tensor, so `layer.output === x` holds for the tensor a call gave back.
 */
export class KerasTensor {
  private constructor(
    /** The IR tensor this stands for. */
    readonly tensor: Tensor,
  ) {}

  private static readonly known = new WeakMap<Tensor, KerasTensor>();

  /** The KerasTensor of an IR tensor (the same object every time). */
  static of(tensor: Tensor): KerasTensor {
    let k = KerasTensor.known.get(tensor);
    if (!k) {
      k = new KerasTensor(tensor);
      KerasTensor.known.set(tensor, k);
    }
    return k;
  }

  /** The shape, batch dimension included; null for unknown dimensions. */
  get shape(): Shape {
    return [...this.tensor.shape];
  }

  get dtype(): DType {
    return this.tensor.dtype;
  }

  /** Keras's tensor name: the producing layer's name (with `_<i>` for a second output). */
  get name(): string {
    const layer = this.tensor.layer.name;
    return this.tensor.index === 0 ? layer : `${layer}_${this.tensor.index}`;
  }

  toString(): string {
    return `<KerasTensor shape=${formatShape(this.shape)}, dtype=${this.dtype}, name=${this.name}>`;
  }
}

/** What a layer or model is called on: a tensor, or a list or record of them (Keras's nested structures). */
export type SymbolicInput = KerasTensor | SymbolicInput[] | { [key: string]: SymbolicInput };

/** Describes the inputs of a call for messages: `(None, 784) float32`. */
export function describeTensors(tensors: { shape: Shape; dtype: DType }[]): string {
  return tensors.map((t) => `${formatShape(t.shape)} ${t.dtype}`).join(", ") || "no tensors";
}
