import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import { registryWithCustoms } from "../support/custom-layers.js";
import { KERAS3, keras3Cases, readJson, recordedTotalParams } from "../support/fixtures.js";

interface LayerRow {
  name: string;
  class: string;
  params: number;
  output_shapes: (number | null)[][] | null;
}

const registry = registryWithCustoms();

describe("Keras 3 model.json → IR reproduces Keras's shapes and parameter counts", () => {
  for (const c of keras3Cases(["seed", "zoo", "layers", "apps_config"])) {
    it(c, () => {
      const dir = join(KERAS3, c);
      const file = join(dir, "model.json");
      const graph = readKerasJson(readFileSync(file, "utf8"), { file, registry });
      expect(graph.paramCounts().total).toBe(recordedTotalParams(dir));
      const rowsPath = join(dir, "layers.json");
      if (!existsSync(rowsPath)) return;
      const rows = readJson<LayerRow[]>(rowsPath);
      // model.layers lists layers only; operations (`x + 3`) are in the config but not in layers.json.
      expect(graph.layers.filter((l) => !l.isOperation).map((l) => l.name)).toEqual(rows.map((r) => r.name));
      for (const row of rows) {
        const layer = graph.getLayer(row.name)!;
        expect(layer.className, row.name).toBe(row.class);
        expect(layer.paramCounts().total, `${row.name} params`).toBe(row.params);
        if (row.output_shapes) {
          expect(
            layer.calls[0]?.outputs.map((t) => t.shape),
            `${row.name} output shapes`,
          ).toEqual(row.output_shapes);
        }
      }
    });
  }
});
