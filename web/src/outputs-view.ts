import type { NdArray } from "../../src/formats/npy/array.js";
import { npyDownload } from "./downloads.js";
import { byId, el } from "./element.js";
import type { Prediction } from "./runner.js";
import { formatValue } from "./value-stats.js";

const SHOWN = 24;
const TOP_K = 5;

/**
 * The model's outputs: per output its shape, its first values, a .npy download, and for a classifier
 * (a `(batch, classes)` output) the top 5 classes of the first sample.
 */
export function showOutputs(p: Prediction): void {
  const timing =
    `inference ${p.ms.toFixed(1)} ms` +
    (p.sessionMs !== undefined ? ` (session made in ${p.sessionMs.toFixed(0)} ms)` : "");
  byId("outputs").replaceChildren(
    el("p", { class: "meta", id: "timing" }, timing),
    ...p.outputs.map((o, i) => outputBlock(p.names[i]!, o)),
  );
}

function outputBlock(name: string, array: NdArray): HTMLElement {
  const values = Array.from(array.data as ArrayLike<number | bigint>, Number);
  const head = values.slice(0, SHOWN).map(formatValue).join(", ") + (values.length > SHOWN ? ", …" : "");
  const block = el(
    "div",
    { class: "output", "data-output": name },
    el(
      "p",
      {},
      el("strong", {}, name),
      ` (${array.shape.join(", ")}) ${array.dtype} `,
      npyDownload(array, `${name}.npy`, "Save .npy"),
    ),
    el("p", { class: "values" }, `[${head}]`),
  );
  const classes = array.shape.length === 2 ? array.shape[1]! : 0;
  if (classes > 1) block.append(topK(values.slice(0, classes)));
  return block;
}

function topK(scores: number[]): HTMLElement {
  const order = scores
    .map((v, i) => [v, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, TOP_K);
  return el(
    "table",
    { class: "topk" },
    el("thead", {}, el("tr", {}, el("th", {}, "class"), el("th", {}, "score"))),
    el(
      "tbody",
      {},
      ...order.map(([v, i]) =>
        el("tr", {}, el("td", { class: "num" }, String(i)), el("td", { class: "num" }, formatValue(v))),
      ),
    ),
  );
}
