import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decode } from "fast-png";
import { describe, expect, it } from "vitest";
import { readKerasJson } from "../../../src/formats/keras-json/read.js";
import type { Graph } from "../../../src/ir/graph.js";
import "../../../src/layers/index.js";
import { dotToSvg, graphvizVersion, plotModel } from "../../../src/tools/plot/index.js";
import { svgSize, svgToPng } from "../../../src/tools/plot/render-png.js";
import { FIXTURES } from "../../fixture-files.js";

const load = (c: string): Graph => {
  const path = join(FIXTURES, "keras3", c, "model.json");
  return readKerasJson(readFileSync(path, "utf8"), { file: path });
};
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
/** The strings Graphviz wrote as text, in order. */
const svgTexts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe("plotModel: SVG through Graphviz (WebAssembly)", () => {
  it("runs Graphviz from its WebAssembly build, no binary", async () => {
    expect(await graphvizVersion()).toMatch(/^\d+\.\d+/);
  });

  it.each(["seed/toy_resnet", "seed/ticket_classifier"])(
    "%s: every layer's name and shapes are in the SVG",
    async (c) => {
      const graph = load(c);
      const svg = text(await plotModel(graph, { format: "svg", showShapes: true }));
      expect(svg).toMatch(/^<\?xml/);
      expect((svg.match(/<g id="node\d+" class="node">/g) ?? []).length).toBe(graph.layers.length);
      expect((svg.match(/<g id="edge\d+" class="edge">/g) ?? []).length).toBeGreaterThan(0);
      const texts = svgTexts(svg);
      for (const layer of graph.layers) {
        expect(texts, layer.name).toContain(layer.name);
        expect(texts, layer.name).toContain(`Output shape: `);
      }
      const first = graph.layers[1]!;
      expect(texts).toContain(`(${first.calls[0]!.outputs[0]!.shape.map((d) => d ?? "None").join(", ")})`);
    },
  );

  it("scales the drawing with dpi, as Graphviz does", async () => {
    const graph = load("seed/mnist_mlp");
    const at = async (dpi: number) => svgSize(text(await plotModel(graph, { format: "svg", dpi })));
    const [a, b] = [await at(72), await at(144)];
    expect(b.width / a.width).toBeCloseTo(2, 1);
    expect(b.height / a.height).toBeCloseTo(2, 1);
  });

  it("returns the DOT text itself for format 'dot'", async () => {
    expect(text(await plotModel(load("seed/mnist_mlp"), { format: "dot" }))).toMatch(/^digraph G \{\n/);
  });

  it("DenseNet121 (429 layers) renders to SVG", async () => {
    const graph = load("apps_config/DenseNet121");
    const svg = text(await plotModel(graph, { format: "svg", showShapes: true }));
    expect((svg.match(/class="node"/g) ?? []).length).toBe(429);
  });

  it("a Graphviz error names what Graphviz said", async () => {
    await expect(dotToSvg("digraph { a -> ; }")).rejects.toThrow(
      /Graphviz could not lay out the diagram. Received: .*syntax error/,
    );
  });
});

describe("plotModel: PNG through resvg with the bundled Arimo font", () => {
  it("has one pixel per point of the SVG (the requested dpi) and draws the text", async () => {
    const graph = load("seed/toy_resnet");
    const svg = text(await plotModel(graph, { format: "svg", showShapes: true, dpi: 96 }));
    const size = svgSize(svg);
    const png = decode(await svgToPng(svg));
    expect(png.width).toBe(Math.round(size.width));
    expect(Math.abs(png.height - size.height)).toBeLessThanOrEqual(1);

    // The same drawing without its text: if the font were missing, the two would be the same picture.
    const blank = decode(await svgToPng(svg.replace(/<text[^>]*>[^<]*<\/text>/g, "")));
    let differ = 0;
    for (let i = 0; i < png.data.length; i += png.channels) if (png.data[i] !== blank.data[i]) differ++;
    expect(differ / (png.width * png.height)).toBeGreaterThan(0.02);
  });

  it("plotModel's PNG at dpi 200 is the DOT's resolution", async () => {
    const graph = load("seed/ticket_classifier");
    const png = decode(await plotModel(graph, { showShapes: true }));
    const svg = svgSize(text(await plotModel(graph, { format: "svg", showShapes: true })));
    expect(png.width).toBe(Math.round(svg.width));
    expect(svg.width).toBeGreaterThan(2000); // about 10.5 in x 200 dpi
  });

  it("refuses a PNG too large to hold in memory, saying what to do", async () => {
    await expect(plotModel(load("seed/toy_resnet"), { format: "png", dpi: 2400 })).rejects.toThrow(
      /lower the dpi or write an SVG/,
    );
  });
});

describe("the browser's PNG stand-in", () => {
  it("says that PNG needs Node and what to ask for instead", async () => {
    const { svgToPng: browserPng } = await import("../../../src/tools/plot/render-png-browser.js");
    await expect(browserPng("<svg/>")).rejects.toThrow(
      'PNG output needs Node (resvg); in a browser, ask for format "svg"',
    );
  });
});
