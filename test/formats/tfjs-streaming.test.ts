/**
 * The TF.js writer streams its shards: weights read lazily from a .keras stay unloaded after the write
 * (each was read, written across the shards it spans and dropped), every shard but the last is exactly
 * the shard size, and the model reads back, lazily, with the same weights bit for bit.
 */
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openModel } from "../../src/formats/open.js";
import { readTfjsModel } from "../../src/formats/tfjs/read.js";
import { writeTfjsModel } from "../../src/formats/tfjs/write.js";
import { weightBytes } from "../support/cli.js";
import { KERAS3 } from "../support/fixtures.js";

describe("TF.js shards streamed both ways", () => {
  it("writes shards one weight at a time, weights spanning shard boundaries", async () => {
    const source = join(KERAS3, "seed/toy_resnet/model.keras");
    const { graph } = await openModel(source);
    const weights = graph.layers.flatMap((l) => [...l.values.values()]);
    expect(weights.every((w) => !w.loaded)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "kerasgraph-tfjs-stream-"));
    const shardBytes = 40_000;
    const { files } = await writeTfjsModel(graph, dir, { shardBytes });
    expect(weights.filter((w) => w.loaded)).toEqual([]);

    const shards = files.filter((f) => f.endsWith(".bin"));
    const total = weights.reduce((n, w) => n + w.size * 4, 0);
    expect(shards.length).toBe(Math.ceil(total / shardBytes));
    expect(shards.slice(0, -1).map((f) => statSync(f).size)).toEqual(Array(shards.length - 1).fill(shardBytes));
    expect(statSync(shards.at(-1)!).size).toBe(total - (shards.length - 1) * shardBytes);

    const back = await readTfjsModel(join(dir, "model.json"));
    // Read back lazily too: each weight is read from the shards it spans when first used.
    expect(back.graph.layers.flatMap((l) => [...l.values.values()]).filter((w) => w.loaded)).toEqual([]);
    const want = weightBytes((await openModel(source)).graph);
    expect(weightBytes(back.graph)).toEqual(want);
  });
});
