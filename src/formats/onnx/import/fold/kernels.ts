import { dtypeOfDataType } from "../../model.js";
import type { NodeReader } from "../attrs.js";
import { type Const, arrayFor, constFrom, int64Const, isFloatDtype, numbers, sizeOf } from "../const.js";
import {
  normalizeAxis,
  padParams,
  reduceAxes,
  sliceParams,
  splitSizes,
  squeezeAxes,
  unsqueezeAxes,
} from "../params.js";
import { broadcastTo, elementwise } from "./broadcast.js";
import { concatConst, gatherConst, reshapeConst, sliceConst, splitConst, tileConst, transposeConst } from "./layout.js";
import { resolveReshape } from "../reshape-target.js";

/** Computes a node's outputs from constant inputs (absent optional inputs are undefined). */
export type FoldKernel = (r: NodeReader, inputs: (Const | undefined)[]) => Const[];

const first = (ins: (Const | undefined)[]): Const => ins[0]!;

function unary(fn: (x: number) => number): FoldKernel {
  return (_r, ins) => [elementwise([first(ins)], first(ins).dtype, fn)];
}

function binary(fn: (a: number, b: number) => number, outDtype?: string): FoldKernel {
  return (_r, ins) => [elementwise([ins[0]!, ins[1]!], outDtype ?? ins[0]!.dtype, fn)];
}

function variadic(fn: (a: number, b: number) => number): FoldKernel {
  return (_r, ins) => {
    const cs = ins.filter((c): c is Const => !!c);
    let acc = cs[0]!;
    for (const c of cs.slice(1)) acc = elementwise([acc, c], acc.dtype, fn);
    return [acc];
  };
}

const intDivide = (a: number, b: number) => Math.trunc(a / b);

function divide(r: NodeReader, ins: (Const | undefined)[]): Const[] {
  const dtype = ins[0]!.dtype;
  return [elementwise([ins[0]!, ins[1]!], dtype, isFloatDtype(dtype) ? (a, b) => a / b : intDivide)];
  void r;
}

function reduce(
  init: number,
  step: (acc: number, x: number) => number,
  finish?: (acc: number, n: number) => number,
): FoldKernel {
  return (r, ins) => {
    const x = first(ins);
    const rank = x.dims.length;
    const axes = reduceAxes(r, rank);
    const keep = r.int("keepdims", 1) === 1;
    const outDims = x.dims.map((d, i) => (axes.includes(i) ? 1 : d));
    const vals = numbers(x);
    const out = new Float64Array(sizeOf(outDims)).fill(init);
    const counts = new Float64Array(out.length);
    const inStrides = x.dims.map((_, i) => sizeOf(x.dims.slice(i + 1)));
    const outStrides = outDims.map((_, i) => sizeOf(outDims.slice(i + 1)));
    for (let i = 0; i < vals.length; i++) {
      let o = 0;
      for (let k = 0; k < rank; k++) {
        const c = Math.floor(i / inStrides[k]!) % x.dims[k]!;
        if (!axes.includes(k)) o += c * outStrides[k]!;
      }
      out[o] = step(out[o]!, vals[i]!);
      counts[o]!++;
    }
    const res = finish ? out.map((v, i) => finish(v, counts[i]!)) : out;
    const dims = keep ? outDims : x.dims.filter((_, i) => !axes.includes(i));
    return [constFrom(x.dtype, dims, res)];
  };
}

export const FOLD_KERNELS: Record<string, FoldKernel> = {
  Identity: (_r, ins) => [first(ins)],
  Cast: (r, ins) => {
    const to = dtypeOfDataType(r.int("to"));
    const v = numbers(first(ins));
    return [
      constFrom(
        to,
        first(ins).dims,
        isFloatDtype(to) ? v : v.map((x) => (to === "bool" ? Number(x !== 0) : Math.trunc(x))),
      ),
    ];
  },
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  Div: divide,
  Pow: binary((a, b) => a ** b),
  Mod: binary((a, b) => a - Math.floor(a / b) * b),
  Neg: unary((x) => -x),
  Abs: unary(Math.abs),
  Sqrt: unary(Math.sqrt),
  Reciprocal: unary((x) => 1 / x),
  Exp: unary(Math.exp),
  Log: unary(Math.log),
  Floor: unary(Math.floor),
  Ceil: unary(Math.ceil),
  Round: unary((x) => {
    const f = Math.floor(x);
    const d = x - f;
    return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
  }),
  Sign: unary(Math.sign),
  Relu: unary((x) => Math.max(0, x)),
  Sigmoid: unary((x) => 1 / (1 + Math.exp(-x))),
  Tanh: unary(Math.tanh),
  Not: (_r, ins) => [elementwise([first(ins)], "bool", (x) => Number(!x))],
  Equal: binary((a, b) => Number(a === b), "bool"),
  Less: binary((a, b) => Number(a < b), "bool"),
  LessOrEqual: binary((a, b) => Number(a <= b), "bool"),
  Greater: binary((a, b) => Number(a > b), "bool"),
  GreaterOrEqual: binary((a, b) => Number(a >= b), "bool"),
  And: binary((a, b) => Number(!!a && !!b), "bool"),
  Or: binary((a, b) => Number(!!a || !!b), "bool"),
  Where: (_r, ins) => [elementwise([ins[0]!, ins[1]!, ins[2]!], ins[1]!.dtype, (c, a, b) => (c ? a : b))],
  Max: variadic(Math.max),
  Min: variadic(Math.min),
  Sum: variadic((a, b) => a + b),
  Clip: (r, ins) => {
    const lo = r.graph.opset < 11 ? r.float("min", -Infinity) : ins[1] ? numbers(ins[1])[0]! : -Infinity;
    const hi = r.graph.opset < 11 ? r.float("max", Infinity) : ins[2] ? numbers(ins[2])[0]! : Infinity;
    return [elementwise([first(ins)], first(ins).dtype, (x) => Math.min(Math.max(x, lo), hi))];
  },
  Shape: (r, ins) => {
    const dims = first(ins).dims;
    const start = normalizeAxis(r.int("start", 0), dims.length);
    const end = r.has("end") ? normalizeAxis(r.int("end"), dims.length) : dims.length;
    return [int64Const(dims.slice(Math.max(0, start), Math.min(dims.length, end)))];
  },
  Size: (_r, ins) => [int64Const([sizeOf(first(ins).dims)], [])],
  ConstantOfShape: (r, ins) => {
    const dims = numbers(first(ins));
    const v = r.node.attrs.value as Const | undefined;
    const fill = v ? numbers(v)[0]! : 0;
    const dtype = v && v.dtype !== "float16" && v.dtype !== "bfloat16" ? v.dtype : "float32";
    const data = arrayFor(dtype, sizeOf(dims))!;
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) data.fill(BigInt(fill));
    else (data as Float32Array).fill(fill);
    return [{ dtype, dims, data }];
  },
  Range: (_r, ins) => {
    const [start, limit, delta] = ins.map((c) => numbers(c!)[0]!) as [number, number, number];
    const n = Math.max(Math.ceil((limit - start) / delta), 0);
    return [
      constFrom(
        ins[0]!.dtype,
        [n],
        Array.from({ length: n }, (_, i) => start + i * delta),
      ),
    ];
  },
  Reshape: (r, ins) => [reshapeConst(first(ins), resolveReshape(r, first(ins).dims, numbers(ins[1]!)) as number[])],
  Flatten: (r, ins) => {
    const dims = first(ins).dims;
    const axis = normalizeAxis(r.int("axis", 1), dims.length);
    return [reshapeConst(first(ins), [sizeOf(dims.slice(0, axis)), sizeOf(dims.slice(axis))])];
  },
  Squeeze: (r, ins) => {
    const dims = first(ins).dims;
    const axes = squeezeAxes(r)?.map((a) => normalizeAxis(a, dims.length));
    return [
      reshapeConst(
        first(ins),
        dims.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)),
      ),
    ];
  },
  Unsqueeze: (r, ins) => {
    const dims = [...first(ins).dims];
    const rank = dims.length + unsqueezeAxes(r).length;
    for (const a of unsqueezeAxes(r)
      .map((x) => normalizeAxis(x, rank))
      .sort((a, b) => a - b))
      dims.splice(a, 0, 1);
    return [reshapeConst(first(ins), dims)];
  },
  Transpose: (r, ins) => [transposeConst(first(ins), r.has("perm") ? r.ints("perm") : undefined)],
  Gather: (r, ins) => [gatherConst(first(ins), ins[1]!, r.int("axis", 0))],
  Slice: (r, ins) => {
    const p = sliceParams(r, first(ins).dims.length);
    return [sliceConst(first(ins), p.starts, p.ends, p.axes, p.steps)];
  },
  Concat: (r, ins) => {
    const parts = ins.filter((c): c is Const => !!c);
    const nonEmpty = parts.filter((c) => sizeOf(c.dims) > 0);
    return [concatConst(nonEmpty.length ? nonEmpty : parts, r.int("axis"))];
  },
  Split: (r, ins) => {
    const x = first(ins);
    const axis = normalizeAxis(r.int("axis", 0), x.dims.length);
    return splitConst(x, axis, splitSizes(r, x.dims[axis]!, r.node.outputs.length)!);
  },
  Expand: (_r, ins) => {
    const target = numbers(ins[1]!);
    const rank = Math.max(target.length, first(ins).dims.length);
    const pad = (d: number[]) => [...new Array<number>(rank - d.length).fill(1), ...d];
    const a = pad(first(ins).dims);
    const b = pad(target);
    return [
      broadcastTo(
        first(ins),
        a.map((d, i) => (d === 1 ? b[i]! : d)),
      ),
    ];
  },
  Tile: (_r, ins) => [tileConst(first(ins), numbers(ins[1]!))],
  Pad: (r, ins) => {
    const x = first(ins);
    const { pads, mode, value } = padParams(r, x.dims.length);
    if (mode !== "constant") return r.unsupported(`pads a constant in mode '${mode}'`);
    let out = x;
    x.dims.forEach((_, a) => {
      const before = pads[a]!;
      const after = pads[a + x.dims.length]!;
      if (before <= 0 && after <= 0) return;
      const fill = (n: number) => {
        const dims = [...out.dims];
        dims[a] = n;
        return constFrom(out.dtype, dims, new Float64Array(sizeOf(dims)).fill(value));
      };
      out = concatConst([...(before > 0 ? [fill(before)] : []), out, ...(after > 0 ? [fill(after)] : [])], a);
    });
    return [out];
  },
  ReduceSum: reduce(0, (a, x) => a + x),
  ReduceProd: reduce(1, (a, x) => a * x),
  ReduceMax: reduce(-Infinity, Math.max),
  ReduceMin: reduce(Infinity, Math.min),
  ReduceMean: reduce(
    0,
    (a, x) => a + x,
    (a, n) => a / n,
  ),
  MatMul: (_r, ins) => {
    const [a, b] = [ins[0]!, ins[1]!];
    if (a.dims.length !== 2 || b.dims.length !== 2) throw new RangeError("constant MatMul folds 2-D operands only");
    const [m, k] = a.dims as [number, number];
    const n = b.dims[1]!;
    const av = numbers(a);
    const bv = numbers(b);
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += av[i * k + t]! * bv[t * n + j]!;
        out[i * n + j] = s;
      }
    return [constFrom(a.dtype, [m, n], out)];
  },
};
