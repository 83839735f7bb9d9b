import { Scratch, type TypedArray } from "../../ir/weights.js";
import { transposeWasmBase64 } from "./transpose-wasm.js";

/**
 * A batched, strided matrix transpose of 4-byte elements, in element counts:
 * `for b < batch, r < rows, c < cols: out[b·dstBatch + c·dstRow + r] = data[b·srcBatch + r·srcRow + c]`.
 */
export interface StridedTranspose {
  batch: number;
  rows: number;
  cols: number;
  srcBatch: number;
  srcRow: number;
  dstBatch: number;
  dstRow: number;
}

interface Kernel {
  memory: WebAssembly.Memory;
  transpose: (src: number, dst: number, ...plan: number[]) => void;
}

const PAGE_BYTES = 65536;
/** The kernel compares 32-bit addresses, so everything it touches ends below 4 GiB. */
const MAX_PAGES = 65535;
/**
 * A memory grown past this (for a weight over 128 MiB) is let go after the call rather than kept for
 * the rest of the process; the next call starts a new instance.
 */
const KEPT_BYTES = 256 * 2 ** 20;
/**
 * Below this many elements the JS loops win: copying into and out of the wasm memory and the call cost
 * more than the SIMD saves (about 0.5 µs, measured with tools/bench/transpose.ts's shapes made small).
 */
export const WASM_MIN_ELEMENTS = 256;

let enabled = true;
/** The compiled module, made on first use; null when this engine has no WebAssembly SIMD. */
let compiled: WebAssembly.Module | null | undefined;
/** The process's one instance, made on first use (and again after a very large memory is let go). */
let kernel: Kernel | undefined;
/** The instances of KernelScratch buffers, by their memory's current buffer. */
const owners = new WeakMap<ArrayBufferLike, Kernel>();

/**
 * Turns the WebAssembly kernel off (the JS loops do every transpose) or on again where the engine can
 * run it: for tests and benchmarks that compare the two.
 */
export function setWasmTransposeEnabled(on: boolean): void {
  enabled = on;
}

/** Whether `transposeStrided` can use the WebAssembly kernel (enabled, and SIMD available). */
export function wasmTransposeAvailable(): boolean {
  if (!enabled) return false;
  if (compiled === undefined) compiled = compileKernel();
  return compiled !== null;
}

function compileKernel(): WebAssembly.Module | null {
  if (typeof WebAssembly !== "object") return null;
  const bytes = Uint8Array.from(atob(transposeWasmBase64), (c) => c.charCodeAt(0));
  // The module is small and made of SIMD instructions: validating it is the check for SIMD itself.
  return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
}

function instantiate(module: WebAssembly.Module): Kernel {
  const { exports } = new WebAssembly.Instance(module);
  return { memory: exports.memory as WebAssembly.Memory, transpose: exports.transpose as Kernel["transpose"] };
}

/**
 * `plan` run by the WebAssembly kernel: in place where `data` and `out` are both in a KernelScratch's
 * memory, else with the data copied into the kernel's memory and the result copied out into `out`;
 * false, having done nothing, where the JS loops should do it instead: elements that are not 4 bytes,
 * small arrays to copy, no SIMD, or more than the wasm memory can hold.
 */
export function transposeStrided(data: TypedArray, out: TypedArray, plan: StridedTranspose): boolean {
  if (data.BYTES_PER_ELEMENT !== 4 || !wasmTransposeAvailable()) return false;
  const { batch, rows, cols, srcBatch, srcRow, dstBatch, dstRow } = plan;
  const bytes = data.byteLength;
  const owner = owners.get(data.buffer);
  if (owner && out.buffer === data.buffer && apart(data.byteOffset, out.byteOffset, bytes)) {
    owner.transpose(data.byteOffset, out.byteOffset, batch, rows, cols, srcBatch, srcRow, dstBatch, dstRow);
    return true;
  }
  if (data.length < WASM_MIN_ELEMENTS) return false;
  const dstAt = Math.ceil(bytes / 16) * 16;
  const pages = Math.ceil((dstAt + bytes) / PAGE_BYTES);
  if (pages > MAX_PAGES) return false;
  kernel ??= instantiate(compiled!);
  const { memory, transpose } = kernel;
  // Where the engine cannot reserve that much, the JS loops need no more than `out`.
  if (!grow(memory, pages)) return false;
  const heap = new Uint8Array(memory.buffer);
  heap.set(new Uint8Array(data.buffer, data.byteOffset, bytes), 0);
  transpose(0, dstAt, batch, rows, cols, srcBatch, srcRow, dstBatch, dstRow);
  new Uint8Array(out.buffer, out.byteOffset, bytes).set(heap.subarray(dstAt, dstAt + bytes));
  if (heap.byteLength > KEPT_BYTES) kernel = undefined;
  return true;
}

/** Whether the kernel is on and `a` and `b` are both in one KernelScratch's memory: it runs on them in place. */
export function inKernelMemory(a: TypedArray, b: TypedArray): boolean {
  return wasmTransposeAvailable() && a.buffer === b.buffer && owners.has(a.buffer);
}

function apart(a: number, b: number, bytes: number): boolean {
  return a + bytes <= b || b + bytes <= a;
}

/** Grows `memory` to at least `pages` pages; false where the engine cannot. */
function grow(memory: WebAssembly.Memory, pages: number): boolean {
  const have = memory.buffer.byteLength / PAGE_BYTES;
  if (pages <= have) return true;
  try {
    memory.grow(pages - have);
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false;
    throw e;
  }
}

/**
 * A Scratch whose "read" and "layout" buffers are in a kernel instance's own memory: a weight read into
 * "read" is transposed into "layout" by the kernel in place and written out from there, with no copy
 * into or out of the wasm memory (they were ~20 ms of ResNet50's 100 MB). Other keys, and everything
 * where the kernel cannot run, are ordinary buffers. The two share one memory in slots of equal size,
 * so growing it (which detaches earlier views) for a larger "read" makes room for its "layout" too: a
 * transpose's output is the size of its input. The memory is let go with the scratch.
 */
export class KernelScratch extends Scratch {
  private static readonly SLOTS = ["read", "layout"];
  private kernel: Kernel | null = null;
  private slotBytes = 0;

  override bytes(key: string, byteLength: number): Uint8Array {
    const slot = KernelScratch.SLOTS.indexOf(key);
    if (slot < 0 || !wasmTransposeAvailable() || !this.fit(byteLength)) return super.bytes(key, byteLength);
    return new Uint8Array(this.kernel!.memory.buffer, slot * this.slotBytes, byteLength);
  }

  /** Makes the slots at least `byteLength` long; false where the memory cannot hold them. */
  private fit(byteLength: number): boolean {
    if (this.kernel && byteLength <= this.slotBytes) return true;
    const slotBytes = Math.max(1, Math.ceil(byteLength / PAGE_BYTES)) * PAGE_BYTES;
    const pages = (KernelScratch.SLOTS.length * slotBytes) / PAGE_BYTES;
    if (pages > MAX_PAGES) return false;
    this.kernel ??= instantiate(compiled!);
    if (!grow(this.kernel.memory, pages)) return false;
    this.slotBytes = slotBytes;
    owners.set(this.kernel.memory.buffer, this.kernel);
    return true;
  }
}
