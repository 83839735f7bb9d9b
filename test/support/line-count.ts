/** Counting the lines of code of the examples and of the guide's Python (see test/api/verbosity.test.ts). */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const EXAMPLES = join(import.meta.dirname, "../../examples");

const isClosing = (line: string) => /^[\])}]+[;,)]*$/.test(line);

/** Lines of Python code: no blanks, comments or bracket-only lines. */
export function pythonLines(code: string): number {
  return code
    .split("\n")
    .map((l) => l.replace(/#.*$/, "").trim())
    .filter((l) => l && !isClosing(l)).length;
}

/** Lines of TypeScript between the markers, counted as the header says. */
export function typescriptLines(file: string): number {
  const lines = readFileSync(join(EXAMPLES, `${file}.ts`), "utf8").split("\n");
  let on = false;
  let n = 0;
  for (const raw of lines) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (/^\s*\/\/ model$/.test(raw)) on = true;
    else if (/^\s*\/\/ end model$/.test(raw)) on = false;
    else if (on && line && !line.startsWith("*") && !line.startsWith("/*") && !isClosing(line)) {
      if (/^export function \w+\(.*\): .*\{$/.test(line) || /^return \{[\w\s,]+\};$/.test(line)) continue;
      n++;
    }
  }
  return n;
}
