import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import protobuf from "protobufjs";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { loadHdf5, openHdf5 } from "../../src/formats/hdf5/h5wasm.js";
import { withH5Reader } from "../../src/formats/hdf5/reader.js";
import { allowHdf5Library, readLimits, setReadLimits } from "../../src/formats/limits.js";
import { readNpyFile } from "../../src/formats/npy/read.js";
import { readOnnxBytes } from "../../src/formats/onnx/import/read-model.js";
import { onnxDescriptor } from "../../src/formats/onnx/proto/onnx-descriptor.js";
import { openModel } from "../../src/formats/open.js";
import { FormatError, LimitError } from "../../src/ir/errors.js";
import { FIXTURES } from "../fixture-files.js";

const dir = mkdtempSync(join(tmpdir(), "kerasgraph-hostile-limits-"));
const defaults = { ...readLimits() };
afterEach(() => {
  setReadLimits(defaults);
  allowHdf5Library(false);
});

/** The error `run` rejects with, and how long it took. */
async function failure(run: () => unknown): Promise<{ e: Error; ms: number }> {
  const t0 = performance.now();
  try {
    await run();
  } catch (e) {
    return { e: e as Error, ms: performance.now() - t0 };
  }
  throw new Error("did not fail");
}

const TENSOR_LIMIT =
  /over the limit maxTensorBytes \(4294967296\)\. If the file is genuine, raise it: setReadLimits\(\{ maxTensorBytes: \.\.\. \}\) in code, or KERASGRAPH_MAX_TENSOR_BYTES=\.\.\. for the command line\./;

function npy(shape: string, body = 64): string {
  const header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`.padEnd(117) + "\n";
  const bytes = new Uint8Array(10 + header.length + body);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
  bytes.set(new TextEncoder().encode(header), 10);
  const path = join(dir, `npy-${bytes.length}-${shape.length}.npy`);
  writeFileSync(path, bytes);
  return path;
}

describe("a small file declaring a huge tensor fails fast with LimitError, before allocating", () => {
  it(".npy: 256 bytes declaring 40 TB", async () => {
    const path = npy("(100000, 100000, 1000)");
    expect(statSync(path).size).toBeLessThan(1024);
    const { e, ms } = await failure(() => readNpyFile(path));
    expect(e).toBeInstanceOf(LimitError);
    expect(e.message).toMatch(
      /npy: the array \(shape \(100000, 100000, 1000\) of <f4\) declares 10000000000000 elements of 4 byte\(s\), which is 40000000000000, over/,
    );
    expect(e.message).toMatch(TENSOR_LIMIT);
    expect(ms).toBeLessThan(500);
  });

  it("raising the limit lets the reader go on, to the file-size check", async () => {
    setReadLimits({ maxTensorBytes: 2 ** 50 });
    const { e } = await failure(() => readNpyFile(npy("(100000, 100000, 1000)")));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(/declares shape \(100000, 100000, 1000\) of <f4, 40000000000000 bytes, but holds 64/);
  });

  it("Keras JSON: a 1 KB config whose Dense has 10^12 units", async () => {
    const config = JSON.parse(readFileSync(join(FIXTURES, "keras3/layers/Dense/model.json"), "utf8"));
    config.config.layers[1].config.units = 1e12;
    const path = join(dir, "units.json");
    writeFileSync(path, JSON.stringify(config));
    expect(statSync(path).size).toBeLessThan(2048);
    const { e, ms } = await failure(() => openModel(path));
    expect(e).toBeInstanceOf(LimitError);
    expect(e.message).toMatch(
      /units\.json: layer 'dense' \(Dense\) weight 'kernel' \[8, 1000000000000\] takes 32000000000000 bytes, which is/,
    );
    expect(ms).toBeLessThan(500);
  });

  it("TF.js: a manifest entry of shape [100000, 100000]", async () => {
    const source = join(FIXTURES, "real/FrederickRoman+divorce-predictor/tfjs");
    const json = JSON.parse(readFileSync(join(source, "model.json"), "utf8"));
    json.weightsManifest[0].weights[0].shape = [100000, 100000];
    const path = join(dir, "model.json");
    writeFileSync(path, JSON.stringify(json));
    writeFileSync(join(dir, "group1-shard1of1.bin"), readFileSync(join(source, "group1-shard1of1.bin")));
    const { e } = await failure(() => openModel(path));
    expect(e).toBeInstanceOf(LimitError);
    expect(e.message).toMatch(/model\.json: TF\.js weight '[^']+' declares 10000000000 elements/);
  });

  it("ONNX: a 60-byte model whose initializer declares [1000000, 1000000] over 4 bytes of data", async () => {
    const ModelProto = protobuf.Root.fromJSON(onnxDescriptor).lookupType("onnx.ModelProto");
    const bytes = ModelProto.encode(
      ModelProto.fromObject({
        irVersion: 8,
        opsetImport: [{ version: 17 }],
        graph: {
          name: "g",
          initializer: [{ name: "w", dims: [1000000, 1000000], dataType: 1, rawData: new Uint8Array(4) }],
        },
      }),
    ).finish();
    expect(bytes.length).toBeLessThan(100);
    const { e, ms } = await failure(() => readOnnxBytes(bytes, { file: "tiny.onnx" }));
    expect(e).toBeInstanceOf(LimitError);
    expect(e.message).toMatch(/tiny\.onnx: initializer 'w' declares 1000000000000 elements/);
    expect(ms).toBeLessThan(500);
  });

  it("HDF5: a weight whose dataspace declares 2^40 rows", async () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, "keras3/layers/Dense/model.h5")));
    const dims = Buffer.from([8, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0]); // kernel (8, 4)
    const at = Buffer.from(bytes).indexOf(dims);
    expect(at).toBeGreaterThan(0);
    new DataView(bytes.buffer).setBigUint64(at, 2n ** 40n, true);
    const path = join(dir, "huge-kernel.h5");
    writeFileSync(path, bytes);
    const { e, ms } = await failure(() => openModel(path));
    expect(e).toBeInstanceOf(LimitError);
    expect(e.message).toMatch(
      /huge-kernel\.h5: dataset '.*kernel.*' \(shape \[1099511627776, 4\], 4-byte values\) is 17592186044416, over/,
    );
    expect(ms).toBeLessThan(500);
  });

  it("JSON nested deeper than maxJsonDepth", async () => {
    const path = join(dir, "deep.json");
    const text = readFileSync(join(FIXTURES, "keras3/layers/Dense/model.json"), "utf8");
    const deep = text.replace(
      '"kernel_regularizer": null',
      `"kernel_regularizer": ${"[".repeat(1500)}${"]".repeat(1500)}`,
    );
    expect(deep).not.toBe(text);
    writeFileSync(path, deep);
    const { e } = await failure(() => openModel(path));
    expect(e).toBeInstanceOf(LimitError);
    expect(e.message).toMatch(
      /deep\.json: the JSON nests lists and objects 1001\+ levels deep, which is 1001, over the limit maxJsonDepth \(1000\)/,
    );
    setReadLimits({ maxJsonDepth: 2000 });
    expect((await openModel(path)).graph.layers).toHaveLength(2);
  });

  it("the command line prints a LimitError on one line, exit 1; --debug adds the stack", async () => {
    const path = npy("(100000, 100000, 1000)");
    const config = JSON.parse(readFileSync(join(FIXTURES, "keras3/layers/Dense/model.json"), "utf8"));
    config.config.layers[1].config.units = 1e12;
    const json = join(dir, "cli-units.json");
    writeFileSync(json, JSON.stringify(config));
    for (const debug of [false, true]) {
      let err = "";
      const code = await main(["summary", json, ...(debug ? ["--debug"] : [])], {
        stdout: { write: () => {} },
        stderr: { write: (s: string) => (err += s) },
      });
      expect(code).toBe(1);
      const [first, ...rest] = err.split("\n");
      expect(first).toMatch(
        /^kerasgraph: .*cli-units\.json: layer 'dense' \(Dense\) weight 'kernel' .*maxTensorBytes.*KERASGRAPH_MAX_TENSOR_BYTES=\.\.\. for the command line\.$/,
      );
      expect(rest.join("\n").includes("LimitError")).toBe(debug);
    }
    void path;
  });
});

describe("the HDF5 C library sees only files the TypeScript reader cannot read, and only when allowed", () => {
  it("a classic-layout file with a compressed dataset is refused unless allowHdf5Library(true)", async () => {
    await loadHdf5();
    const path = join(dir, "compressed.h5");
    const file = openHdf5(path, "w");
    file.create_dataset({
      name: "x",
      data: new Float32Array(64).fill(1),
      shape: [8, 8],
      chunks: [4, 4],
      compression: "gzip",
    });
    file.close();
    const read = () => withH5Reader(path, (r) => r.dataset("/x").values.length);
    const { e } = await failure(read);
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(
      /compressed\.h5: uses an HDF5 feature kerasgraph's own reader does not handle \(Received: '\/x' has filters \(compression\)\)\. .*allowHdf5Library\(true\) in code, or KERASGRAPH_HDF5_LIBRARY=1/,
    );
    allowHdf5Library(true);
    expect(await read()).toBe(64);
  });

  it("a damaged file is a FormatError from the TypeScript reader, never handed to the library", async () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, "keras3/layers/Dense/model.h5")));
    const heap = Buffer.from(bytes).indexOf(Buffer.from("HEAP"));
    bytes[heap] = 0x58; // "XEAP": the root group's local heap is gone
    const path = join(dir, "damaged.h5");
    writeFileSync(path, bytes);
    allowHdf5Library(true);
    const { e } = await failure(() => openModel(path));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(/damaged\.h5: is a damaged HDF5 file: no local heap at \d+\./);
  });
});
