import { InvalidArgumentError } from "commander";
import type { Inputs } from "../exec/ort/session.js";
import { readNpyFile } from "../formats/npy/read.js";
import { ShapeError } from "../ir/errors.js";

/** Collects a repeatable option (`--input A.npy --input b=B.npy`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * The arrays `--input` names: `A.npy` (inputs in the model's order) or `name=B.npy` (by input name),
 * not mixed. Returns them as the executor takes them.
 */
export async function readInputs(specs: string[], flag = "--input"): Promise<Inputs> {
  if (specs.length === 0)
    throw new InvalidArgumentError(`give the model's inputs with ${flag} A.npy (or ${flag} name=A.npy)`);
  const named = specs.map((s) => /^([^=]+)=(.+)$/.exec(s));
  if (named.every((m) => m === null)) return Promise.all(specs.map((p) => readNpyFile(p)));
  if (named.some((m) => m === null)) {
    throw new ShapeError(`name every ${flag} (name=FILE.npy) or none of them. Received: ${specs.join(", ")}`);
  }
  const byName: Record<string, Awaited<ReturnType<typeof readNpyFile>>> = {};
  for (const m of named) byName[m![1]!] = await readNpyFile(m![2]!);
  return byName;
}

/** `(3, 28, 28, 1)` */
export function formatDims(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** A small left-aligned text table. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join("  ")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
}

export function positiveOpset(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected an opset number (13–21). Received: ${value}`);
  return n;
}
