import type { NdArray } from "../formats/npy/array.js";
import { writeKerasJson } from "../formats/keras-json/write.js";
import { readKerasJson } from "../formats/keras-json/read.js";
import { GraphError } from "../ir/errors.js";
import { type Graph, Layer as IrLayer, type Tensor } from "../ir/graph.js";
import { type SummaryOptions, summaryText } from "../tools/summary/index.js";
import type { LayerClass } from "./custom/kind.js";
import { registryWithCustomObjects } from "./custom/register.js";
import { KerasTensor, type SymbolicInput } from "./keras-tensor.js";
import { Layer } from "./layer.js";
import { type FlatIO, flattenIO, functionalGraph, structured } from "./model-graph.js";
import { type PredictInputs, assertSerializable, fillWeights, predictGraph, runsOnOnnx } from "./predict.js";
import { type FitArgs, type History, type Logs, type TrainingArgs, trainerOf } from "./training.js";
import { loadWeights, saveModel, saveWeights } from "./saving.js";
import type { SaveFormat } from "../formats/save.js";
import { type KerasSession, currentSession } from "./session.js";
import { layerFor } from "./wrap.js";

/** `keras.Model(inputs=..., outputs=..., name=...)`; `graph` wraps an IR graph (a model read from a file). */
export interface ModelArgs {
  inputs?: SymbolicInput;
  outputs?: SymbolicInput;
  name?: string;
  trainable?: boolean;
  session?: KerasSession;
  graph?: Graph;
}

/**
 * Keras's functional `Model`: a graph of layer calls from `inputs` to `outputs`. A model is itself a
 * layer: calling it on tensors nests it in another model (its weights shared), as Keras does.
 */
export class Model extends Layer {
  static builtin = true;
  static className = "Functional";
  declare readonly graph: Graph;

  constructor(args: ModelArgs);
  constructor(inputs: SymbolicInput, outputs: SymbolicInput, options?: Omit<ModelArgs, "inputs" | "outputs" | "graph">);
  constructor(
    a: ModelArgs | SymbolicInput,
    b?: SymbolicInput,
    c: Omit<ModelArgs, "inputs" | "outputs" | "graph"> = {},
  ) {
    const args: ModelArgs = b === undefined && isModelArgs(a) ? a : { ...c, inputs: a as SymbolicInput, outputs: b };
    const session = args.session ?? currentSession();
    const graph = args.graph ?? buildGraph(args, session);
    super({ name: graph.name, session });
    (this as { graph: Graph }).graph = graph;
    const ir = new IrLayer("Functional", graph.name, { name: graph.name, trainable: graph.config.trainable !== false });
    ir.subgraph = graph;
    this.bind(ir);
  }

  override get className(): string {
    return this.graph.className;
  }

  /** `model.layers`: the model's layers in Keras's order (InputLayers included, Keras operations not). */
  get layers(): Layer[] {
    return this.graph.layers.filter((l) => !l.isOperation).map(layerFor);
  }

  /** `model.get_layer(name)`. */
  getLayer(name: string): Layer {
    const layer = this.graph.getLayer(name);
    if (!layer) {
      throw new GraphError(
        `No such layer: ${name}. Existing layers are: ${this.graph.layers.map((l) => l.name).join(", ")}.`,
      );
    }
    return layerFor(layer);
  }

  /** The model's input tensors, flattened (Keras's `model.inputs`). */
  get inputs(): KerasTensor[] {
    return this.graph.inputs.map((t) => KerasTensor.of(t));
  }

  get outputs(): KerasTensor[] {
    return this.graph.outputs.map((t) => KerasTensor.of(t));
  }

  /** `model.input`: the inputs in the structure they were given (a tensor, a list or a record). */
  override get input(): KerasTensor | KerasTensor[] {
    return structured(this.inputs, this.graph.inputStructure) as KerasTensor | KerasTensor[];
  }

  override get output(): KerasTensor | KerasTensor[] {
    return structured(this.outputs, this.graph.outputStructure) as KerasTensor | KerasTensor[];
  }

  /**
   * Keras's `model.summary()`: the table Keras 3 prints, byte for byte. Printed with `printFn`
   * (console.log by default; pass `() => {}` to print nothing) and returned.
   */
  summary(options: SummaryOptions & { printFn?: (text: string) => void } = {}): string {
    const { printFn = console.log, ...rest } = options;
    const text = summaryText(this.graph, rest);
    printFn(text.replace(/\n$/, ""));
    return text;
  }

  /** `model.get_config()`: Keras 3's Functional config (name, trainable, layers, input_layers, output_layers). */
  override getConfig(): Record<string, unknown> {
    assertSerializable(this.graph);
    return writeKerasJson(this.graph).config as Record<string, unknown>;
  }

  /** `model.to_json()`: the whole serialized model, as Keras writes `model.json`. */
  toJson(indent = 1): string {
    assertSerializable(this.graph);
    return JSON.stringify(writeKerasJson(this.graph), null, indent > 0 ? indent : undefined);
  }

  /**
   * `keras.Model.from_config(config, custom_objects=...)`: rebuilds the model (same names, fresh
   * weights). `customObjects` maps class names in the config to custom layer classes.
   */
  static override fromConfig(
    config: Record<string, unknown>,
    options: { customObjects?: Record<string, LayerClass> } = {},
  ): Model {
    const registry = registryWithCustomObjects(options.customObjects);
    const wrapped = "class_name" in config && "config" in config ? config : { class_name: "Functional", config };
    return new Model({ graph: readKerasJson(wrapped, { registry }) });
  }

  /** The total number of weights (Keras's `count_params()`). */
  override countParams(): number {
    return this.graph.paramCounts().total;
  }

  /**
   * Keras's `model.predict(x)`: inputs as arrays (one, a list in input order, or a record by input
   * name); outputs in the model's output structure. Runs on onnxruntime, or on the tfjs executor when
   * asked to or when a custom layer has no ONNX emitter (tfjs runs its own `call`).
   */
  async predict(
    inputs: PredictInputs,
    options: { engine?: "onnx" | "tfjs"; batchSize?: number } = {},
  ): Promise<NdArray | NdArray[] | Record<string, NdArray>> {
    const engine = options.engine ?? (runsOnOnnx(this.graph) ? "onnx" : "tfjs");
    const outputs =
      engine === "onnx" ? await predictGraph(this.graph, inputs) : await trainerOf(this.graph).predict(inputs, options);
    return structured(outputs, this.graph.outputStructure);
  }

  /** Keras's `model.save(path)`: `.keras`, `.h5` or `.json` (architecture only), by the extension. */
  async save(path: string, options: { format?: SaveFormat } = {}): Promise<SaveFormat> {
    return saveModel(this, path, options);
  }

  /**
   * Keras's `model.save_weights(path, max_shard_size=...)`: `.weights.h5`, or sharded (`maxShardSize` in
   * GB, or "500MB") into a `.weights.json` manifest and its shards. Returns the files written.
   */
  async saveWeights(path: string, options: { maxShardSize?: number | string } = {}): Promise<string[]> {
    return saveWeights(this, path, options);
  }

  /** Keras's `model.load_weights(path)` (a `.keras` archive, an HDF5 weights file, a `.weights.json` manifest). */
  async loadWeights(path: string): Promise<void> {
    await loadWeights(this, path);
    trainerOf(this.graph).invalidate();
  }

  /**
   * Keras's `model.compile(optimizer, loss, metrics, loss_weights)`: Keras's names and configs
   * ("rmsprop", `{class_name: "SparseCategoricalCrossentropy", config: {from_logits: true}}`), losses
   * per output as a list or a record by output name. Training runs on the tfjs executor, on its
   * WebAssembly backend unless `backend: "cpu"` is given.
   */
  compile(args: TrainingArgs): void {
    trainerOf(this.graph).compile(args);
  }

  /** Keras's `model.fit(x, y, ...)`: trains on tfjs and keeps the trained weights in the model. */
  async fit(x: PredictInputs, y: PredictInputs, args: FitArgs = {}): Promise<History> {
    return trainerOf(this.graph).fit(x, y, args);
  }

  /** Keras's `model.evaluate(x, y)`, as the record `return_dict=True` gives. */
  async evaluate(x: PredictInputs, y: PredictInputs, args: { batchSize?: number } = {}): Promise<Logs> {
    return trainerOf(this.graph).evaluate(x, y, args);
  }

  /** Draws initial values for every weight that has none yet (fresh layers and `fromConfig` models). */
  ensureWeights(): void {
    fillWeights(this.graph);
  }

  protected override wrapOutputs(outputs: Tensor[]): unknown {
    return structured(
      outputs.map((t) => KerasTensor.of(t)),
      this.graph.outputStructure,
    );
  }
}

function isModelArgs(v: unknown): v is ModelArgs {
  return (
    !!v && typeof v === "object" && !(v instanceof KerasTensor) && !Array.isArray(v) && ("outputs" in v || "graph" in v)
  );
}

function buildGraph(args: ModelArgs, session: KerasSession): Graph {
  const name = args.name ?? session.autoName("Functional");
  if (args.inputs === undefined || args.outputs === undefined) {
    throw new GraphError(
      `model '${name}': Model needs inputs and outputs. Received: ${args.inputs === undefined ? "no inputs" : "no outputs"}`,
    );
  }
  const inputs: FlatIO = flattenIO(args.inputs, "inputs", name);
  const outputs: FlatIO = flattenIO(args.outputs, "outputs", name);
  return functionalGraph(name, inputs, outputs, args.trainable ?? true);
}
