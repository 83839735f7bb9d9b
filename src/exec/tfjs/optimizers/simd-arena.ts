import { type SimdKernels, simdKernels } from "./simd-module.js";

/** Float32 regions of one variable in the SIMD module's memory: the weights, the gradient, the slots. */
export interface VariableRegions {
  /** Element count, and the count the kernels run over (a multiple of 4). */
  n: number;
  n4: number;
  w: Float32Array;
  g: Float32Array;
  slots: Map<string, Float32Array>;
}

/**
 * The optimizer's working memory for the SIMD kernels: per variable, its weights, gradient and slot
 * variables side by side in the module's memory (16-byte aligned, padded to whole lanes), allocated
 * once at build so the views stay valid. The slots live here for good; weights and gradients are
 * copied in and the weights out around each update.
 */
export class SimdArena {
  private constructor(
    readonly kernels: SimdKernels,
    readonly regions: VariableRegions[],
  ) {}

  static create(sizes: number[], slotNames: string[]): SimdArena | null {
    const pad = (n: number) => Math.ceil(n / 4) * 4;
    const floats = sizes.reduce((s, n) => s + pad(n) * (2 + slotNames.length), 0);
    const kernels = simdKernels(floats * 4);
    if (!kernels) return null;
    let at = 0;
    const take = (n: number) => {
      const view = new Float32Array(kernels.memory.buffer, at * 4, n);
      at += pad(n);
      return view;
    };
    const regions = sizes.map((n) => ({
      n,
      n4: pad(n),
      w: take(n),
      g: take(n),
      slots: new Map(slotNames.map((s) => [s, take(n)] as [string, Float32Array])),
    }));
    return new SimdArena(kernels, regions);
  }

  /** The byte address of a view in the module's memory. */
  static address(view: Float32Array): number {
    return view.byteOffset;
  }
}
