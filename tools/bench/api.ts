/**
 * The Functional API's cost over the IR it builds on: VGG19 (the guide's feature-extraction model, 26
 * layers, at 224×224) built call by call with `Input`/`layers`/`Model` against the same architecture read
 * from Keras's JSON (fixtures/keras3/apps_config/VGG19, 64×64) into the IR — both compute every shape and
 * weight spec. Also `getConfig()` and `Model.fromConfig` of the built model. Medians of 30 runs after 5
 * warm-ups; the anchor is the JSON read, the ratio ours / anchor.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { vgg19 } from "../../examples/feature-extraction.js";
import { Model, clearSession } from "../../src/api/index.js";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import type { BenchRow } from "./plot.js";

const ROOT = join(import.meta.dirname, "..", "..");

function medianMs(fn: () => unknown, runs = 30, warmup = 5): number {
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    fn();
    if (i >= warmup) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

export function benchApi(): BenchRow[] {
  const json = JSON.parse(readFileSync(join(ROOT, "fixtures/keras3/apps_config/VGG19/model.json"), "utf8")) as unknown;
  const read = medianMs(() => readKerasJson(json));
  const build = medianMs(() => {
    clearSession();
    return vgg19([64, 64, 3]);
  });
  clearSession();
  const model = vgg19([64, 64, 3]);
  const config = model.getConfig();
  const getConfig = medianMs(() => model.getConfig());
  const fromConfig = medianMs(() => Model.fromConfig(config));
  const round = (x: number) => Math.round(x * 100) / 100;
  return [
    { name: "VGG19 built with Input/layers/Model", ours: round(build), anchor: round(read), ratio: round(build / read), unit: "ms (anchor: read from JSON)" },
    { name: "VGG19 getConfig()", ours: round(getConfig), unit: "ms" },
    { name: "VGG19 Model.fromConfig(config)", ours: round(fromConfig), anchor: round(read), ratio: round(fromConfig / read), unit: "ms (anchor: read from JSON)" },
  ];
}

if (process.argv[1]?.endsWith("api.ts")) console.table(benchApi());
