import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../src/ir/errors.js";
import { formatNpy, parseNpy, readNpyFile, toNumbers, writeNpyFile } from "../../src/formats/npy/index.js";
import { KERAS3 } from "../support/fixtures.js";

/** Hand-made .npy bytes: a header as NumPy writes it, then the raw data. */
function npyBytes(header: string, data: Uint8Array, major = 1): Uint8Array {
  const head = new TextEncoder().encode(header);
  const pre = major === 1 ? 10 : 12;
  const out = new Uint8Array(pre + head.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, head.length, true);
  else view.setUint32(8, head.length, true);
  out.set(head, pre);
  out.set(data, pre + head.length);
  return out;
}

describe("npy", () => {
  it("reads the fixtures' arrays (float32 inputs, int32 token ids)", async () => {
    const img = await readNpyFile(join(KERAS3, "seed/autoencoder/in/0.npy"));
    expect(img.dtype).toBe("float32");
    expect(img.shape).toEqual([3, 28, 28, 1]);
    expect(img.data).toBeInstanceOf(Float32Array);
    const ids = await readNpyFile(join(KERAS3, "layers/Embedding/in/0.npy"));
    expect(ids.dtype).toBe("int32");
    expect(ids.shape).toEqual([2, 8]);
  });

  it.for([
    ["float32", Float32Array.from([1.5, -2, 3.25, 0])],
    ["float64", Float64Array.from([1e-300, -2, 3, 4])],
    ["int64", BigInt64Array.from([1n, -2n, 3n, 2n ** 40n])],
    ["int32", Int32Array.from([1, -2, 3, 4])],
    ["uint8", Uint8Array.from([1, 2, 3, 255])],
    ["bool", Uint8Array.from([1, 0, 1, 1])],
    ["float16", Uint16Array.from([0x3c00, 0xc000, 0, 0x7bff])],
  ] as const)("round-trips %s through numpy.save's format", ([dtype, data]) => {
    const bytes = formatNpy({ dtype, shape: [2, 2], data });
    const headerEnd = 10 + new DataView(bytes.buffer).getUint16(8, true);
    expect(headerEnd % 64).toBe(0);
    const back = parseNpy(bytes);
    expect(back.dtype).toBe(dtype);
    expect(back.shape).toEqual([2, 2]);
    expect(Array.from(back.data as ArrayLike<unknown>)).toEqual(Array.from(data as ArrayLike<unknown>));
  });

  it("writes 1-d shapes as (n,) and scalars as ()", () => {
    const text = (shape: number[], n: number) =>
      new TextDecoder().decode(formatNpy({ dtype: "float32", shape, data: new Float32Array(n) }).subarray(10, 80));
    expect(text([3], 3)).toContain("'shape': (3,)");
    expect(parseNpy(formatNpy({ dtype: "float32", shape: [], data: Float32Array.from([7]) })).data[0]).toBe(7);
  });

  it("reads big-endian data, Fortran order and format 2.0 headers", () => {
    const be = new Uint8Array(8);
    new DataView(be.buffer).setFloat32(0, 1.5, false);
    new DataView(be.buffer).setFloat32(4, -3, false);
    expect(toNumbers(parseNpy(npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }\n", be)))).toEqual([
      1.5, -3,
    ]);
    // [[1, 2, 3], [4, 5, 6]] stored column by column.
    const f = new Int32Array([1, 4, 2, 5, 3, 6]);
    const arr = parseNpy(
      npyBytes("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }\n", new Uint8Array(f.buffer)),
    );
    expect(toNumbers(arr)).toEqual([1, 2, 3, 4, 5, 6]);
    const v2 = parseNpy(
      npyBytes(
        "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }\n",
        new Uint8Array(Int32Array.from([9]).buffer),
        2,
      ),
    );
    expect(v2.data[0]).toBe(9);
  });

  it("refuses what is not a numeric array, naming the file", () => {
    expect(() => parseNpy(new Uint8Array([1, 2, 3]), "x.npy")).toThrow(FormatError);
    expect(() => parseNpy(new Uint8Array([1, 2, 3]), "x.npy")).toThrow(/x\.npy.*\\x93NUMPY/);
    const obj = npyBytes("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }\n", new Uint8Array(8));
    expect(() => parseNpy(obj)).toThrow(/dtype '\|O'/);
    const short = npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }\n", new Uint8Array(8));
    expect(() => parseNpy(short)).toThrow(/holds 8/);
  });

  it("writes files numpy can read back byte for byte", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kg-npy-"));
    const src = join(KERAS3, "seed/mnist_mlp/out/0.npy");
    const a = await readNpyFile(src);
    await writeNpyFile(join(dir, "o.npy"), a);
    expect(Buffer.from(readFileSync(join(dir, "o.npy"))).equals(readFileSync(src))).toBe(true);
  });
});
