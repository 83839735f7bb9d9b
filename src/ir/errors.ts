/**
 * One error hierarchy for the whole toolkit. Every message names the file, the layer or tensor, and
 * what was received, so a user can act on it without a stack trace.
 */
export class KerasGraphError extends Error {
  override name = "KerasGraphError";
  /** The file being read or written when the error happened, if any. */
  file?: string;
  constructor(message: string, options?: { file?: string; cause?: unknown }) {
    super(options?.file ? `${options.file}: ${message}` : message, { cause: options?.cause });
    this.file = options?.file;
  }
  /** Returns a copy of this error whose message is prefixed with the file, unless it already names one. */
  inFile(file: string): this {
    if (this.file) return this;
    this.file = file;
    this.message = `${file}: ${this.message}`;
    return this;
  }
}

/** The bytes or JSON of a file are not what the format requires. */
export class FormatError extends KerasGraphError {
  override name = "FormatError";
}

/** A layer class (or ONNX op) that no kind is registered for. */
export class UnsupportedLayerError extends KerasGraphError {
  override name = "UnsupportedLayerError";
  constructor(
    readonly className: string,
    message?: string,
    options?: { file?: string; cause?: unknown },
  ) {
    super(
      message ??
        `Unknown layer class '${className}'. It is not a built-in Keras layer kerasgraph knows; ` +
          `register a custom kind with registerLayerKind({ className: "${className}", ... }) before reading.`,
      options,
    );
  }
}

/** The graph's wiring is wrong: cycles, dangling references, disconnected outputs. */
export class GraphError extends KerasGraphError {
  override name = "GraphError";
}

/** A layer received an input shape (or dtype) it cannot accept. */
export class ShapeError extends KerasGraphError {
  override name = "ShapeError";
}

/** A declared size exceeds a safety limit (tensor elements, nesting depth, string length...). */
export class LimitError extends KerasGraphError {
  override name = "LimitError";
}
