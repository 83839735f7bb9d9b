import type { LayerKind } from "../../ir/kind.js";
import type { Dim } from "../../ir/shape.js";
import { arg, defineOp, isSpec, pyTuple, tensorAt } from "./define-op.js";

/*
 * `x[key]` on a symbolic tensor: `GetItem().symbolic_call(x, key)` (keras/src/ops/numpy.py). Keras
 * serializes the key with serialization_lib: an int stays an int, a tuple becomes a list, `None`
 * (np.newaxis) null, a slice `{"class_name": "__slice__", "config": {"start", "stop", "step"}}` and
 * `...` `{"class_name": "__ellipsis__", "config": {}}`. So `x[:, 0]` arrives as
 * `args: [x, [{"class_name": "__slice__", "config": {"start": null, "stop": null, "step": null}}, 0]]`.
 */

interface Slice {
  start: number | null;
  stop: number | null;
  step: number | null;
}

const ELLIPSIS = Symbol("...");
type SubKey = number | null | Slice | typeof ELLIPSIS;

function classOf(v: unknown): string | null {
  return v && typeof v === "object" && !Array.isArray(v)
    ? (((v as { class_name?: unknown }).class_name as string) ?? null)
    : null;
}

/** Python's `len(range(*slice(start, stop, step).indices(length)))`. */
export function sliceLength(s: Slice, length: number): number {
  const step = s.step ?? 1;
  const neg = step < 0;
  const adjust = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    if (v < 0) {
      v += length;
      return v < 0 ? (neg ? -1 : 0) : v;
    }
    return v >= length ? (neg ? length - 1 : length) : v;
  };
  const start = adjust(s.start, neg ? length - 1 : 0);
  const stop = adjust(s.stop, neg ? -1 : length);
  if (neg) return stop < start ? Math.floor((start - stop - 1) / -step) + 1 : 0;
  return start < stop ? Math.floor((stop - start - 1) / step) + 1 : 0;
}

/** Python's repr of a key element, for messages. */
function keyRepr(k: SubKey): string {
  if (k === ELLIPSIS) return "Ellipsis";
  if (k === null) return "None";
  if (typeof k === "number") return String(k);
  const f = (v: number | null) => (v === null ? "None" : String(v));
  return `slice(${f(k.start)}, ${f(k.stop)}, ${f(k.step)})`;
}

export const GetItem = defineOp("GetItem", {}, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const raw = arg(ctx, 1, "key");
  const unsupported = (): never =>
    ctx.fail(`Unsupported key type for array slice. Received: \`${JSON.stringify(raw)}\``);
  const parse = (v: unknown): SubKey => {
    if (v === null) return null;
    if (typeof v === "number" && Number.isInteger(v)) return v;
    if (classOf(v) === "__ellipsis__") return ELLIPSIS;
    if (classOf(v) === "__slice__") {
      const c = ((v as { config?: Record<string, unknown> }).config ?? {}) as Record<string, unknown>;
      const part = (p: unknown): number | null =>
        p === null || p === undefined ? null : typeof p === "number" ? p : unsupported();
      const s = { start: part(c.start), stop: part(c.stop), step: part(c.step) };
      if (s.step === 0) ctx.fail("slice step cannot be zero");
      return s;
    }
    return unsupported();
  };
  if (isSpec(raw)) return unsupported();
  const isTuple = Array.isArray(raw);
  // A bare slice, Ellipsis or None is not a tuple, list or int in Keras: "Unsupported key type".
  if (!isTuple && typeof raw !== "number") return unsupported();
  const key: SubKey[] = (isTuple ? raw : [raw]).map(parse);
  const reprKey = isTuple ? `(${key.map(keyRepr).join(", ")}${key.length === 1 ? "," : ""})` : keyRepr(key[0]!);
  const ellipses = key.filter((k) => k === ELLIPSIS).length;
  if (ellipses > 1) ctx.fail(`Slice should only have one ellipsis. Received: \`${reprKey}\``);
  if (ellipses === 0) key.push(ELLIPSIS);
  let remaining: Dim[] = [...x.shape];
  const out: Dim[] = [];
  while (key.length) {
    const sub = key.shift()!;
    if (sub === ELLIPSIS) {
      const needed = key.length - key.filter((k) => k === null).length;
      const consumed = remaining.length - needed;
      // Python's negative slice bound when the key has more indices than dims.
      const take = consumed < 0 ? Math.max(0, remaining.length + consumed) : consumed;
      out.push(...remaining.slice(0, take));
      remaining = remaining.slice(take);
      continue;
    }
    if (sub === null) {
      out.push(1);
      continue;
    }
    if (!remaining.length)
      ctx.fail(`Array has shape ${pyTuple(x.shape)} but slice has to many indices. Received: \`${reprKey}\``);
    const length = remaining.shift()!;
    if (typeof sub === "number") {
      if (length !== null) {
        const i = sub >= 0 ? sub : sub + length;
        if (i < 0 || i >= length)
          ctx.fail(`Array has shape ${pyTuple(x.shape)} but out-of-bounds index ${reprKey} was requested.`);
      }
    } else out.push(length === null ? null : sliceLength(sub, length));
  }
  return { shape: out, dtype: x.dtype };
});

export const getItemKinds: LayerKind[] = [GetItem];
