import type { NdArray } from "../formats/npy/array.js";
import type { TfjsModel } from "../exec/tfjs/model.js";
import type { History, Logs } from "../exec/tfjs/train/callbacks.js";
import type { TfjsBackend } from "../exec/tfjs/runtime.js";
import type { CompileArgs } from "../exec/tfjs/train/compile.js";
import type { ArrayInput } from "../exec/tfjs/train/data.js";
import type { FitArgs } from "../exec/tfjs/train/fit.js";
import type { Graph } from "../ir/graph.js";
import { fillWeights } from "./predict.js";

/** Keras's compile arguments, and the tfjs backend to train on ("wasm" by default, or "cpu"). */
export type TrainingArgs = CompileArgs & { backend?: TfjsBackend };

export type { CompileArgs, FitArgs, History, Logs };

/**
 * A functional model's training state: its compile arguments and the tfjs model that trains it (the
 * tfjs executor of src/exec/tfjs, built on first use from the graph and its current weights). After
 * `fit`, the trained values are written back into the graph, so `predict`, `save` and `getWeights`
 * see them.
 */
export class Trainer {
  private args: CompileArgs | null = null;
  private backend: TfjsBackend | undefined;
  private live: Promise<TfjsModel> | null = null;

  constructor(private readonly graph: Graph) {}

  /** Keras's `model.compile(optimizer, loss, metrics, loss_weights)`. */
  compile({ backend, ...args }: TrainingArgs): void {
    this.args = args;
    this.backend = backend;
    this.live = null;
  }

  /** Forgets the tfjs model (the weights changed outside training). */
  invalidate(): void {
    this.live = null;
  }

  private async model(): Promise<TfjsModel> {
    if (!this.live) {
      fillWeights(this.graph);
      const { TfjsModel } = await import("../exec/tfjs/model.js");
      const { withTfjsCustomLayers } = await import("./custom/tfjs-adapter.js");
      const options = this.backend ? { backend: this.backend } : {};
      this.live = withTfjsCustomLayers(this.graph, () => TfjsModel.fromGraph(this.graph, options)).then((m) => {
        if (this.args) m.compile(this.args);
        return m;
      });
    }
    return this.live;
  }

  /** The tfjs model holding the graph's current weights (they may have been set since it was built). */
  private async current(): Promise<TfjsModel> {
    const model = await this.model();
    fillWeights(this.graph);
    const { setTfjsWeights } = await import("../exec/tfjs/weights.js");
    setTfjsWeights(this.graph, model.model);
    return model;
  }

  /** Keras's `model.fit(x, batch_size, epochs, validation_split, ...)`; the History's keys are Keras's. */
  async fit(x: ArrayInput, y: ArrayInput, args: FitArgs = {}): Promise<History> {
    const model = await this.current();
    const history = await model.fit(x, y, args);
    model.syncWeights();
    return history;
  }

  /** Keras's `model.evaluate(x, y, return_dict=True)`. */
  async evaluate(x: ArrayInput, y: ArrayInput, args: { batchSize?: number } = {}): Promise<Logs> {
    return (await this.current()).evaluate(x, y, args);
  }

  /** `model.predict` on tfjs (the same numbers as onnxruntime's, within float32 rounding). */
  async predict(x: ArrayInput, args: { batchSize?: number } = {}): Promise<NdArray[]> {
    return (await this.current()).predict(x, args);
  }
}

const trainers = new WeakMap<Graph, Trainer>();

/** The training state of a model's graph (one per graph, made on first use). */
export function trainerOf(graph: Graph): Trainer {
  let t = trainers.get(graph);
  if (!t) trainers.set(graph, (t = new Trainer(graph)));
  return t;
}
