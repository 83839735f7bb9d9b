/** How the unpickler (pickle.ts) refuses a pickle: throws, naming where and why. */
export type PickleFail = (why: string) => never;

/**
 * A NumPy array as a pickle holds it: `numpy.core.multiarray._reconstruct` then `__setstate__` with
 * (version, shape, dtype, fortran_order, data). Only what `np.save` of object arrays produces is
 * understood: no code runs, and any other global is refused.
 */
export interface PickledArray {
  kind: "ndarray";
  shape: number[];
  /** NumPy's type string, e.g. "f4", "i8", "O8", with the byte order ("<", ">", "|"). */
  dtype: string;
  endian: string;
  fortran: boolean;
  /** Raw bytes for numeric dtypes; the objects for object arrays. */
  data: Uint8Array | unknown[];
}

export interface PickledDtype {
  kind: "dtype";
  type: string;
  endian: string;
}

export type Global = "reconstruct" | "ndarray" | "dtype" | "encode";

const GLOBALS: Record<string, Global> = {
  "numpy.core.multiarray _reconstruct": "reconstruct",
  "numpy._core.multiarray _reconstruct": "reconstruct",
  "numpy ndarray": "ndarray",
  "numpy dtype": "dtype",
  "_codecs encode": "encode",
};

/** The object on the stack as a list (APPEND, call arguments); a pickle that says otherwise is refused. */
export function list(v: unknown, fail: PickleFail): unknown[] {
  return Array.isArray(v) ? v : fail("a list or tuple expected");
}

export function global(name: string, fail: PickleFail): Global {
  const g = Object.hasOwn(GLOBALS, name) ? GLOBALS[name] : undefined;
  if (!g && /^(keras\.src\.backend|torch|tensorflow|jax|jaxlib)[. ]/.test(name)) {
    // Keras's NpzIOStore pickles the backend's variables as they are (seen: keras.src.backend Variable
    // holding a torch Parameter, Keras 3.16 on torch); only that backend could unpickle them.
    fail(
      `global '${name}': the weights are pickled backend objects (saving_lib.save_model(weights_format="npz") ` +
        "keeps Keras Variables as they are), which need Keras and that backend to unpickle; kerasgraph reads " +
        ".npz weights stored as NumPy arrays. Save the model with the default h5 weights instead",
    );
  }
  if (!g) fail(`global '${name}' is not allowed`);
  return g;
}

export function call(fn: unknown, args: unknown[], fail: PickleFail): unknown {
  if (fn === "reconstruct")
    return { kind: "ndarray", shape: [], dtype: "", endian: "|", fortran: false, data: [] } satisfies PickledArray;
  if (fn === "dtype") return { kind: "dtype", type: String(args[0]), endian: "|" } satisfies PickledDtype;
  if (fn === "encode") {
    const [text] = args;
    if (typeof text !== "string") return fail("_codecs.encode of something that is not text");
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
  }
  return fail(`cannot call ${String(fn)}`);
}

export function build(target: unknown, state: unknown, fail: PickleFail): void {
  const t = target as PickledArray | PickledDtype;
  if (t?.kind === "dtype") {
    const s = list(state, fail);
    t.endian = String(s[1] ?? "|");
    return;
  }
  if (t?.kind === "ndarray") {
    const [, shape, dtype, fortran, data] = list(state, fail) as [
      number,
      number[],
      PickledDtype,
      boolean,
      Uint8Array | unknown[],
    ];
    const sizes = Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0);
    if (
      !sizes ||
      (dtype as PickledDtype | undefined)?.kind !== "dtype" ||
      !(data instanceof Uint8Array || Array.isArray(data))
    ) {
      fail("an array's state is not (version, shape, dtype, fortran_order, data)");
    }
    t.shape = [...shape];
    t.dtype = dtype.type;
    t.endian = dtype.endian;
    t.fortran = Boolean(fortran);
    t.data = data;
    return;
  }
  fail("BUILD on an object that is not an array or dtype");
}
