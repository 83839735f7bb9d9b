/**
 * A small WebAssembly module with SIMD update rules for the optimizers' default configurations, built
 * here byte by byte (no toolchain at run time or build time). Each kernel works in place on float32
 * arrays in the module's memory, two elements at a time in float64 (f64x2), and rounds to float32 where
 * the JavaScript loops of sgd.ts, rmsprop.ts and adam.ts store: the same operations in the same order,
 * so the results are those loops' bit for bit. (Float32 arithmetic throughout was tried: it lands a
 * rounding away from torch's fused multiply-adds often enough to move a training run off Keras's.)
 * `n` is the element count, rounded up to an even number.
 *
 *   rmsprop: v = ρ·v + ((1-ρ)·g)·g;  w = w - (lr·g) / sqrt(v + ε)
 *   sgd:     m = m·μ - g·lr;         w = w + (nesterov ? m·μ - g·lr : m)
 *   adam:    m = m·β1 + g·(1-β1);    v = v·β2 + (g·g)·(1-β2);  w = w - (m·α) / (sqrt(v) + ε)
 */

const I32 = 0x7f;
const _F32 = 0x7d;
const V128 = 0x7b;

/** LEB128 of an unsigned integer. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

// Instructions.
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const _tee = (i: number) => [0x22, ...uleb(i)];
const simd = (op: number) => [0xfd, ...uleb(op)];
const splat = simd(0x14); // f64x2.splat
const [sqrt, add, sub, mul, div] = [0xef, 0xf0, 0xf1, 0xf2, 0xf3].map(simd) as [
  number[],
  number[],
  number[],
  number[],
  number[],
];
/** Two float32 at the address on the stack, as two float64 (v128.load64_zero, f64x2.promote_low_f32x4). */
const load = [...simd(0x5d), 3, 0, ...simd(0x5f)];
/** Two float64 rounded to float32 and stored at the address below them (f32x4.demote_f64x2_zero, v128.store64_lane 0). */
const store = [...simd(0x5e), ...simd(0x5b), 3, 0, 0];
/** `address(p) = p + i`, with `i` the byte offset local. */
const at = (p: number, i: number) => [...get(p), ...get(i), 0x6a];

/**
 * `for (i = 0; i < n * 4; i += 8) body`: two elements per turn, `n` in local `nLocal`, the byte offset
 * in local `i`.
 */
function loop(nLocal: number, i: number, body: number[]): number[] {
  return [
    0x02, 0x40, // block
    0x03, 0x40, // loop
    ...get(i), ...get(nLocal), 0x41, 2, 0x74, 0x4f, 0x0d, 1, // br_if 1 when i >= n << 2 (unsigned)
    ...body,
    ...get(i), 0x41, 8, 0x6a, ...set(i),
    0x0c, 0, // br 0
    0x0b, 0x0b, // end loop, end block
  ]; // prettier-ignore
}

/** A function body: locals declared as [count, type] runs, then code, then `end`. */
function body(locals: [number, number][], code: number[]): number[] {
  const inner = [...vector(locals.map(([c, t]) => [...uleb(c), t])), ...code, 0x0b];
  return [...uleb(inner.length), ...inner];
}

/** Splats float64 parameters into v128 locals: [param, local] pairs. */
const splats = (pairs: [number, number][]) => pairs.flatMap(([p, l]) => [...get(p), ...splat, ...set(l)]);

function rmsprop(): number[] {
  // params: w0 g1 v2 n3 | rho4 c5 lr6 eps7 (f64); locals: i8, rho9 c10 lr11 eps12 gv13 (v128)
  const code = [
    ...splats([[4, 9], [5, 10], [6, 11], [7, 12]]),
    ...loop(3, 8, [
      ...at(1, 8), ...load, ...set(13),
      // v = ρ·v + ((1-ρ)·g)·g
      ...at(2, 8),
      ...get(9), ...at(2, 8), ...load, ...mul, ...get(10), ...get(13), ...mul, ...get(13), ...mul, ...add,
      ...store,
      // w = w - (lr·g) / sqrt(v + ε), v as stored (float32)
      ...at(0, 8),
      ...at(0, 8), ...load, ...get(11), ...get(13), ...mul, ...at(2, 8), ...load, ...get(12), ...add, ...sqrt, ...div, ...sub,
      ...store,
    ]),
  ]; // prettier-ignore
  return body(
    [
      [1, I32],
      [5, V128],
    ],
    code,
  );
}

function sgd(): number[] {
  // params: w0 g1 m2 n3 | lr4 mu5 (f64) nesterov6 (i32); locals: i7, lr8 mu9 step10 (v128)
  const code = [
    ...splats([[4, 8], [5, 9]]),
    ...loop(3, 7, [
      ...at(1, 7), ...load, ...get(8), ...mul, ...set(10), // step = g·lr
      // m = m·μ - step
      ...at(2, 7),
      ...at(2, 7), ...load, ...get(9), ...mul, ...get(10), ...sub,
      ...store,
      // w = w + (nesterov ? m·μ - step : m), m as stored
      ...at(0, 7),
      ...at(0, 7), ...load,
      ...get(6),
      0x04, V128, // if (result v128)
      ...at(2, 7), ...load, ...get(9), ...mul, ...get(10), ...sub,
      0x05, // else
      ...at(2, 7), ...load,
      0x0b,
      ...add,
      ...store,
    ]),
  ]; // prettier-ignore
  return body(
    [
      [1, I32],
      [3, V128],
    ],
    code,
  );
}

function adam(): number[] {
  // params: w0 g1 m2 v3 n4 | b1 5, c1 6, b2 7, c2 8, alpha 9, eps 10 (f64); locals: i11, b1 12 c1 13 b2 14 c2 15 alpha16 eps17 gv18 (v128)
  const code = [
    ...splats([[5, 12], [6, 13], [7, 14], [8, 15], [9, 16], [10, 17]]),
    ...loop(4, 11, [
      ...at(1, 11), ...load, ...set(18),
      // m = m·β1 + g·(1-β1)
      ...at(2, 11),
      ...at(2, 11), ...load, ...get(12), ...mul, ...get(18), ...get(13), ...mul, ...add,
      ...store,
      // v = v·β2 + (g·g)·(1-β2)
      ...at(3, 11),
      ...at(3, 11), ...load, ...get(14), ...mul, ...get(18), ...get(18), ...mul, ...get(15), ...mul, ...add,
      ...store,
      // w = w - (m·α) / (sqrt(v) + ε), m and v as stored
      ...at(0, 11),
      ...at(0, 11), ...load, ...at(2, 11), ...load, ...get(16), ...mul, ...at(3, 11), ...load, ...sqrt, ...get(17), ...add, ...div, ...sub,
      ...store,
    ]),
  ]; // prettier-ignore
  return body(
    [
      [1, I32],
      [7, V128],
    ],
    code,
  );
}

function moduleBytes(): Uint8Array {
  const F64 = 0x7c;
  const params = (ptrs: number, floats: number, tail: number[] = []) => [
    ...Array(ptrs).fill([I32]),
    ...Array(floats).fill([F64]),
    ...tail.map((t) => [t]),
  ];
  const types = [
    [0x60, ...vector(params(4, 4)), 0x00], // rmsprop(w, g, v, n, rho, 1-rho, lr, eps)
    [0x60, ...vector(params(4, 2, [I32])), 0x00], // sgd(w, g, m, n, lr, momentum, nesterov)
    [0x60, ...vector(params(5, 6)), 0x00], // adam(w, g, m, v, n, b1, 1-b1, b2, 1-b2, alpha, eps)
  ];
  const imports = [[...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(1)]];
  const exportsList = ["rmsprop", "sgd", "adam"].map((n, i) => [...name(n), 0x00, ...uleb(i)]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector(imports)),
    ...section(3, vector([[0], [1], [2]])),
    ...section(7, vector(exportsList)),
    ...section(10, vector([rmsprop(), sgd(), adam()])),
  ]); // prettier-ignore
}

export interface SimdKernels {
  memory: WebAssembly.Memory;
  rmsprop(w: number, g: number, v: number, n: number, rho: number, oneMinusRho: number, lr: number, eps: number): void;
  sgd(w: number, g: number, m: number, n: number, lr: number, momentum: number, nesterov: number): void;
  adam(w: number, g: number, m: number, v: number, n: number, ...coefficients: number[]): void;
}

/** Instantiates the kernels over a memory of `bytes` bytes; null where WebAssembly SIMD is unavailable. */
export function simdKernels(bytes: number): SimdKernels | null {
  try {
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes() as Uint8Array<ArrayBuffer>), {
      env: { memory },
    });
    return { memory, ...(instance.exports as unknown as Omit<SimdKernels, "memory">) };
  } catch {
    return null;
  }
}
