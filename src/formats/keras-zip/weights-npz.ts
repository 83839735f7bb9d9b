import { FormatError, LimitError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import { type TypedArray, WeightData } from "../../ir/weights.js";
import { attachWeight } from "../weight-values.js";
import { type PickledArray, unpickle } from "./pickle.js";
import { type ClassNameOf, kerasVarsGroups } from "./saveables.js";
import { unzipChecked } from "./zip-safety.js";

const MEMBER = "model.weights.npz";

const DTYPES: Record<string, [string, new (buffer: ArrayBuffer) => TypedArray]> = {
  f2: ["float16", Uint16Array],
  f4: ["float32", Float32Array],
  f8: ["float64", Float64Array],
  i1: ["int8", Int8Array],
  i2: ["int16", Int16Array],
  i4: ["int32", Int32Array],
  i8: ["int64", BigInt64Array],
  u1: ["uint8", Uint8Array],
  u2: ["uint16", Uint16Array],
  u4: ["uint32", Uint32Array],
  u8: ["uint64", BigUint64Array],
  b1: ["bool", Uint8Array],
};

/**
 * Reads `model.weights.npz` (`save_model(..., weights_format="npz")`, Keras's NpzIOStore): one `.npy`
 * per object path (`layers/dense.npy`, `__root__.npy` for the model) holding a pickled dict
 * {"0": array, "1": array, ...} of the object's variables. The pickles are decoded by a restricted
 * reader that only builds arrays, never runs code.
 */
export function readNpzWeights(bytes: Uint8Array, graph: Graph, classNameOf?: ClassNameOf): void {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipChecked(bytes, MEMBER);
  } catch (e) {
    if (e instanceof LimitError) throw e;
    throw new FormatError(`${MEMBER} is not a readable npz (zip) archive (${(e as Error).message}).`, { cause: e });
  }
  const store = new Map<string, Map<string, PickledArray>>();
  for (const [name, data] of Object.entries(members)) {
    if (!name.endsWith(".npy")) continue;
    const path = name === "__root__.npy" ? "" : name.slice(0, -4);
    store.set(path, objectDict(data, `${MEMBER} '${name}'`));
  }
  const consumed = new Set<string>();
  for (const g of kerasVarsGroups(graph, classNameOf)) {
    if (!g.vars.length) continue;
    const entry = store.get(g.path) ?? store.get(g.path.replaceAll("layers", "_layer_checkpoint_dependencies"));
    const owner = g.layer!;
    const names = g.vars.map((v) => v.weight.name).join(", ");
    if (!entry || entry.size !== g.vars.length) {
      throw new FormatError(
        `layer '${owner.name}' (${owner.className}): ${MEMBER} holds ${entry ? entry.size : "no"} variable(s) for '${g.path}', ` +
          `but the layer has ${g.vars.length} (${names}). The weights file does not match the model's config.`,
      );
    }
    g.vars.forEach((ref, i) => {
      const array = entry.get(String(i));
      if (!array) throw new FormatError(`layer '${owner.name}': ${MEMBER} '${g.path}' has no variable ${i}.`);
      attachWeight(ref, weightData(array, `${MEMBER} '${g.path}/${i}'`), `${MEMBER} '${g.path}/${i}'`);
    });
    consumed.add(g.path);
  }
  for (const [path, entry] of store) {
    if (entry.size && !consumed.has(path) && path !== "optimizer") {
      throw new FormatError(`${MEMBER} holds ${entry.size} weight(s) at '${path}' that no layer of the model has.`);
    }
  }
}

/** A `.npy` member holding a 0-d object array whose one element is a dict of arrays. */
function objectDict(bytes: Uint8Array, where: string): Map<string, PickledArray> {
  if (bytes.length < 12 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== "NUMPY") {
    throw new FormatError(`${where} is not a .npy file. Received: ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = bytes[6] === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = bytes[6] === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  if (!/'descr':\s*'\|O'/.test(header))
    throw new FormatError(`${where} is not an object array. Received header: ${header.trim()}`);
  const value = unpickle(bytes.subarray(start + headerLength), where) as PickledArray;
  const dict = Array.isArray(value?.data) ? value.data[0] : undefined;
  if (!(dict instanceof Map)) throw new FormatError(`${where} does not hold a dict of variables.`);
  const out = new Map<string, PickledArray>();
  for (const [k, v] of dict) out.set(String(k), v as PickledArray);
  return out;
}

function weightData(array: PickledArray, where: string): WeightData {
  if (array?.kind !== "ndarray") throw new FormatError(`${where} is not an array. Received: ${typeof array}`);
  const key = array.dtype.replace(/^[<>|=]/, "");
  const entry = Object.hasOwn(DTYPES, key) ? DTYPES[key] : undefined;
  if (!entry || !(array.data instanceof Uint8Array)) {
    throw new FormatError(`${where} has dtype '${array.dtype}', which kerasgraph cannot read as a weight.`);
  }
  if (array.fortran && array.shape.length > 1)
    throw new FormatError(`${where} is in Fortran order; Keras writes C order.`);
  const [dtype, ctor] = entry;
  const bytes = array.data.slice();
  const size = Number(dtype.match(/\d+/)?.[0] ?? 8) / 8 || 1;
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== count * size) {
    throw new FormatError(
      `${where} holds ${bytes.length} bytes for shape [${array.shape.join(", ")}] of ${dtype} (${count * size} expected).`,
    );
  }
  if (array.endian === ">" && size > 1)
    for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  return new WeightData(dtype, array.shape, new ctor(bytes.buffer as ArrayBuffer));
}
