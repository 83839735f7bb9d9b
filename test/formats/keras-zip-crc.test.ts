/**
 * The weights member's CRC-32 checked on a worker thread (how large members are checked; here every
 * member is, by `setBackgroundCheckMinBytes(0)`): a damaged member still fails every read of its values
 * and every write from it with the CRC message naming the file, nothing is renamed into place, and values
 * loaded while a write deferred the check are dropped; an intact one converts to the same bytes as when
 * it is checked before the read returns.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setBackgroundCheckMinBytes } from "../../src/formats/keras-zip/member-check.js";
import { ZipReader } from "../../src/formats/keras-zip/zip-reader.js";
import { writeOnnxFileExternal } from "../../src/formats/onnx/write-external.js";
import { openModel } from "../../src/formats/open.js";
import { saveModel } from "../../src/formats/save.js";
import { FormatError } from "../../src/ir/errors.js";
import { withDeferredChecks } from "../../src/ir/weights.js";
import { KERAS3 } from "../support/fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "kerasgraph-keras-zip-crc-"));
const MLP = join(KERAS3, "seed/mnist_mlp/model.keras");
const CRC_MISMATCH = /damaged\.keras: member 'model\.weights\.h5' is corrupt \(CRC-32 mismatch\)/;
const SYNC_MIN_BYTES = 16 * 2 ** 20;

/** The MLP with one byte of its weights member flipped, `at` bytes into the member's data. */
function damaged(name: string, at: (member: number, size: number) => number): string {
  const bytes = new Uint8Array(readFileSync(MLP));
  const zip = new ZipReader(MLP);
  const entry = zip.entry("model.weights.h5")!;
  const i = at(zip.dataOffset(entry), entry.size);
  zip.close();
  bytes[i] = bytes[i]! ^ 0xff;
  const folder = join(dir, name);
  mkdirSync(folder);
  writeFileSync(join(folder, "damaged.keras"), bytes);
  return join(folder, "damaged.keras");
}

beforeAll(() => setBackgroundCheckMinBytes(0));
afterAll(() => setBackgroundCheckMinBytes(SYNC_MIN_BYTES));

describe("the weights member's CRC, checked on a worker thread", () => {
  it("an intact archive converts to the same .onnx and data as with the check made first", async () => {
    const out = (check: string, file = "m.onnx") => join(dir, check, file);
    mkdirSync(join(dir, "background"));
    mkdirSync(join(dir, "first"));
    await writeOnnxFileExternal((await openModel(MLP)).graph, out("background"), { externalData: "always" });
    setBackgroundCheckMinBytes(SYNC_MIN_BYTES);
    try {
      await writeOnnxFileExternal((await openModel(MLP)).graph, out("first"), { externalData: "always" });
    } finally {
      setBackgroundCheckMinBytes(0);
    }
    for (const file of ["m.onnx", "m.onnx.data"])
      expect(readFileSync(out("background", file)).equals(readFileSync(out("first", file))), file).toBe(true);
  });

  it("damaged weight data: the model opens, but no value loads and no write completes", async () => {
    const path = damaged("data", (member, size) => member + size - 4000);
    const { graph } = await openModel(path);
    const outs = join(dir, "data", "out");
    mkdirSync(outs);
    for (const externalData of ["always", "never"] as const) {
      const e = await writeOnnxFileExternal(graph, join(outs, "m.onnx"), { externalData }).catch((x: Error) => x);
      expect(e).toBeInstanceOf(FormatError);
      expect((e as Error).message).toMatch(CRC_MISMATCH);
    }
    await expect(saveModel(graph, join(outs, "m.keras"))).rejects.toThrow(CRC_MISMATCH);
    expect(readdirSync(outs)).toEqual([]);
    // Values loaded while the check was deferred are dropped when it fails: nothing uses them later.
    const kernel = graph.getLayer("dense")!.values.get("kernel")!;
    expect(() => withDeferredChecks(() => kernel.values)).toThrow(CRC_MISMATCH);
    expect(kernel.loaded).toBe(false);
    expect(() => kernel.values).toThrow(CRC_MISMATCH);
  });

  it("damaged HDF5 structure, or values loaded at once: opening fails with the CRC mismatch", async () => {
    const header = damaged("header", (member) => member + 1);
    await expect(openModel(header)).rejects.toThrow(CRC_MISMATCH);
    const data = damaged("eager", (member, size) => member + size - 4000);
    await expect(openModel(data, { lazy: false })).rejects.toThrow(CRC_MISMATCH);
  });
});
