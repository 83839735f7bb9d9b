import * as ort from "onnxruntime-node";
import { ShapeError } from "../../ir/errors.js";
import { withDeferredChecks } from "../../ir/weights.js";
import type { NdArray } from "../../formats/npy/array.js";
import { decodeOnnxModel, encodeOnnxModel } from "../../formats/onnx/proto.js";
import type { OnnxModel } from "../../formats/onnx/model.js";
import { type InputSpec, fromOrtTensor, inputSpec, toOrtTensor } from "./tensors.js";

/** Session options every kerasgraph session uses unless told otherwise. */
export interface SessionOptions {
  /** onnxruntime's graph optimizations (default "all"). */
  graphOptimizationLevel?: "disabled" | "basic" | "extended" | "all";
  intraOpNumThreads?: number;
}

/** Inputs by position (the model's input order) or by input name. */
export type Inputs = NdArray | NdArray[] | Record<string, NdArray>;

/** An onnxruntime session with the model's input specs, checking every call's inputs first. */
export class OrtSession {
  private constructor(
    readonly session: ort.InferenceSession,
    readonly inputs: InputSpec[],
    readonly outputs: string[],
  ) {}

  /**
   * A session for a model in memory (as kerasgraph's exporter made it). Its weights load as it is
   * encoded, their sources' checks made once after (see withDeferredChecks).
   */
  static async fromModel(model: OnnxModel, options: SessionOptions = {}): Promise<OrtSession> {
    return OrtSession.fromBytes(
      withDeferredChecks(() => encodeOnnxModel(model)),
      options,
      model,
    );
  }

  /** A session for ONNX bytes (a .onnx file's content). */
  static async fromBytes(
    bytes: Uint8Array,
    options: SessionOptions = {},
    model?: OnnxModel,
    /** The file the bytes came from: onnxruntime then loads it by path, finding its external data. */
    path?: string,
  ): Promise<OrtSession> {
    const ortOptions = {
      graphOptimizationLevel: options.graphOptimizationLevel ?? "all",
      ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
    };
    const session = await (path
      ? ort.InferenceSession.create(path, ortOptions)
      : ort.InferenceSession.create(bytes, ortOptions));
    const decoded = model ?? decodeOnnxModel(bytes);
    const initializers = new Set(decoded.graph.initializers.map((t) => t.name));
    const specs = decoded.graph.inputs
      .filter((i) => !initializers.has(i.name))
      .map((i) => inputSpec(i.name, i.elemType, i.shape));
    return new OrtSession(session, specs, [...session.outputNames]);
  }

  /**
   * Runs the model. Inputs are checked (count, names, shapes, dtypes) before onnxruntime sees them;
   * returns the outputs in the graph's output order, or only `fetch` of them.
   */
  async run(inputs: Inputs, fetch?: string[]): Promise<NdArray[]> {
    const feeds = this.feeds(inputs);
    const names = fetch ?? this.outputs;
    const result = await this.session.run(feeds, names);
    return names.map((n) => fromOrtTensor(result[n]!));
  }

  feeds(inputs: Inputs): Record<string, ort.Tensor> {
    const want = this.inputs.map((s) => `'${s.name}' ${formatSpec(s)}`).join(", ");
    const list = isArray(inputs) ? [inputs] : Array.isArray(inputs) ? inputs : null;
    const feeds: Record<string, ort.Tensor> = {};
    if (list) {
      if (list.length !== this.inputs.length) {
        throw new ShapeError(
          `the model expects ${this.inputs.length} input(s): ${want}. Received: ${list.length} array(s)`,
        );
      }
      this.inputs.forEach((s, i) => (feeds[s.name] = toOrtTensor(s, list[i]!)));
      return feeds;
    }
    const byName = inputs as Record<string, NdArray>;
    const unknown = Object.keys(byName).filter((k) => !this.inputs.some((s) => s.name === k));
    const missing = this.inputs.filter((s) => !(s.name in byName)).map((s) => s.name);
    if (unknown.length || missing.length) {
      throw new ShapeError(
        `the model expects input(s) ${want}. Received: ${
          Object.keys(byName)
            .map((k) => `'${k}'`)
            .join(", ") || "none"
        }` +
          (missing.length ? `; missing ${missing.map((m) => `'${m}'`).join(", ")}` : "") +
          (unknown.length ? `; unknown ${unknown.map((m) => `'${m}'`).join(", ")}` : ""),
      );
    }
    for (const s of this.inputs) feeds[s.name] = toOrtTensor(s, byName[s.name]!);
    return feeds;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function isArray(v: unknown): v is NdArray {
  return !!v && typeof v === "object" && !Array.isArray(v) && "data" in v && "shape" in v && "dtype" in v;
}

function formatSpec(s: InputSpec): string {
  const dims = s.shape.map((d) => (d === null ? "None" : String(d)));
  return `(${dims.join(", ")}${dims.length === 1 ? "," : ""}) ${s.dtype}`;
}
