/**
 * "Mix-and-match API styles": the guide's CustomRNN (a layer written from scratch, with tfjs ops)
 * inside a functional model whose Conv1D feeds it a static batch of 16. The fixture Keras made for
 * this section replaces CustomRNN by the built-in SimpleRNN (`mixedRnnModel`), whose numbers we
 * compare. Run: npx tsx examples/custom-rnn.ts
 */
import { pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { Input, KerasLayer, Model, type Weight, clearSession, layers, registerLayer } from "../src/index.js";
import { type EmitContext, type Shape, onnxAttr } from "../src/index.js";

// model
const units = 32;
const timesteps = 10;
const inputDim = 5;
const batchSize = 16;

export class CustomRNN extends KerasLayer {
  readonly units = units;
  declare projection1: [Weight, Weight];
  declare projection2: [Weight, Weight];
  declare classifier: [Weight, Weight];

  /** Dense(units) as a kernel and a bias, built on the last input dimension. */
  private dense(name: string, inputDim: number, outputDim: number): [Weight, Weight] {
    const kernel = this.addWeight({ shape: [inputDim, outputDim], name: `${name}/kernel` });
    return [kernel, this.addWeight({ shape: [outputDim], initializer: "zeros", name: `${name}/bias` })];
  }

  override build(inputShape: Shape): void {
    this.projection1 = this.dense("projection_1", inputShape.at(-1)!, this.units);
    this.projection2 = this.dense("projection_2", this.units, this.units);
    this.classifier = this.dense("classifier", this.units, 1);
  }

  override call(inputs: tf.Tensor3D): tf.Tensor {
    const apply = ([w, b]: [Weight, Weight], x: tf.Tensor) =>
      tf.add(tf.matMul(x as tf.Tensor2D, w.value as tf.Tensor2D), b.value);
    const outputs: tf.Tensor[] = [];
    let state: tf.Tensor = tf.zeros([inputs.shape[0], this.units]);
    for (let t = 0; t < inputs.shape[1]; t++) {
      const x = tf.squeeze(tf.slice(inputs, [0, t, 0], [-1, 1, -1]), [1]);
      const h = tf.tanh(apply(this.projection1, x));
      const y = tf.add(h, tf.tanh(apply(this.projection2, state)));
      state = y;
      outputs.push(y);
    }
    // The classifier (a Dense on the stacked features), applied step by step.
    const logits = outputs.map((y) => apply(this.classifier, y));
    return tf.stack(logits, 1);
  }

  override getConfig() {
    return super.getConfig();
  }
}
registerLayer(CustomRNN, { onnx: customRnnOnnx });

export function customRnnModel(): Model {
  // A static batch size: CustomRNN's zero state needs it.
  const inputs = Input({ batchShape: [batchSize, timesteps, inputDim] });
  const x = layers.Conv1D(32, 3)(inputs);
  const outputs = new CustomRNN()(x);
  return new Model(inputs, outputs);
}
// end model

/** Optional: the loop unrolled into ONNX nodes, so models using CustomRNN also run on onnxruntime. */
function customRnnOnnx(ctx: EmitContext): string[] {
  const g = ctx.g;
  const p = (name: string) =>
    ctx.param(name, () => ({ dims: ctx.weight(name).shape, data: ctx.weight(name).values as Float32Array }));
  const dense = (name: string, x: string) => g.op("Add", [g.op("MatMul", [x, p(`${name}/kernel`)]), p(`${name}/bias`)]);
  const steps = ctx.inputs[0]!.shape[1]!;
  // The zero initial state makes the first step's recurrent term tanh(bias): no batch-sized zeros.
  let state: string | null = null;
  const outputs: string[] = [];
  for (let t = 0; t < steps; t++) {
    const index = ctx.param(`t${t}`, () => ({ dims: [], data: Int32Array.of(t) }));
    const x = g.op("Gather", [ctx.inputs[0]!.name, index], { axis: onnxAttr.i(1) });
    const recurrent: string = state ? dense("projection_2", state) : p("projection_2/bias");
    state = g.op("Add", [g.op("Tanh", [dense("projection_1", x)]), g.op("Tanh", [recurrent])]);
    outputs.push(g.unsqueeze(state, [1]));
  }
  return [dense("classifier", g.op("Concat", outputs, { axis: onnxAttr.i(1) }))];
}

/** The fixture's version of the section, with Keras's SimpleRNN in CustomRNN's place. */
export function mixedRnnModel(): Model {
  const inputs = Input({ batchShape: [batchSize, timesteps, inputDim] });
  let x = layers.Conv1D(32, 3)(inputs);
  x = layers.SimpleRNN(units, { returnSequences: true })(x);
  x = layers.GlobalAveragePooling1D()(x);
  return new Model(inputs, layers.Dense(1)(x), { name: "mixed_rnn" });
}

export async function main(): Promise<void> {
  clearSession();
  const model = customRnnModel();
  model.summary({ lineLength: 110 });
  // rnn_model = CustomRNN(); _ = rnn_model(tf.zeros((1, 10, 5)))
  const rnnModel = new CustomRNN();
  console.log("eager call:", rnnModel<tf.Tensor>(tf.zeros([1, timesteps, inputDim])).shape);
  const x = tf.randomNormal([batchSize, timesteps, inputDim]).dataSync() as Float32Array;
  const y = await model.predict({ dtype: "float32", shape: [batchSize, timesteps, inputDim], data: x });
  console.log("predict:", (y as { shape: number[] }).shape);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
