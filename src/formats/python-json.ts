import { stringifyJson } from "./json-text.js";

/**
 * JSON text as Python's `json.dumps(value)` writes it, which Keras uses for `config.json`,
 * `metadata.json` and the HDF5 `model_config` attribute: `", "` and `": "` separators, non-ASCII
 * characters escaped (`ensure_ascii`), floats as Python's repr prints them where it differs from
 * JavaScript (`1e-07`), negative zero as `-0.0`. One pass over `JSON.stringify`'s output, so a large config
 * costs milliseconds.
 */
export function pythonJsonDumps(value: unknown): string {
  const json = stringifyJson(value);
  const out: string[] = [];
  let from = 0;
  let i = 0;
  const flush = (to: number) => {
    if (to > from) out.push(json.slice(from, to));
  };
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      // a string: copy it, escaping what is not ASCII
      let j = i + 1;
      for (; j < json.length; j++) {
        const d = json.charCodeAt(j);
        if (d === 0x5c) j++;
        else if (d === 0x22) break;
        else if (d >= 0x80) {
          flush(j);
          out.push(`\\u${d.toString(16).padStart(4, "0")}`);
          from = j + 1;
        }
      }
      i = j + 1;
    } else if (c === 0x2c || c === 0x3a) {
      flush(i + 1);
      out.push(" ");
      from = i + 1;
      i++;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      while (j < json.length && /[0-9eE.+-]/.test(json[j]!)) j++;
      const token = json.slice(i, j);
      const python = pythonNumber(token);
      if (python !== token) {
        flush(i);
        out.push(python);
        from = j;
      }
      i = j;
    } else i++;
  }
  flush(json.length);
  return out.join("");
}

/** Python's float repr: exponent form below 1e-4 with at least two exponent digits ("3e-05"). */
function pythonNumber(token: string): string {
  if (!/[.eE]/.test(token)) return token;
  const n = Number(token);
  const text = n !== 0 && Math.abs(n) < 1e-4 ? n.toExponential() : token;
  return text.replace(/e([+-])(\d)$/, "e$10$2");
}
