/**
 * transposeData's two paths, the WebAssembly SIMD kernel (4-byte elements) and the JS loops, each checked
 * bit for bit against numpy.transpose's definition on every permutation of shapes whose sizes fall on
 * and off the kernel's 4×4 tiles, 64-column blocks and 16-row panels, with NaN payloads (signalling
 * ones too) in the data; the fallbacks (switched off, no SIMD, other element sizes, small arrays); and
 * the committed module bytes against what wabt assembles from the .wat; and transposes in place in a
 * KernelScratch's memory.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { TypedArray } from "../../src/ir/weights.js";
import { transposeData, transposeInPieces } from "../../src/formats/onnx/tensor-data.js";
import {
  KernelScratch,
  WASM_MIN_ELEMENTS,
  setWasmTransposeEnabled,
  transposeStrided,
  wasmTransposeAvailable,
} from "../../src/formats/transpose/transpose.js";
import { TRANSPOSE_GENERATED, transposeWasmSource } from "../../tools/gen-wasm.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** numpy.transpose by definition, on bits: out[j] = in[sum(idx_out[i] * inStride[perm[i]])]. */
function naiveTranspose(bits: Uint32Array, shape: number[], perm: number[]): Uint32Array {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Uint32Array(bits.length);
  for (let j = 0; j < bits.length; j++) {
    let rest = j;
    let src = 0;
    for (let i = shape.length - 1; i >= 0; i--) {
      src += (rest % outShape[i]!) * inStrides[perm[i]!]!;
      rest = Math.floor(rest / outShape[i]!);
    }
    out[j] = bits[src]!;
  }
  return out;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, at) => [...p.slice(0, at), n - 1, ...p.slice(at)]),
  );
}

const bitsOf = (a: TypedArray) => new Uint32Array(a.buffer, a.byteOffset, a.length);

/** `got`'s bits equal `want`'s (compared here: a deep equality of thousands of arrays takes seconds). */
function expectBits(got: TypedArray, want: Uint32Array, what: string): void {
  const bits = bitsOf(got);
  expect(bits.length, what).toBe(want.length);
  const at = bits.findIndex((b, i) => b !== want[i]);
  if (at >= 0)
    expect(`${what}: [${at}] = ${bits[at]!.toString(16)}`).toBe(`${what}: [${at}] = ${want[at]!.toString(16)}`);
}

/** Signalling and quiet NaNs of both signs with payloads, infinity and -0, as float32 bits. */
const SPECIAL_BITS = [0x7f800001, 0xffbfffff, 0x7fa00005, 0x7fc00000, 0xffc12345, 0x7f800000, 0x80000000];

/** Distinct bit patterns (so a misplaced element shows), every seventh a special one. */
function sample(n: number): Uint32Array {
  let s = 0x2545f491;
  return Uint32Array.from({ length: n }, (_, i) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return i % 7 === 3 ? SPECIAL_BITS[((i / 7) % SPECIAL_BITS.length) | 0]! : (s >>> 0) ^ i;
  });
}

const ARRAYS = [Float32Array, Int32Array, Uint32Array] as const;

// Sizes on and off the tiles (1, 3, 4, 5, 17, 33, 65), past a column block (100, 130) and a row panel (37).
const SHAPES = [
  [17, 33],
  [65, 5],
  [4, 65],
  [3, 100],
  [37, 130],
  [1, 65, 33],
  [5, 17, 33],
  [3, 65, 4],
  [17, 4, 33],
  [3, 3, 17, 33],
  [1, 1, 65, 33],
  [7, 7, 3, 17],
  [3, 5, 4, 17],
  [1, 3, 33, 65],
  [2, 3, 1, 17, 5],
];

afterEach(() => setWasmTransposeEnabled(true));

describe("transposeData, WebAssembly and JS", () => {
  it("this engine runs the WebAssembly kernel", () => {
    expect(wasmTransposeAvailable()).toBe(true);
  });

  for (const wasm of [true, false]) {
    it(`${wasm ? "WebAssembly" : "JS"}: equals numpy.transpose bit for bit on every permutation, NaN payloads kept`, () => {
      setWasmTransposeEnabled(wasm);
      let checked = 0;
      for (const shape of SHAPES) {
        const bits = sample(shape.reduce((a, b) => a * b, 1));
        for (const perm of permutations(shape.length)) {
          const want = naiveTranspose(bits, shape, perm);
          for (const Ctor of ARRAYS) {
            const data = new Ctor(bits.slice().buffer);
            const got = transposeData(data, shape, perm);
            expect(got).toBeInstanceOf(Ctor);
            expectBits(got, want, `${Ctor.name} ${shape} by ${perm}`);
            // Into a given array inside a larger buffer, the input untouched.
            const out = new Ctor(new ArrayBuffer(4 * (bits.length + 3)), 8, bits.length);
            expect(transposeData(data, shape, perm, out)).toBe(out);
            expectBits(out, want, `${Ctor.name} ${shape} by ${perm} into out`);
            expectBits(data, bits, "the input");
          }
          checked++;
        }
      }
      expect(checked).toBe(5 * 2 + 4 * 6 + 5 * 24 + 120);
    });
  }

  it("moves other element sizes and small arrays with the JS loops, bit for bit", () => {
    const shape = [3, 3, 8, 16];
    const perm = [3, 2, 0, 1];
    const n = shape.reduce((a, b) => a * b, 1);
    const source = new BigUint64Array(sample(2 * n).buffer);
    const f64 = new Float64Array(source.buffer);
    const plan = { batch: 8, rows: 9, cols: 16, srcBatch: 16, srcRow: 128, dstBatch: 9, dstRow: 72 };
    expect(transposeStrided(f64, new Float64Array(n), plan)).toBe(false);
    const order = naiveTranspose(
      Uint32Array.from({ length: n }, (_, i) => i),
      shape,
      perm,
    );
    expect(new BigUint64Array(transposeData(f64, shape, perm).buffer)).toEqual(
      BigUint64Array.from(order, (i) => source[i]!),
    );
    const small = new Float32Array(sample(21).buffer);
    expect(small.length).toBeLessThan(WASM_MIN_ELEMENTS);
    expect(transposeStrided(small, new Float32Array(21), { ...plan, batch: 1, rows: 3, cols: 7 })).toBe(false);
    expect(bitsOf(transposeData(small, [3, 7], [1, 0]))).toEqual(naiveTranspose(bitsOf(small), [3, 7], [1, 0]));
  });

  it("the kernel alone follows its definition for batched, strided plans", () => {
    const plans = [
      { batch: 1, rows: 37, cols: 130, srcBatch: 0, srcRow: 130, dstBatch: 0, dstRow: 37 },
      { batch: 5, rows: 9, cols: 67, srcBatch: 67, srcRow: 5 * 67, dstBatch: 9, dstRow: 5 * 9 },
      { batch: 3, rows: 66, cols: 7, srcBatch: 7, srcRow: 3 * 7, dstBatch: 66, dstRow: 3 * 66 },
      { batch: 4, rows: 19, cols: 21, srcBatch: 19 * 21, srcRow: 21, dstBatch: 19 * 21, dstRow: 19 },
      // Fewer rows or columns than a tile: only the element-wise edges run.
      { batch: 2, rows: 3, cols: 150, srcBatch: 150, srcRow: 2 * 150, dstBatch: 3, dstRow: 2 * 3 },
      { batch: 2, rows: 150, cols: 3, srcBatch: 3, srcRow: 2 * 3, dstBatch: 150, dstRow: 2 * 150 },
      { batch: 1, rows: 1, cols: 300, srcBatch: 0, srcRow: 300, dstBatch: 0, dstRow: 1 },
    ];
    for (const p of plans) {
      const n = p.batch * p.rows * p.cols;
      const data = new Int32Array(sample(n).buffer);
      const out = new Int32Array(n);
      expect(transposeStrided(data, out, p)).toBe(true);
      for (let b = 0; b < p.batch; b++) {
        for (let r = 0; r < p.rows; r++) {
          for (let c = 0; c < p.cols; c++) {
            const [d, s] = [b * p.dstBatch + c * p.dstRow + r, b * p.srcBatch + r * p.srcRow + c];
            if (out[d] !== data[s]) expect(`${JSON.stringify(p)}: out[${d}] = ${out[d]}`).toBe(`data[${s}]`);
          }
        }
      }
    }
  });

  it("in a KernelScratch, transposes in the kernel's memory, bit for bit, growing it for larger weights", () => {
    for (const wasm of [true, false]) {
      setWasmTransposeEnabled(wasm);
      const scratch = new KernelScratch();
      // Growing sizes (each grows the memory), and one too small to be worth copying into the kernel.
      for (const [shape, perm] of [
        [
          [3, 7],
          [1, 0],
        ],
        [
          [3, 3, 17, 33],
          [3, 2, 0, 1],
        ],
        [
          [1, 1, 65, 33],
          [3, 2, 0, 1],
        ],
        [
          [7, 7, 30, 33],
          [2, 3, 1, 0],
        ],
      ] as [number[], number[]][]) {
        const bits = sample(shape.reduce((a, b) => a * b, 1));
        const read = scratch.bytes("read", bits.byteLength);
        const data = new Float32Array(read.buffer, read.byteOffset, bits.length);
        bitsOf(data).set(bits);
        const out = scratch.like("layout", data);
        expect(out.buffer === data.buffer, `${shape}: both in the kernel's memory`).toBe(wasm);
        expect(transposeData(data, shape, perm, out)).toBe(out);
        expectBits(out, naiveTranspose(bits, shape, perm), `${wasm} ${shape} by ${perm}`);
        expectBits(data, bits, "the input");
      }
      expect(scratch.bytes("other", 64).buffer).toBe(scratch.buffer("other", 64));
    }
    setWasmTransposeEnabled(true);
    const scratch = new KernelScratch();
    const data = new Float32Array(scratch.bytes("read", 4 * 21).buffer, 0, 21);
    expect(data.length).toBeLessThan(WASM_MIN_ELEMENTS);
    const plan = { batch: 1, rows: 3, cols: 7, srcBatch: 0, srcRow: 7, dstBatch: 0, dstRow: 3 };
    expect(transposeStrided(data, scratch.like("layout", data), plan)).toBe(true);
  });

  it("switched off, leaves the work to the JS loops", () => {
    setWasmTransposeEnabled(false);
    expect(wasmTransposeAvailable()).toBe(false);
    const data = new Float32Array(sample(64 * 32).buffer);
    const out = new Float32Array(data.length);
    expect(
      transposeStrided(data, out, { batch: 1, rows: 64, cols: 32, srcBatch: 0, srcRow: 32, dstBatch: 0, dstRow: 64 }),
    ).toBe(false);
    expect(bitsOf(out).every((b) => b === 0)).toBe(true);
    expect(bitsOf(transposeData(data, [64, 32], [1, 0]))).toEqual(naiveTranspose(bitsOf(data), [64, 32], [1, 0]));
  });

  it("without WebAssembly SIMD, falls back to the JS loops", async () => {
    vi.resetModules();
    const validate = vi.spyOn(WebAssembly, "validate").mockReturnValue(false);
    try {
      const kernel = await import("../../src/formats/transpose/transpose.js");
      const { transposeData: fresh } = await import("../../src/formats/onnx/tensor-data.js");
      expect(kernel.wasmTransposeAvailable()).toBe(false);
      expect(validate).toHaveBeenCalledTimes(1);
      const bits = sample(3 * 3 * 17 * 33);
      const got = fresh(new Float32Array(bits.buffer), [3, 3, 17, 33], [3, 2, 0, 1]);
      expect(bitsOf(got)).toEqual(naiveTranspose(bits, [3, 3, 17, 33], [3, 2, 0, 1]));
      // The check is made once.
      kernel.wasmTransposeAvailable();
      expect(validate).toHaveBeenCalledTimes(1);
    } finally {
      validate.mockRestore();
      vi.resetModules();
    }
  });

  it("the committed module is what wabt assembles from transpose.wat (npm run gen:wasm)", async () => {
    expect(readFileSync(join(ROOT, TRANSPOSE_GENERATED), "utf8")).toBe(await transposeWasmSource());
  });
});

describe("transposeInPieces", () => {
  afterEach(() => setWasmTransposeEnabled(true));

  /** A matrix, conv kernels both ways (batched, batch-first), with unit axes. */
  const cases = [
    { shape: [37, 53], perm: [1, 0] },
    { shape: [3, 3, 17, 33], perm: [3, 2, 0, 1] },
    { shape: [33, 17, 3, 3], perm: [2, 3, 1, 0] },
    { shape: [1, 1, 64, 40], perm: [3, 2, 0, 1] },
    { shape: [5, 19, 23], perm: [0, 2, 1] },
    { shape: [7, 1, 29, 11], perm: [0, 1, 3, 2] },
  ];
  /** n floats at the start of the scratch's "layout" memory, as the writer asks for its pieces. */
  const layoutOf = (scratch: KernelScratch) => (n: number) => {
    const b = scratch.bytes("layout", n * 4);
    return new Float32Array(b.buffer, b.byteOffset, n);
  };
  for (const { shape, perm } of cases) {
    for (const pieceElements of [1, 100, 1000, 1e9]) {
      it(`(${shape}) by [${perm}] in pieces of ${pieceElements}: the whole transpose, in order, bit for bit`, () => {
        const bits = sample(shape.reduce((a, b) => a * b, 1));
        const scratch = new KernelScratch();
        const read = scratch.like("read", new Float32Array(bits.length));
        read.set(new Float32Array(bits.buffer));
        const pieces: Uint32Array[] = [];
        const layout = layoutOf(scratch);
        expect(transposeInPieces(read, shape, perm, pieceElements, layout, (p) => pieces.push(bitsOf(p).slice()))).toBe(
          true,
        );
        const joined = new Uint32Array(pieces.reduce((n, p) => n + p.length, 0));
        pieces.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
        expect(joined).toEqual(naiveTranspose(bits, shape, perm));
        // Whole output rows per piece, as few as fit.
        if (pieceElements === 1e9) expect(pieces.length).toBe(1);
        else expect(pieces.length).toBeGreaterThan(1);
      });
    }
  }

  it("declines (emitting nothing) outside a KernelScratch's memory, with the kernel off, or for other transposes", () => {
    const data = new Float32Array(sample(6 * 8).buffer);
    const emit = vi.fn();
    expect(transposeInPieces(data, [6, 8], [1, 0], 8, (n) => new Float32Array(n), emit)).toBe(false);
    const scratch = new KernelScratch();
    const read = scratch.like("read", data);
    read.set(data);
    const layout = layoutOf(scratch);
    expect(transposeInPieces(read, [2, 3, 8], [1, 0, 2], 8, layout, emit)).toBe(false); // not a matrix transpose
    expect(transposeInPieces(read, [6, 8], [0, 1], 8, layout, emit)).toBe(false); // nothing moves
    setWasmTransposeEnabled(false);
    expect(transposeInPieces(read, [6, 8], [1, 0], 8, layout, emit)).toBe(false);
    expect(emit).not.toHaveBeenCalled();
  });
});
