import { ShapeError } from "../../../ir/errors.js";
import { computeLoss } from "../losses/index.js";
import { type tf as TF, tf } from "../runtime.js";
import type { Compiled } from "./compile.js";
import { type Column, batchTensors } from "./data.js";

/**
 * Checks, before the first step, what would otherwise fail in the middle of training: integer labels of
 * sparse categorical losses out of the output's class range, and losses or metrics that do not fit an
 * output's shape (each is run once on the first two samples). Errors name the output and what was
 * received.
 */
export function checkBeforeTraining(
  model: TF.LayersModel,
  compiled: Compiled,
  data: { x: Column[]; y: Column[]; n: number },
): void {
  compiled.heads.forEach((h, i) => {
    if (h.loss?.kind === "sparse_categorical_crossentropy") {
      checkLabels(h.name, data.y[i]!, model.outputs[i]!.shape.at(-1), h.loss.config.ignore_class);
    }
  });
  const k = Math.min(2, data.n);
  const xs = batchTensors(data.x, 0, k);
  const ys = batchTensors(data.y, 0, k);
  try {
    tf.tidy(() => {
      const out = model.apply(xs.length === 1 ? xs[0]! : xs, { training: false }) as TF.Tensor | TF.Tensor[];
      const preds = Array.isArray(out) ? out : [out];
      compiled.heads.forEach((h, i) => {
        const what = (thing: string, run: () => unknown) => {
          try {
            run();
          } catch (e) {
            throw new ShapeError(
              `${thing} does not fit output '${h.name}', whose predictions have shape ${dims(preds[i]!.shape.slice(1))}. ` +
                `Received: targets of shape ${dims(data.y[i]!.shape)}: ${(e as Error).message}`,
              { cause: e },
            );
          }
        };
        if (h.loss) what(`loss '${h.loss.name}'`, () => computeLoss(h.loss!, ys[i]!, preds[i]!).dataSync());
        for (const m of h.metrics) what(`metric '${m.name}'`, () => m.values(ys[i]!, preds[i]!).dataSync());
      });
    });
  } finally {
    tf.dispose([...xs, ...ys]);
  }
}

/** A batch shape as Keras prints it: `(None, 10)`, `(None,)`. */
function dims(perSample: number[]): string {
  return perSample.length === 0 ? "(None,)" : `(None, ${perSample.join(", ")})`;
}

function checkLabels(output: string, y: Column, classes: number | null | undefined, ignore: unknown): void {
  if (!classes) return;
  for (let i = 0; i < y.data.length; i++) {
    const v = y.data[i]!;
    if (v === ignore) continue;
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new ShapeError(
        `targets of output '${output}' must be integer class indices in [0, ${classes}) for sparse categorical crossentropy. ` +
          `Received: ${v} at sample ${Math.floor(
            i /
              Math.max(
                1,
                y.shape.reduce((a, b) => a * b, 1),
              ),
          )}`,
      );
    }
  }
}
