import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import { kerasLayerOrder } from "../../src/ir/order.js";
import { registryWithCustoms } from "../support/custom-layers.js";
import { KERAS3, keras3Cases } from "../support/fixtures.js";

const registry = registryWithCustoms();

/** Keras wrote each config's `layers` in `model.layers` order; recomputing it from the wiring must agree. */
describe("kerasLayerOrder reproduces the order Keras wrote", () => {
  for (const c of keras3Cases(["seed", "zoo", "apps_config"])) {
    it(c, () => {
      const file = join(KERAS3, c, "model.json");
      const graph = readKerasJson(readFileSync(file, "utf8"), { file, registry });
      const check = (g: typeof graph) => {
        if (g.className === "Sequential") return;
        expect(kerasLayerOrder(g.inputs, g.outputs).map((l) => l.name)).toEqual(g.layers.map((l) => l.name));
        for (const l of g.layers) if (l.subgraph) check(l.subgraph);
      };
      check(graph);
    });
  }
});
