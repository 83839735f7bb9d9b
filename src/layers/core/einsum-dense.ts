import type { CallContext } from "../../ir/kind.js";
import type { Dim } from "../../ir/shape.js";
import { formatShape } from "../../ir/shape.js";
import { invalidConfig } from "../config-compat.js";
import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";
import { withLora } from "./lora.js";

/**
 * `keras.layers.EinsumDense(equation, output_shape, activation=None, bias_axes=None, ...,
 * lora_rank=None)`: `einsum(equation, inputs, kernel) + bias`. Shapes follow Keras's
 * `_analyze_einsum_string` (keras/src/layers/core/einsum_dense.py) for `ab,bc->ac`, `...ab,bc->...ac`
 * and `ab...,bc->ac...` equations, including its ordering of the dimensions a leading `...` stands for.
 */
export const EinsumDense = defineLayer({
  className: "EinsumDense",
  defaults: {
    activation: "linear",
    bias_axes: null,
    kernel_initializer: "glorot_uniform",
    bias_initializer: "zeros",
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    quantization_config: null,
  },
  outputs: (ctx) => [analyzeEinsum(ctx).output],
  weights(ctx) {
    const { kernel, bias } = analyzeEinsum(ctx);
    return withLora(ctx.config, [{ name: "kernel", shape: kernel }, bias !== null && { name: "bias", shape: bias }]);
  },
});

interface EinsumShapes {
  kernel: Dim[];
  bias: Dim[] | null;
  output: Dim[];
}

const FORMS: [RegExp, boolean][] = [
  [/^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)/, false],
  [/^0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)/, true],
  [/^([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0/, false],
];

function analyzeEinsum(ctx: CallContext): EinsumShapes {
  const equation = ctx.config.string("equation");
  const dotted = equation.replace(/\.\.\./g, "0");
  const form = FORMS.map(([re, left]) => [dotted.match(re), left] as const).find(([m]) => m);
  if (!form) {
    invalidConfig(
      ctx,
      `Invalid einsum equation '${equation}'. Equations must be in the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....`,
    );
  }
  const [match, leftElided] = form;
  const [, inSpec, weightSpec, outSpec] = match as unknown as [string, string, string, string];
  const x = singleInput(ctx);
  const input = x.shape;
  const elided = input.length - inSpec.length;
  if (elided < 0) {
    ctx.fail(
      `equation '${equation}' does not match an input of rank ${input.length}. Received: input_shape=${formatShape(input)}`,
    );
  }
  const raw = ctx.config.get("output_shape");
  const partial: Dim[] = typeof raw === "number" ? [raw] : ctx.config.shape("output_shape");
  const output: Dim[] = [input[0] ?? null, ...partial];
  // Keras inserts each leading elided dimension at position 1, which reverses their order.
  if (elided > 0 && leftElided) for (let i = 1; i < elided; i++) output.splice(1, 0, input[i] ?? null);
  else if (elided > 0) for (let i = input.length - elided; i < input.length; i++) output.push(input[i] ?? null);
  const inIndex = (c: string) => (leftElided ? inSpec.indexOf(c) + elided : inSpec.indexOf(c));
  const outIndex = (c: string) => (leftElided ? outSpec.indexOf(c) + elided : outSpec.indexOf(c));
  for (const c of inSpec) {
    if (!outSpec.includes(c)) continue;
    const want = output[outIndex(c)];
    if (want !== null && want !== undefined && want !== input[inIndex(c)]) {
      ctx.fail(
        `Input shape and output shape do not match at shared dimension '${c}'. Input shape is ${input[inIndex(c)]}, ` +
          `and output shape is ${want}.`,
      );
    }
  }
  for (const c of outSpec) {
    if (!inSpec.includes(c) && !weightSpec.includes(c)) {
      invalidConfig(
        ctx,
        `Dimension '${c}' was specified in the output '${outSpec}' but has no corresponding dim in the input spec '${inSpec}' or weight spec '${weightSpec}'`,
      );
    }
  }
  const kernel = [...weightSpec].map((c) => {
    if (outSpec.includes(c)) return output[outIndex(c)] ?? null;
    if (inSpec.includes(c)) return input[inIndex(c)] ?? null;
    return invalidConfig(
      ctx,
      `Weight dimension '${c}' did not have a match in either the input spec '${inSpec}' or the output spec '${outSpec}'. ` +
        `For this layer, the weight must be fully specified.`,
    );
  });
  return { kernel, bias: biasShape(ctx, outSpec, output, leftElided ? elided : 0, leftElided ? 0 : elided), output };
}

/** From the first output axis named in `bias_axes` on: its size where named, 1 elsewhere (and for trailing `...`). */
function biasShape(
  ctx: CallContext,
  outSpec: string,
  output: Dim[],
  leftOffset: number,
  trailing: number,
): Dim[] | null {
  const axes = ctx.config.get("bias_axes");
  if (axes == null) return null;
  const named = ctx.config.string("bias_axes");
  for (const c of named) {
    if (!outSpec.includes(c)) {
      invalidConfig(ctx, `Bias dimension '${c}' was requested, but is not part of the output spec '${outSpec}'`);
    }
  }
  const first = Math.min(...[...named].map((c) => outSpec.indexOf(c)));
  const shape = [...outSpec.slice(first)].map((c) =>
    named.includes(c) ? (output[outSpec.indexOf(c) + leftOffset] ?? null) : 1,
  );
  return [...shape, ...Array<number>(trailing).fill(1)];
}
