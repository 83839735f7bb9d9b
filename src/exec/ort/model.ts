import { readFile, stat } from "node:fs/promises";
import type { NdArray } from "../../formats/npy/array.js";
import { type OnnxExport, type ToOnnxOptions, exportOnnx } from "../../formats/onnx/convert.js";
import type { OnnxModel } from "../../formats/onnx/model.js";
import { looksLikeOnnxModel } from "../../formats/onnx/sniff.js";
import { type OpenOptions, openModel } from "../../formats/open.js";
import { GraphError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import { type Inputs, OrtSession, type SessionOptions } from "./session.js";

export interface LoadOptions extends OpenOptions, SessionOptions {
  /** Options for the in-memory ONNX conversion of a Keras model. */
  onnx?: Omit<ToOnnxOptions, "expose">;
}

/**
 * A model ready to run on onnxruntime: a Keras graph (converted to ONNX in memory on first use) or
 * an ONNX file as it is. `predict` returns the outputs in the model's output order.
 */
export class OrtModel {
  private predictSession?: Promise<OrtSession>;
  private readonly extractSessions = new Map<string, Promise<{ session: OrtSession; exported: OnnxExport }>>();

  constructor(
    /** The Keras graph (with weight values); null for a model read from an .onnx file. */
    readonly graph: Graph | null,
    private readonly options: LoadOptions = {},
    private readonly onnxBytes?: Uint8Array,
    /** The .onnx file's path (its external data, if any, lies beside it). */
    private readonly onnxPath?: string,
  ) {}

  /** Input names, in order (the Keras input layers' names). */
  get inputNames(): string[] {
    return this.graph ? this.graph.inputs.map((t) => t.layer.name) : [];
  }

  /** The ONNX model this runs (converting the Keras graph on demand). */
  toOnnx(options: ToOnnxOptions = {}): OnnxModel {
    if (!this.graph) throw new GraphError("this model was read from an ONNX file; it has no Keras graph to convert.");
    return exportOnnx(this.graph, { ...this.options.onnx, ...options }).model;
  }

  private session(): Promise<OrtSession> {
    this.predictSession ??= this.graph
      ? OrtSession.fromModel(exportOnnx(this.graph, this.options.onnx ?? {}).model, this.options)
      : OrtSession.fromBytes(this.onnxBytes!, this.options, undefined, this.onnxPath);
    return this.predictSession;
  }

  /** The model's input specs as its session checks them. */
  async inputSpecs() {
    return (await this.session()).inputs;
  }

  /** Keras's `model.predict(x)`: one array per model output, in order. Inputs are checked first. */
  async predict(inputs: Inputs): Promise<NdArray[]> {
    const s = await this.session();
    return s.run(inputs, s.outputs);
  }

  /**
   * Feature extraction: the outputs of the named layers (paths like `encoder/conv2d` reach inside
   * nested models, which Keras's own `Model(inputs, layer.output)` cannot) or of every layer ("all"),
   * keyed by layer path (`@k` marks a layer's k-th call, `:i` its i-th output).
   */
  async extract(layers: string[] | "all", inputs: Inputs): Promise<Map<string, NdArray>> {
    if (!this.graph) throw new GraphError("extract needs a Keras model; this one was read from an ONNX file.");
    const key = layers === "all" ? "\u0000all" : layers.join("\u0000");
    let entry = this.extractSessions.get(key);
    if (!entry) {
      const graph = this.graph;
      entry = (async () => {
        const exported = exportOnnx(graph, { ...this.options.onnx, expose: layers });
        return { session: await OrtSession.fromModel(exported.model, this.options), exported };
      })();
      this.extractSessions.set(key, entry);
      // A layer list that fails (an unknown name) is not kept: the next call tries again.
      entry.catch(() => this.extractSessions.delete(key));
    }
    const { session, exported } = await entry;
    const values = await session.run(
      inputs,
      exported.exposed.map((e) => e.output),
    );
    return new Map(exported.exposed.map((e, i) => [e.key, values[i]!]));
  }

  /** Releases every onnxruntime session this model opened. */
  async dispose(): Promise<void> {
    const all = [this.predictSession, ...[...this.extractSessions.values()].map(async (e) => (await e).session)];
    this.predictSession = undefined;
    this.extractSessions.clear();
    for (const r of await Promise.allSettled(all)) if (r.status === "fulfilled" && r.value) await r.value.release();
  }
}

/**
 * Reads a model file of any format kerasgraph knows (with its weights) or an .onnx file, ready for
 * `predict` and `extract` on onnxruntime.
 */
export async function loadModel(path: string, options: LoadOptions = {}): Promise<OrtModel> {
  if (!(await stat(path)).isDirectory()) {
    const bytes = new Uint8Array(await readFile(path));
    if (looksLikeOnnxModel(bytes)) return new OrtModel(null, options, bytes, path);
  }
  const { graph } = await openModel(path, options);
  return new OrtModel(graph, options);
}

/**
 * `extractFeatures(model, ["conv2d", "encoder/dense"], x)`: the named layers' outputs (see
 * OrtModel.extract). `model` is an OrtModel or any model holding a Keras graph as `graph` (the API's
 * Model); for the latter a session is made for the call and released after it.
 */
export async function extractFeatures(
  model: OrtModel | { graph: Graph },
  layers: string[] | "all",
  inputs: Inputs,
  options: LoadOptions = {},
): Promise<Map<string, NdArray>> {
  if (model instanceof OrtModel) return model.extract(layers, inputs);
  const m = new OrtModel(model.graph, options);
  try {
    return await m.extract(layers, inputs);
  } finally {
    await m.dispose();
  }
}
