import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../src/exec/ort/model.js";
import { parseNpy } from "../../src/formats/npy/read.js";
import { encodeRgbPng } from "../../src/tools/heatmap/png.js";
import { type ViewServer, startViewServer } from "../../src/tools/view/server.js";
import { randomInput } from "../../web/src/input-arrays.js";
import { KERAS_TOLERANCE, mismatch } from "../support/allclose.js";
import { FIXTURES } from "../fixture-files.js";
import { launchChromium } from "../../tools/chromium.js";
import { WEB_ROOT, ensureWebBuild } from "../../tools/web-build.js";

const TOY = join(FIXTURES, "keras3/seed/toy_resnet");
const ARTIFACTS = join(import.meta.dirname, "../../test-artifacts");

/** The page and onnxruntime-node run the same ONNX model: they agree to float32 rounding. */
const SAME_EXECUTOR = { atol: 1e-5, rtol: 1e-4 };
/** The project's allowance for references Keras computed with TF32 convolutions (see below). */
const TF32_TOLERANCE = { atol: 1e-3, rtol: 1e-2 };

const readNpy = (path: string) => parseNpy(new Uint8Array(readFileSync(path)), path);

let browser: Browser;
let server: ViewServer;

beforeAll(async () => {
  ensureWebBuild();
  browser = await launchChromium();
  server = await startViewServer({ webRoot: WEB_ROOT });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Every URL each page requested, to check that the viewer works offline (nothing beyond its server). */
const requested = new WeakMap<Page, string[]>();

async function openPage(url = server.url): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  const urls: string[] = [];
  requested.set(page, urls);
  page.on("request", (r) => urls.push(r.url()));
  page.on("worker", (w) => urls.push(w.url()));
  await page.goto(url);
  await page.waitForSelector("#app[data-ready]");
  return page;
}

/** Clicks a "Save .npy" link and parses the file the page hands over. */
async function downloadNpy(page: Page, selector: string) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return parseNpy(new Uint8Array(readFileSync((await download.path())!)), download.suggestedFilename());
}

describe("viewer in headless Chromium: the toy ResNet .keras", () => {
  it("draws one node per layer, runs the fixture's input as Keras did, and shows a conv layer's activation", async () => {
    const page = await openPage();
    await page.setInputFiles("#file", join(TOY, "model.keras"));
    await page.waitForSelector("#diagram svg g.node");
    const layers = (JSON.parse(readFileSync(join(TOY, "layers.json"), "utf8")) as unknown[]).length;
    expect(await page.locator("#diagram g.node").count()).toBe(layers);
    expect(await page.locator("#diagram g.node[data-layer=conv2d_1]").count()).toBe(1);
    await expect.poll(() => page.locator("#summary tbody tr").count()).toBe(layers);

    // Run on the fixture's own input (in/0.npy).
    await page.click("#tab-run");
    await page.setInputFiles('input[name="file-img"]', join(TOY, "in/0.npy"));
    expect(await page.inputValue('select[name="source-img"]')).toBe("npy");
    await page.click("#run");
    await page.waitForSelector('.output[data-output="dense_1"]');
    const out = await downloadNpy(page, '.output[data-output="dense_1"] a.download');
    // The page computes what the CLI's executor (onnxruntime-node) computes for the same model...
    const x = readNpy(join(TOY, "in/0.npy"));
    const node = await loadModel(join(TOY, "model.keras"));
    const [nodeOut] = await node.predict(x);
    expect(mismatch(out, nodeOut!, SAME_EXECUTOR)).toBeNull();
    // ... and Keras's out/0.npy within the allowance for its TF32 rounding: Keras ran the reference on a
    // GPU whose cuDNN convolutions multiply in TF32 from conv2d_1 on (measured in
    // test/formats/onnx-keras3.test.ts); 3 of the 30 outputs are 1e-4 past the float32 tolerance there,
    // in the page as in onnxruntime-node. The ticket classifier below meets the float32 tolerance.
    expect(mismatch(out, readNpy(join(TOY, "out/0.npy")), TF32_TOLERANCE)).toBeNull();
    expect(await page.locator(".output table.topk tbody tr").count()).toBe(5);

    // Click a conv layer in the diagram: its activation equals Keras's activations/conv2d.npy (the first
    // convolution, 3 input channels: exact on Keras's GPU too), at the fixtures' float32 tolerance.
    await page.waitForSelector("#status:has-text('Ran in')"); // set once every layer's output is in
    await page.click("#diagram g.node[data-layer=conv2d]");
    await page.waitForSelector('.activation[data-key="conv2d"] canvas.heatmap');
    expect(await page.locator("#diagram g.node.selected").getAttribute("data-layer")).toBe("conv2d");
    const act = await downloadNpy(page, '.activation[data-key="conv2d"] a.download');
    expect(act.shape).toEqual([x.shape[0], 30, 30, 32]);
    expect(mismatch(act, readNpy(join(TOY, "activations/conv2d.npy")), KERAS_TOLERANCE)).toBeNull();
    // The inspector also shows the layer's weights (kernel, bias) with their histograms.
    expect(await page.locator("#inspector .weight canvas").count()).toBe(2);
    // A deeper conv layer: what onnxruntime-node extracts for it.
    await page.click("#diagram g.node[data-layer=conv2d_1]");
    await page.waitForSelector('.activation[data-key="conv2d_1"] canvas.heatmap');
    const deeper = await downloadNpy(page, '.activation[data-key="conv2d_1"] a.download');
    const nodeActs = await node.extract(["conv2d_1"], x);
    expect(mismatch(deeper, nodeActs.get("conv2d_1")!, SAME_EXECUTOR)).toBeNull();
    await node.dispose();

    // Offline: the page, its scripts, wasm and worker all came from the viewer's own server.
    const foreign = requested.get(page)!.filter((u) => !u.startsWith(server.url) && !/^(blob|data):/.test(u));
    expect(foreign).toEqual([]);
    expect(requested.get(page)!.some((u) => u.endsWith(".wasm"))).toBe(true);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "viewer-toy-resnet.png") });
    await page.close();
  }, 120_000);

  it("ticket classifier: three .npy inputs, two outputs, both within the float32 tolerance of Keras", async () => {
    const dir = join(FIXTURES, "keras3/seed/ticket_classifier");
    const spec = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as {
      inputs: { input_layer: string; file: string }[];
      outputs: { output_layer: string; file: string }[];
    };
    const page = await openPage();
    await page.setInputFiles("#file", join(dir, "model.keras"));
    await page.waitForSelector("#diagram svg g.node");
    await page.click("#tab-run");
    for (const input of spec.inputs) {
      await page.setInputFiles(`input[name="file-${input.input_layer}"]`, join(dir, input.file));
    }
    await page.click("#run");
    for (const output of spec.outputs) {
      await page.waitForSelector(`.output[data-output="${output.output_layer}"]`);
      const got = await downloadNpy(page, `.output[data-output="${output.output_layer}"] a.download`);
      expect(mismatch(got, readNpy(join(dir, output.file)), KERAS_TOLERANCE), output.output_layer).toBeNull();
    }
    await page.close();
  }, 60_000);

  it("opens the model `kerasgraph view MODEL` serves, without a drop", async () => {
    const served = await startViewServer({ webRoot: WEB_ROOT, model: join(TOY, "model.h5") });
    try {
      const page = await openPage(served.url);
      await page.waitForSelector("#diagram svg g.node");
      expect(await page.textContent("#model-name")).toContain("model.h5 (h5");
      await page.close();
    } finally {
      await served.close();
    }
  }, 60_000);
});

describe("viewer: broken files", () => {
  const cases: { name: string; bytes: Buffer; says: RegExp }[] = [
    { name: "cut.keras", bytes: readFileSync(join(TOY, "model.keras")).subarray(0, 5000), says: /cut\.keras: .*zip/i },
    { name: "cut.h5", bytes: readFileSync(join(TOY, "model.h5")).subarray(0, 3000), says: /cut\.h5: / },
    {
      name: "notes.json",
      bytes: Buffer.from('{"hello": 1}'),
      says: /notes\.json: is JSON but not a Keras model.*Received/,
    },
    {
      name: "model.keras",
      bytes: Buffer.from("definitely not a model"),
      says: /model\.keras: is not a model file.*Received/,
    },
  ];
  it.for(cases)(
    "$name: a readable error in the page, the page still usable",
    { timeout: 60_000 },
    async ({ name, bytes, says }) => {
      const page = await openPage();
      await page.setInputFiles("#file", { name, mimeType: "application/octet-stream", buffer: bytes });
      await page.waitForSelector("#error:not([hidden])");
      expect(await page.textContent("#error p")).toMatch(says);
      expect(await page.isVisible("header")).toBe(true);
      expect(await page.textContent("#diagram")).toContain("Drop a model here");
      // A good file afterwards opens normally and clears the message.
      await page.setInputFiles("#file", join(TOY, "model.json"));
      await page.waitForSelector("#diagram svg g.node");
      expect(await page.isHidden("#error")).toBe(true);
      await page.close();
    },
  );
});

describe("viewer: hostile names", () => {
  it("shows a layer name with markup as text, running nothing", async () => {
    const name = '<img src=x onerror="window.__pwned=1">';
    const model = {
      class_name: "Sequential",
      config: {
        name: "s",
        layers: [
          { class_name: "InputLayer", config: { batch_shape: [null, 4], name: "in" } },
          { class_name: "Dense", config: { name, units: 2 } },
        ],
      },
    };
    const page = await openPage();
    await page.setInputFiles("#file", {
      name: "m.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(model)),
    });
    await page.waitForSelector("#diagram svg g.node");
    // A Sequential is drawn without its InputLayer, as Keras draws it: one node.
    expect(await page.locator("#diagram g.node").getAttribute("data-layer")).toBe(name);
    await page.click("#tab-summary");
    expect(await page.textContent("#summary tbody")).toContain(name);
    expect(await page.locator("#diagram img, #summary img").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
  }, 60_000);
});

describe("viewer: other formats and inputs", () => {
  it("an .onnx file (Keras's own export of the MNIST MLP): drawn node by node, run on .npy as Keras did", async () => {
    const dir = join(FIXTURES, "keras3/seed/mnist_mlp");
    const page = await openPage();
    await page.setInputFiles("#file", join(dir, "keras_export.onnx"));
    await page.waitForSelector("#diagram svg g.node");
    expect(await page.textContent("#model-name")).toContain("(onnx)");
    await page.click("#tab-run");
    await page.setInputFiles(".input-row input[type=file]", join(dir, "in/0.npy"));
    await page.click("#run");
    await page.waitForSelector(".output a.download");
    const got = await downloadNpy(page, ".output a.download");
    expect(mismatch(got, readNpy(join(dir, "out/0.npy")), KERAS_TOLERANCE)).toBeNull();
    await page.close();
  }, 60_000);

  it("a TF.js model.json dropped with its shard: weights read in the page, the same outputs as its Keras .h5", async () => {
    const dir = join(FIXTURES, "real/FrederickRoman+divorce-predictor");
    const page = await openPage();
    const files = ["tfjs/model.json", "tfjs/group1-shard1of1.bin"].map((f) => ({
      name: f.split("/").pop()!,
      bytes: [...readFileSync(join(dir, f))],
    }));
    await page.evaluate((list) => {
      const transfer = new DataTransfer();
      for (const f of list) transfer.items.add(new File([new Uint8Array(f.bytes)], f.name));
      window.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, files);
    await page.waitForSelector("#diagram svg g.node");
    expect(await page.textContent("#model-name")).toContain("model.json (tfjs");
    await page.click("#tab-run");
    await page.click("#run");
    await page.waitForSelector(".output a.download");
    const got = await downloadNpy(page, ".output a.download");
    // The page's random input is seeded: the same array in Node, run on the .h5 by onnxruntime-node.
    const h5 = await loadModel(join(dir, "nnModel/divorce_model.h5"));
    const [spec] = await h5.inputSpecs();
    const [want] = await h5.predict(randomInput(spec!, 1));
    expect(mismatch(got, want!, SAME_EXECUTOR)).toBeNull();
    await h5.dispose();
    await page.close();
  }, 60_000);

  it("an image input: a 32×32 PNG fed to the toy ResNet as its pixels (0–255)", async () => {
    const pixels = new Uint8Array(32 * 32 * 3).map((_, i) => (i * 37) % 256);
    const png = encodeRgbPng({ width: 32, height: 32, data: pixels });
    const page = await openPage();
    await page.setInputFiles("#file", join(TOY, "model.keras"));
    await page.waitForSelector("#diagram svg g.node");
    await page.click("#tab-run");
    await page.setInputFiles('input[name="file-img"]', {
      name: "picture.png",
      mimeType: "image/png",
      buffer: Buffer.from(png),
    });
    expect(await page.inputValue('select[name="source-img"]')).toBe("image");
    await page.click("#run");
    await page.waitForSelector(".output a.download");
    const got = await downloadNpy(page, ".output a.download");
    const node = await loadModel(join(TOY, "model.keras"));
    const [want] = await node.predict({ dtype: "float32", shape: [1, 32, 32, 3], data: Float32Array.from(pixels) });
    expect(mismatch(got, want!, SAME_EXECUTOR)).toBeNull();
    await node.dispose();
    await page.close();
  }, 60_000);
});
