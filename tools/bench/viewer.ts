/**
 * Viewer benchmark, in Debian's headless Chromium (the page dist-web/ as `kerasgraph view` serves it):
 * - drop to diagram: from handing the page a model file to its diagram drawn (read with the CLI's
 *   readers, DOT, Graphviz wasm, SVG in the page), for the DenseNet121-size keras.applications
 *   configs (DenseNet121 429 layers, ResNet50, EfficientNetB0) and for a DenseNet121 `.keras` with
 *   its 8 M weights (random values, written by kerasgraph); cold = a fresh page, warm = the same page
 *   opening the file again;
 * - inference latency of that DenseNet121 (the fixture's config takes 64×64×3 pictures; a batch of one)
 *   in the page (onnxruntime-web, wasm, one thread) against onnxruntime-node on the same .keras (one
 *   thread, and its default threads).
 *
 * `benchViewer()` returns rows `{name, ours, anchor?, ratio?, unit}` (anchor: onnxruntime-node's
 * latency, or the 2 s target for a cold drop-to-diagram);
 * `node --import tsx tools/bench/viewer.ts` prints them.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { loadModel } from "../../src/exec/ort/model.js";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import { writeKerasArchive } from "../../src/formats/keras-zip/write.js";
import type { Graph } from "../../src/ir/graph.js";
import { WeightData } from "../../src/ir/weights.js";
import "../../src/layers/index.js";
import { startViewServer } from "../../src/tools/view/server.js";
import { randomInput } from "../../web/src/input-arrays.js";
import { launchChromium } from "../chromium.js";
import { WEB_ROOT, ensureWebBuild } from "../web-build.js";
import type { BenchRow } from "./plot.js";

const ROOT = join(import.meta.dirname, "..", "..");
const CONFIGS = ["DenseNet121", "ResNet50", "EfficientNetB0"];
/** Target from drop to diagram of a DenseNet121-size config in a fresh page (the CLI plot's own target is 2 s). */
const TARGET_OPEN_MS = 2000;
const OPEN_RUNS = 3;
const INFER_RUNS = 10;

interface OpenTimes {
  /** The page's own clock: files received → diagram in the page, and its stages. */
  appMs: number;
  stages: { readMs: number; dotMs: number; layoutMs: number; drawMs: number };
  /** Outside: setInputFiles → the diagram's nodes in the DOM. */
  wallMs: number;
  nodes: number;
}

async function openIn(page: Page, file: string): Promise<OpenTimes> {
  await page.evaluate(() => document.querySelector("#diagram svg")?.remove());
  const started = performance.now();
  await page.setInputFiles("#file", file);
  await page.waitForSelector("#diagram svg g.node", { timeout: 300_000 });
  const wallMs = performance.now() - started;
  const { appMs, stages } = await page.evaluate(() => {
    const app = (window as unknown as { kerasgraphViewer: { openMs: number; openStages: OpenTimes["stages"] } })
      .kerasgraphViewer;
    return { appMs: app.openMs, stages: app.openStages };
  });
  return { appMs, stages, wallMs, nodes: await page.locator("#diagram g.node").count() };
}

/** Random weights for every variable (BatchNorm variances positive), so the architecture can be saved and run. */
function fillWeights(graph: Graph): void {
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (const layer of graph.uniqueLayers()) {
    for (const w of layer.weights ?? []) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const positive = /variance|gamma/.test(w.name);
      const values = Float32Array.from({ length: n }, () => (positive ? 0.5 + next() : (next() - 0.5) * 0.1));
      layer.values.set(w.name, new WeightData("float32", w.shape, values));
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const round = (x: number) => Math.round(x * 10) / 10;
/** Ratios to two decimals (`round` kept 0.33 as 0.3). */
const ratioOf = (x: number, y: number) => Math.round((x / y) * 100) / 100;

export async function benchViewer(): Promise<BenchRow[]> {
  ensureWebBuild();
  const browser = await launchChromium();
  const server = await startViewServer({ webRoot: WEB_ROOT });
  const scratch = mkdtempSync(join(tmpdir(), "kerasgraph-bench-viewer-"));
  const rows: BenchRow[] = [{ name: "machine load (1-minute average) at the start", ours: round(loadavg()[0]!), unit: "" }];
  const newPage = async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    await page.waitForSelector("#app[data-ready]");
    return page;
  };
  try {
    const files = CONFIGS.map((name) => ({ name, file: join(ROOT, "fixtures/keras3/apps_config", name, "model.json") }));
    const densenet = readKerasJson(readFileSync(files[0]!.file, "utf8"));
    fillWeights(densenet);
    const keras = join(scratch, "densenet121.keras");
    await writeKerasArchive(densenet, keras);
    files.push({ name: "DenseNet121 .keras (8.1 M weights)", file: keras });

    for (const { name, file } of files) {
      const cold: OpenTimes[] = [];
      const warm: OpenTimes[] = [];
      for (let i = 0; i < OPEN_RUNS; i++) {
        const page = await newPage();
        cold.push(await openIn(page, file));
        warm.push(await openIn(page, file));
        await page.close();
      }
      const label = `${name} (${cold[0]!.nodes} nodes): drop to diagram`;
      rows.push({ name: `${label}, cold page (wall)`, ours: round(median(cold.map((t) => t.wallMs))), unit: "ms" });
      const coldApp = median(cold.map((t) => t.appMs));
      rows.push({
        name: `${label}, cold page (page clock; anchor: target)`,
        ours: round(coldApp),
        anchor: TARGET_OPEN_MS,
        ratio: ratioOf(coldApp, TARGET_OPEN_MS),
        unit: "ms",
      });
      rows.push({ name: `${label}, warm page (page clock)`, ours: round(median(warm.map((t) => t.appMs))), unit: "ms" });
      for (const stage of ["readMs", "dotMs", "layoutMs", "drawMs"] as const) {
        const what = { readMs: "read (IR + weights)", dotMs: "DOT", layoutMs: "Graphviz layout", drawMs: "SVG into the page" }[stage];
        rows.push({ name: `${name}: cold ${what}`, ours: round(median(cold.map((t) => t.stages[stage]))), unit: "ms" });
      }
    }

    // Inference: the page's onnxruntime-web against onnxruntime-node, same model, same input.
    const page = await newPage();
    await openIn(page, keras);
    const inPage = await page.evaluate(
      (n) =>
        (
          window as unknown as {
            kerasgraphViewer: { timePredictions(n: number): Promise<{ sessionMs: number; ms: number[] }> };
          }
        ).kerasgraphViewer.timePredictions(n),
      INFER_RUNS,
    );
    await page.close();
    const nodeTimes = async (threads?: number) => {
      const model = await loadModel(keras, threads ? { intraOpNumThreads: threads } : {});
      const [spec] = await model.inputSpecs();
      const x = randomInput(spec!, 1);
      await model.predict(x);
      const ms: number[] = [];
      for (let i = 0; i < INFER_RUNS; i++) {
        const t = performance.now();
        await model.predict(x);
        ms.push(performance.now() - t);
      }
      await model.dispose();
      return { ms: median(ms), shape: x.shape };
    };
    const { ms: node1, shape } = await nodeTimes(1);
    const { ms: nodeAll } = await nodeTimes();
    const web = median(inPage.ms);
    const label = `DenseNet121 ${shape.join("×")} inference`;
    rows.push({ name: `${label}: page session (convert + onnxruntime-web)`, ours: round(inPage.sessionMs), unit: "ms" });
    rows.push({ name: `${label}: page vs onnxruntime-node, 1 thread`, ours: round(web), anchor: round(node1), ratio: ratioOf(web, node1), unit: "ms" });
    rows.push({ name: `${label}: page vs onnxruntime-node, default threads`, ours: round(web), anchor: round(nodeAll), ratio: ratioOf(web, nodeAll), unit: "ms" });
  } finally {
    await browser.close();
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchViewer()) {
    console.log(`| ${r.name} | ${r.ours} | ${r.anchor ?? ""} | ${r.ratio ?? ""} | ${r.unit} |`);
  }
}
