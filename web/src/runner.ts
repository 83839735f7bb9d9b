import type { NdArray } from "../../src/formats/npy/array.js";
import { OrtModel } from "../../src/exec/ort/model.js";
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
 * Keras graph is converted to ONNX in memory, an .onnx file runs as it is. Every layer's output comes
 * from a second session that exposes them all (`extract "all"`).
 */
export class ModelRunner {
  private readonly model: OrtModel;
  private sessionReady = false;
  /** How long the first inputSpecs() took (conversion + session), reported by the next prediction. */
  private sessionMs: number | undefined;

  constructor(private readonly loaded: LoadedModel) {
    this.model = loaded.kind === "keras" ? new OrtModel(loaded.graph) : new OrtModel(null, {}, loaded.bytes);
  }

  get canExtract(): boolean {
    return this.loaded.kind === "keras";
  }

  /** The inputs the session takes (made now if needed: a Keras model is converted first). */
  async inputSpecs(): Promise<InputSpec[]> {
    const started = performance.now();
    const specs = await this.model.inputSpecs();
    if (!this.sessionReady) this.sessionMs = performance.now() - started;
    this.sessionReady = true;
    return specs;
  }

  async predict(inputs: NdArray[]): Promise<Prediction> {
    await this.inputSpecs();
    const started = performance.now();
    const outputs = await this.model.predict(inputs);
    const ms = performance.now() - started;
    const sessionMs = this.sessionMs;
    this.sessionMs = undefined;
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
