/**
 * "Extend the API using custom layers": the guide's CustomDense, written with tfjs ops, serializable
 * through getConfig, registered as Keras's `seed>CustomDense`, rebuilt with fromConfig and custom
 * objects. Run: npx tsx examples/custom-dense.ts
 */
import { pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { Input, KerasLayer, Model, type Weight, clearSession, registerLayer } from "../src/index.js";
import type { EmitContext, Shape } from "../src/index.js";

// model
export class CustomDense extends KerasLayer {
  readonly units: number;
  declare w: Weight;
  declare b: Weight;

  constructor({ units = 32, ...base }: { units?: number; name?: string } = {}) {
    super(base);
    this.units = units;
  }

  override build(inputShape: Shape): void {
    this.w = this.addWeight({ shape: [inputShape.at(-1)!, this.units], initializer: "random_normal", name: "w" });
    this.b = this.addWeight({ shape: [this.units], initializer: "random_normal", name: "b" });
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(inputs, this.w.value), this.b.value);
  }

  override getConfig() {
    return { ...super.getConfig(), units: this.units };
  }
}
registerLayer(CustomDense, { package: "seed", onnx: customDenseOnnx });

export function customDenseModel(): Model {
  const inputs = Input([4]);
  const outputs = new CustomDense({ units: 10 })(inputs);
  return new Model(inputs, outputs, { name: "custom_dense" });
}
// end model

/** Optional: CustomDense's call() as ONNX nodes, so models using it also run on onnxruntime. */
function customDenseOnnx(ctx: EmitContext): string[] {
  const [w, b] = [ctx.weight("w"), ctx.weight("b")];
  const kernel = ctx.param("w", () => ({ dims: w.shape, data: w.values as Float32Array }));
  const bias = ctx.param("b", () => ({ dims: b.shape, data: b.values as Float32Array }));
  return [ctx.g.op("Add", [ctx.g.op("MatMul", [ctx.inputs[0]!.name, kernel]), bias])];
}

export function main(): void {
  clearSession();
  const model = customDenseModel();
  model.summary({ lineLength: 110 });
  const config = model.getConfig();
  const newModel = Model.fromConfig(config, { customObjects: { CustomDense } });
  newModel.summary({ lineLength: 110 });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
