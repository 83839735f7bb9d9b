import { FormatError, LimitError, ShapeError } from "../ir/errors.js";
import type { Graph } from "../ir/graph.js";

/**
 * What a file may declare before kerasgraph allocates for it. Model files come from strangers: a 1 KB
 * file can declare a 10 GB tensor, a zip member can inflate a thousandfold, a JSON config can nest
 * deeper than the stack. Readers check declared sizes against the real file and these maxima first;
 * going over one raises LimitError naming the limit and how to raise it.
 */
export interface ReadLimits {
  /** Largest tensor (weight or array) a reader allocates, in bytes (default 4 GiB: Node's largest typed array). */
  maxTensorBytes: number;
  /** Largest zip member inflated into memory (config.json, an npz, assets), in bytes (default 1 GiB). */
  maxMemberBytes: number;
  /** Largest inflated-to-compressed size ratio of a zip member (default 1000; zip bombs reach millions). */
  maxZipRatio: number;
  /** Deepest nesting of lists and objects in a JSON config (default 1000; real Keras configs stay under 100). */
  maxJsonDepth: number;
}

const DEFAULTS: ReadLimits = {
  maxTensorBytes: 2 ** 32,
  maxMemberBytes: 2 ** 30,
  maxZipRatio: 1000,
  maxJsonDepth: 1000,
};

/** Environment variables that raise a limit for the command line: KERASGRAPH_MAX_TENSOR_BYTES, ... */
export function limitEnvName(name: keyof ReadLimits): string {
  return `KERASGRAPH_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

function fromEnv(): Partial<ReadLimits> {
  const env = typeof process === "undefined" ? {} : process.env;
  const out: Partial<ReadLimits> = {};
  for (const name of Object.keys(DEFAULTS) as (keyof ReadLimits)[]) {
    const v = Number(env[limitEnvName(name)]);
    if (Number.isFinite(v) && v > 0) out[name] = v;
  }
  return out;
}

const limits: ReadLimits = { ...DEFAULTS, ...fromEnv() };

/** The limits in force. */
export function readLimits(): Readonly<ReadLimits> {
  return limits;
}

/** Raises (or lowers) limits for every reader, e.g. `setReadLimits({ maxTensorBytes: 2 ** 34 })`; returns the previous ones. */
export function setReadLimits(change: Partial<ReadLimits>): ReadLimits {
  const before = { ...limits };
  Object.assign(limits, change);
  return before;
}

/**
 * Throws LimitError when `value` is over the limit `name` (or not a finite number): "<what> is <value>,
 * over the limit maxTensorBytes (4294967296). If the file is genuine, raise it: setReadLimits(...) or
 * KERASGRAPH_MAX_TENSOR_BYTES=...".
 */
export function checkLimit(name: keyof ReadLimits, value: number, what: string, file?: string): void {
  const limit = limits[name];
  if (Number.isFinite(value) && value <= limit) return;
  throw new LimitError(
    `${what} is ${Number.isFinite(value) ? value : "beyond any number"}, over the limit ${name} (${limit}). ` +
      `If the file is genuine, raise it: setReadLimits({ ${name}: ... }) in code, or ${limitEnvName(name)}=... for the command line.`,
    { file },
  );
}

/**
 * The bytes a tensor of `shape` takes at `bytesPerElement`, checked before anything is allocated: every
 * dimension a whole number ≥ 0 (else `null`, for the caller's FormatError naming what it read), the
 * total within maxTensorBytes (else LimitError).
 */
export function tensorBytes(
  shape: readonly unknown[],
  bytesPerElement: number,
  what: string,
  file?: string,
): number | null {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) return null; // huge whole sizes go on to the limit
    n *= d;
  }
  checkLimit(
    "maxTensorBytes",
    n * bytesPerElement,
    `${what} declares ${n} elements of ${bytesPerElement} byte(s), which`,
    file,
  );
  return n * bytesPerElement;
}

/**
 * Every weight a config declares (Dense units, Embedding vocabulary, ...) within maxTensorBytes: a
 * 1 KB config asking for a 10^12-parameter layer is refused before anything sizes, sums or allocates
 * for it (a value that large could not be held in one typed array anyway).
 */
export function checkDeclaredWeights(graph: Graph, file?: string): void {
  for (const layer of graph.uniqueLayers()) {
    if (layer.subgraph) checkDeclaredWeights(layer.subgraph, file);
    for (const w of layer.weights ?? []) {
      const bits = /(8|16|32|64)$/.exec(w.dtype)?.[1];
      let bytes = bits ? Number(bits) / 8 : 4;
      for (const d of w.shape) if (d !== null) bytes *= d; // NaN for a non-number: refused below
      const weight = `layer '${layer.name}' (${layer.className}) weight '${w.name}'`;
      if (!(bytes >= 0))
        throw new ShapeError(`${weight} has no size. Received: shape [${w.shape.join(", ")}]`, { file });
      checkLimit("maxTensorBytes", bytes, `${weight} [${w.shape.join(", ")}] takes ${bytes} bytes, which`, file);
    }
  }
}

/** The nesting depth of a parsed JSON value, counted without recursion; stops once past `max`. */
export function jsonDepth(value: unknown, max = Infinity): number {
  if (value === null || typeof value !== "object") return 0;
  let deepest = 0;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length) {
    const v = values.pop() as Record<string, unknown> | unknown[];
    const depth = depths.pop()!;
    if (depth > deepest && (deepest = depth) > max) return deepest;
    const children: unknown[] = Array.isArray(v) ? v : [];
    if (!Array.isArray(v)) for (const key in v) children.push(v[key]); // parsed JSON: own keys only
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child !== null && typeof child === "object") {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return deepest;
}

/** Throws LimitError when a parsed JSON document nests deeper than maxJsonDepth. */
export function checkJsonDepth(value: unknown, what: string, file?: string): void {
  const depth = jsonDepth(value, limits.maxJsonDepth);
  if (depth > limits.maxJsonDepth)
    checkLimit("maxJsonDepth", depth, `${what} nests lists and objects ${depth}+ levels deep, which`, file);
}

let hdf5Library = typeof process !== "undefined" && process.env.KERASGRAPH_HDF5_LIBRARY === "1";

/**
 * Lets the HDF5 C library (h5wasm) read files in h5py's classic layout that use features kerasgraph's
 * own reader does not handle (compression, chunks, shared messages, ...). Off by default: the library
 * is not hardened against damaged or hostile files (it can abort, loop or allocate gigabytes), and
 * Keras never writes those features. Files of the newer HDF5 generation (superblock 2 or 3, whose
 * structures carry checksums) go to the library either way. KERASGRAPH_HDF5_LIBRARY=1 turns it on.
 */
export function allowHdf5Library(allow: boolean): void {
  hdf5Library = allow;
}

export function hdf5LibraryAllowed(): boolean {
  return hdf5Library;
}

/** The FormatError for a classic-layout file that needs the HDF5 library when it is not allowed. */
export function hdf5LibraryRefusal(feature: string, file?: string): FormatError {
  return new FormatError(
    `uses an HDF5 feature kerasgraph's own reader does not handle (Received: ${feature}). The HDF5 C library ` +
      `could read it but is not hardened against damaged or hostile files; if you trust this file, allow it: ` +
      `allowHdf5Library(true) in code, or KERASGRAPH_HDF5_LIBRARY=1 for the command line.`,
    { file },
  );
}
