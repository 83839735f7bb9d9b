import { FormatError } from "../../../ir/errors.js";
import type { NodeReader } from "./attrs.js";
import { BATCH, type Dim } from "./graph.js";

/**
 * Reshape's target with 0 (copy, unless allowzero) and -1 (inferred) resolved, over shapes with
 * symbols. A literal equal to the file's declared batch size in front of an input that leads with the
 * batch axis is taken as the batch axis (converters write `[1, -1]` for "keep the batch").
 */
export function resolveReshape(r: NodeReader, input: readonly Dim[], target: readonly Dim[]): Dim[] {
  const allowZero = r.int("allowzero", 0) === 1;
  const out: Dim[] = target.map((t, i) => (t === 0 && !allowZero ? (input[i] ?? 0) : t));
  const declared = r.graph.declaredBatch;
  if (input[0] === BATCH && declared !== null && out[0] === declared && out.indexOf(-1) !== 0) out[0] = BATCH;
  const minus = out.indexOf(-1);
  if (minus < 0) return out;
  if (out.indexOf(-1, minus + 1) >= 0) {
    throw new FormatError(`${r.where}: the target shape has more than one -1. Received: [${target.join(", ")}]`, {
      file: r.graph.file,
    });
  }
  const split = (dims: readonly Dim[]) => {
    let n = 1;
    const syms: string[] = [];
    for (const d of dims) {
      if (typeof d === "number") n *= d;
      else syms.push(d);
    }
    return { n, syms };
  };
  const have = split(input);
  const want = split(out.filter((_, i) => i !== minus));
  const rest = [...have.syms];
  for (const s of want.syms) {
    const k = rest.indexOf(s);
    if (k >= 0) rest.splice(k, 1);
    else {
      out[minus] = r.graph.freshSymbol("reshape");
      return out;
    }
  }
  const ratio = have.n / want.n;
  if (rest.length === 0) {
    if (!Number.isInteger(ratio)) {
      throw new FormatError(
        `${r.where}: cannot reshape [${input.join(", ")}] to [${target.join(", ")}]. Received: target=[${target.join(", ")}]`,
        {
          file: r.graph.file,
        },
      );
    }
    out[minus] = ratio;
  } else if (rest.length === 1 && ratio === 1) out[minus] = rest[0]!;
  else out[minus] = r.graph.freshSymbol("reshape");
  return out;
}
