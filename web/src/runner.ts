import type { NdArray } from "../../src/formats/npy/array.js";
import { OrtModel } from "../../src/exec/ort/model.js";
import { inputSpec } from "../../src/exec/ort/tensors.js";
import type { InputSpec } from "./input-arrays.js";
import type { LoadedModel } from "./load-model.js";

export interface Prediction {
  names: string[];
  outputs: NdArray[];
  /** Wall time of the inference call itself, in ms (the session was made before). */
  ms: number;
  /** Time to convert the model to ONNX and make the session, on the first run only. */
  sessionMs?: number;
}

/**
 * Runs the loaded model in the page with the CLI's executor (src/exec/ort on onnxruntime-web): a
 * Keras graph is converted to ONNX in memory on the first run, an .onnx file runs as it is. Every
 * layer's output comes from a second session that exposes them all (`extract "all"`).
 */
export class ModelRunner {
  private readonly model: OrtModel;
  private sessionReady = false;

  constructor(private readonly loaded: LoadedModel) {
    this.model = loaded.kind === "keras" ? new OrtModel(loaded.graph) : new OrtModel(null, {}, loaded.bytes);
  }

  get canExtract(): boolean {
    return this.loaded.kind === "keras";
  }

  /**
   * The model's inputs, read from the model itself (no session yet): a Keras input's float dtypes
   * compute as float32 in the exported graph, as its session will check.
   */
  inputSpecs(): InputSpec[] {
    if (this.loaded.kind === "onnx") {
      const g = this.loaded.model.graph;
      const initializers = new Set(g.initializers.map((t) => t.name));
      return g.inputs.filter((i) => !initializers.has(i.name)).map((i) => inputSpec(i.name, i.elemType, i.shape));
    }
    return this.loaded.graph.inputs.map((t) => ({
      name: t.layer.name,
      dtype: t.dtype.startsWith("float") || t.dtype === "bfloat16" ? "float32" : t.dtype,
      shape: t.shape,
    }));
  }

  async predict(inputs: NdArray[]): Promise<Prediction> {
    let sessionMs: number | undefined;
    if (!this.sessionReady) {
      const started = performance.now();
      await this.model.inputSpecs(); // converts the model and makes the session
      sessionMs = performance.now() - started;
      this.sessionReady = true;
    }
    const started = performance.now();
    const outputs = await this.model.predict(inputs);
    const ms = performance.now() - started;
    return { names: this.outputNames(outputs.length), outputs, ms, ...(sessionMs !== undefined ? { sessionMs } : {}) };
  }

  /** Every layer's output for the inputs, keyed by layer path (`@k` for a shared layer's k-th call). */
  async activations(inputs: NdArray[]): Promise<Map<string, NdArray>> {
    return this.model.extract("all", inputs);
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }

  private outputNames(n: number): string[] {
    const names =
      this.loaded.kind === "keras"
        ? this.loaded.graph.outputs.map((t) => t.layer.name)
        : this.loaded.model.graph.outputs.map((o) => o.name);
    return Array.from({ length: n }, (_, i) => names[i] ?? `output ${i}`);
  }
}
