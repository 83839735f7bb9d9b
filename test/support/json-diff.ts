/**
 * Where two JSON values differ, ignoring the order of object keys (Keras's `json.dumps` and ours order
 * keys differently in places; the meaning does not depend on it). Returns up to `limit` paths with what
 * each side holds; empty when equal. `undefined` is a value of its own, so a key written as undefined
 * differs from a missing one.
 */
export function jsonDifferences(actual: unknown, expected: unknown, limit = 10): string[] {
  const out: string[] = [];
  const show = (v: unknown) => (v === undefined ? "undefined" : JSON.stringify(v)?.slice(0, 120));
  const visit = (a: unknown, e: unknown, path: string): void => {
    if (out.length >= limit) return;
    if (Array.isArray(a) && Array.isArray(e)) {
      if (a.length !== e.length) out.push(`${path}: ${a.length} items, expected ${e.length}`);
      else a.forEach((x, i) => visit(x, e[i], `${path}[${i}]`));
      return;
    }
    const isRecord = (v: unknown): v is Record<string, unknown> =>
      v !== null && typeof v === "object" && !Array.isArray(v);
    if (isRecord(a) && isRecord(e)) {
      for (const k of Object.keys(a)) if (!(k in e)) out.push(`${path}.${k}: unexpected key, holding ${show(a[k])}`);
      for (const k of Object.keys(e)) if (!(k in a)) out.push(`${path}.${k}: missing, expected ${show(e[k])}`);
      for (const k of Object.keys(e)) if (k in a) visit(a[k], e[k], `${path}.${k}`);
      return;
    }
    if (!Object.is(a, e)) out.push(`${path || "(root)"}: ${show(a)}, expected ${show(e)}`);
  };
  visit(actual, expected, "");
  return out;
}
