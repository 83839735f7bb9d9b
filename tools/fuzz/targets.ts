import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { detectFormat } from "../../src/formats/detect.js";
import { writeKerasJson } from "../../src/formats/keras-json/write.js";
import { parseNpy, readNpyFile } from "../../src/formats/npy/read.js";
import { importOnnxGraph } from "../../src/formats/onnx/import/import.js";
import { readOnnxBytes } from "../../src/formats/onnx/import/read-model.js";
import { hasKerasMetadata, restoreKerasModel } from "../../src/formats/onnx/import/restore.js";
import { openModel } from "../../src/formats/open.js";
import { readModelBytes } from "../../src/formats/read-bytes.js";
import { tfjsGaps } from "../../src/formats/tfjs/tfjs-support.js";
import { KerasGraphError } from "../../src/ir/errors.js";
import type { Graph } from "../../src/ir/graph.js";
import { modelToDot } from "../../src/tools/plot/model-to-dot.js";
import { summaryJson, summaryText } from "../../src/tools/summary/index.js";
import { servedModelFiles } from "../../src/tools/view/model-files.js";
import type { FuzzCase } from "./corpus.js";

/** An input broke a promise without throwing: a path out of the model's folder, a file written, a weight of the wrong size. */
export class Violation extends Error {
  override name = "Violation";
}

/** How one reader took a case: "ok", or the KerasGraphError class it refused it with. */
export type Outcome = Record<string, string>;

/**
 * Runs every reader of the case's format on it, and the summary, the diagram's DOT and the Keras JSON
 * writers on every graph read: each must succeed or throw a KerasGraphError. Anything else (a
 * TypeError, a RangeError, an escape) is thrown, with `reader` naming where. The case's files are
 * written into `dir` (emptied first), which must hold exactly them afterwards.
 */
export async function runTargets(
  c: FuzzCase,
  dir: string,
  onReader: (reader: string) => void = () => {},
): Promise<Outcome> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(c.files)) writeFileSync(join(dir, name), data);
  const path = join(dir, c.main);
  const bytes = c.files[c.main]!;
  const outcome: Outcome = {};
  const attempt = async (reader: string, run: () => unknown) => {
    onReader(reader);
    try {
      await run();
      outcome[reader] = "ok";
    } catch (e) {
      if (e instanceof KerasGraphError && !(e instanceof Violation)) outcome[reader] = e.name;
      else throw Object.assign(e instanceof Error ? e : new Error(String(e)), { reader });
    }
  };
  await attempt("detectFormat", () => detectFormat(bytes, path));
  if (c.format === "npy") {
    await attempt("parseNpy", () => parseNpy(bytes, path));
    await attempt("readNpyFile", () => readNpyFile(path));
  } else if (c.format === "onnx") {
    await attempt("importOnnx", () => {
      const read = readOnnxBytes(bytes, { file: path });
      if (hasKerasMetadata(read)) exercise(restoreKerasModel(read, { file: path }));
      exercise(importOnnxGraph(readOnnxBytes(bytes, { file: path }), { file: path }).graph);
    });
    await attempt("openModel", async () => exercise((await openModel(path)).graph));
  } else {
    await attempt("openModel", async () => exercise((await openModel(path, { weights: false })).graph));
    await attempt("openModel+weights", async () => checkWeights((await openModel(path, { lazy: false })).graph));
    const companions = new Map(Object.entries(c.files).filter(([n]) => n !== c.main));
    await attempt("readModelBytes", async () => {
      const { graph } = await readModelBytes(bytes, c.main, { companions });
      exercise(graph);
      checkWeights(graph);
    });
    if (c.format === "tfjs") await attempt("servedModelFiles", () => checkServed(servedModelFiles(path), dir));
  }
  checkFolder(dir, c);
  return outcome;
}

function exercise(graph: Graph): void {
  graph.paramCounts();
  summaryText(graph, { lineLength: 100, expandNested: true });
  summaryJson(graph);
  modelToDot(graph, {
    showShapes: true,
    showDtype: true,
    expandNested: true,
    showLayerActivations: true,
    showTrainable: true,
  });
  tfjsGaps(graph);
  for (const dialect of ["keras3", "keras2"] as const) {
    try {
      JSON.stringify(writeKerasJson(graph, { dialect }));
    } catch (e) {
      if (!(e instanceof KerasGraphError)) throw e; // an operation has no Keras 2 form: a refusal, fine
    }
  }
}

/** Every weight read has as many values as its shape says (a reader must never hand out a short array). */
function checkWeights(graph: Graph): void {
  const visit = (g: Graph) => {
    for (const layer of g.uniqueLayers()) {
      if (layer.subgraph) visit(layer.subgraph);
      for (const [name, data] of layer.values) {
        const n = data.values.length;
        if (n !== data.size) {
          throw new Violation(
            `weight '${layer.name}/${name}' ${JSON.stringify(data.shape)} holds ${n} values, not ${data.size}`,
          );
        }
      }
    }
  };
  visit(graph);
  for (const v of graph.optimizer?.variables ?? []) void v.data.values;
}

function checkServed(files: string[], dir: string): void {
  const root = resolve(dir) + sep;
  for (const f of files) {
    if (!resolve(f).startsWith(root)) throw new Violation(`the viewer would serve ${f}, outside the model's folder`);
  }
}

/** Nothing was extracted beside the model or above it: the folder holds the case's files, its parent the folder. */
function checkFolder(dir: string, c: FuzzCase): void {
  const have = readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();
  const want = Object.keys(c.files).sort();
  const extra = have.filter((f) => !want.includes(f));
  if (extra.length) throw new Violation(`files appeared beside the model: ${extra.join(", ")}`);
  const siblings = readdirSync(dirname(dir)).filter((f) => f !== relative(dirname(dir), dir));
  if (siblings.length) throw new Violation(`files appeared beside the model's folder: ${siblings.join(", ")}`);
}
