import * as tf from "@tensorflow/tfjs";

type TensorInfo = { dataId: object; shape: number[]; dtype: string };
type Backend = {
  disposeData(dataId: object): unknown;
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
};
type KernelArgs = {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: Backend;
  attrs: { transposeA: boolean; transposeB: boolean };
};
type KernelFn = (args: unknown) => TensorInfo;

/** The block along the shared dimension in which tfjs-backend-wasm's naive kernel sums (kBlockSize). */
const BLOCK = 48;

let installed = false;

/**
 * tfjs-backend-wasm 4.22 multiplies with XNNPACK only when neither operand is transposed; a transposed
 * one (every Dense gradient: `xᵀ·dy`, `dy·Wᵀ`) takes a naive triple loop about 10× slower, which is most
 * of a training step. This BatchMatMul materializes the transposed operand (wasm's Transpose) and
 * multiplies on XNNPACK instead — and keeps the naive kernel's rounding: that kernel sums the shared
 * dimension in blocks of 48 and adds the block sums in order, so the product is computed block by block
 * (XNNPACK sums each block in the same sequential order) and the blocks added the same way. The results
 * are the same floats as the naive kernel's, so training follows the same path (a ReLU whose input is
 * 3e-8 from zero keeps its side). Products of several matrices, which wasm never runs on XNNPACK, go to
 * the original kernel unchanged.
 */
export function installWasmMatMul(): void {
  if (installed) return;
  const original = tf.getKernel("BatchMatMul", "wasm");
  const kernels = ["Transpose", "Slice", "Add"].map(
    (k) => tf.getKernel(k, "wasm")?.kernelFunc as unknown as KernelFn | undefined,
  );
  if (!original || kernels.some((k) => !k)) return;
  installed = true;
  const [transpose, slice, add] = kernels as KernelFn[];
  const multiply = original.kernelFunc as unknown as KernelFn;
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const { a, b } = args.inputs;
    const { transposeA, transposeB } = args.attrs;
    const backend = args.backend;
    const batch = (t: TensorInfo) => t.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    if ((!transposeA && !transposeB) || batch(a) !== 1 || batch(b) !== 1) return multiply(args);
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo) => (temps.push(t), t);
    const matrix = (t: TensorInfo) => ({ ...t, shape: t.shape.slice(-2) });
    const flip = (x: TensorInfo) => keep(transpose({ inputs: { x: matrix(x) }, backend, attrs: { perm: [1, 0] } }));
    try {
      // Logical operands L (m×k) and R (k×n). A column block of L = aᵀ is a row block of a, transposed;
      // a row block of R = bᵀ is a row block of b's transpose: both come from contiguous rows.
      const am = matrix(a);
      const bm = matrix(b);
      const [m, k] = transposeA ? [am.shape[1]!, am.shape[0]!] : (am.shape as [number, number]);
      const rightT = transposeB ? flip(bm) : bm;
      const n = rightT.shape[1]!;
      const rows = (x: TensorInfo, r0: number, count: number) =>
        count === x.shape[0]
          ? x
          : keep(slice({ inputs: { x }, backend, attrs: { begin: [r0, 0], size: [count, x.shape[1]!] } }));
      const product = (l: TensorInfo, r: TensorInfo) =>
        multiply({ inputs: { a: l, b: r }, backend, attrs: { transposeA: false, transposeB: false } });
      let out: TensorInfo | null = null;
      for (let k0 = 0; k0 < k; k0 += BLOCK) {
        const width = Math.min(BLOCK, k - k0);
        const l = transposeA
          ? flip(rows(am, k0, width))
          : width === k
            ? am
            : keep(slice({ inputs: { x: am }, backend, attrs: { begin: [0, k0], size: [m, width] } }));
        const part = product(l, rows(rightT, k0, width));
        if (!out) out = part;
        else {
          const sum = add({ inputs: { a: out, b: part }, backend });
          backend.disposeData(out.dataId);
          backend.disposeData(part.dataId);
          out = sum;
        }
      }
      out!.shape = [...a.shape.slice(0, -2), m, n];
      return out!;
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
  tf.unregisterKernel("BatchMatMul", "wasm");
  tf.registerKernel({ ...original, kernelFunc: kernelFunc as never });
}
