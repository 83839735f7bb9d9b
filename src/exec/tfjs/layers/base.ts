import { tf } from "../runtime.js";

export type TfShape = (number | null)[];
export type Kwargs = Record<string, unknown>;

/** tfjs-layers hands a layer's config over with its keys in camelCase. */
export type LayerArgs = { name?: string; trainable?: boolean } & Record<string, unknown>;

/** The tfjs-layers base class, with the two forms tfjs passes inputs and shapes in unwrapped. */
export abstract class KerasLayer extends tf.layers.Layer {
  constructor(protected readonly args: LayerArgs) {
    super({ name: args.name, trainable: args.trainable ?? true } as never);
  }

  protected one(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return Array.isArray(inputs) ? inputs[0]! : inputs;
  }

  protected oneShape(shape: TfShape | TfShape[]): TfShape {
    return (Array.isArray(shape[0]) ? shape[0] : shape) as TfShape;
  }

  override getConfig() {
    return { ...super.getConfig(), ...this.args } as ReturnType<tf.layers.Layer["getConfig"]>;
  }
}

/** A pair `[left, right]` from a config value given as one number or two. */
export function pair(value: unknown, fallback: number): [number, number] {
  if (Array.isArray(value)) return [Number(value[0]), Number(value[1])];
  const n = typeof value === "number" ? value : fallback;
  return [n, n];
}
