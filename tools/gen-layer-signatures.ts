/**
 * Generates src/api/layers/signatures.ts: the positional parameters of every Keras layer class's
 * `__init__` (Keras's own order, `self` and everything from `*`/`**kwargs` on left out), read from a
 * Keras source checkout with a small Python-signature scanner. The Functional API's factories use the
 * order for positional calls such as `Dense(64)`, `Conv2D(16, 3)`, `Embedding(1000, 64)`.
 *
 * Run: node --import tsx tools/gen-layer-signatures.ts [KERAS_GIT_DIR]
 * (default /work/.mirror/keras-team+keras/repo, a bare clone read with `git show HEAD:...`).
 * Never edit the generated file by hand.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import "../src/layers/index.js";
import { builtinKinds } from "../src/layers/index.js";

const gitDir = process.argv[2] ?? "/work/.mirror/keras-team+keras/repo";
const git = (...args: string[]) =>
  execFileSync("git", ["-C", gitDir, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });

interface PyClass {
  bases: string[];
  /** Names `@keras_export` gives it under keras.layers. */
  exported: string[];
  /** Parameters of its own `__init__`, or null when it inherits one. */
  params: { name: string; required: boolean }[] | null;
}

/** The text between the parenthesis at `open` and its partner. */
function parenthesized(text: string, open: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      if (--depth === 0) return text.slice(open + 1, i);
    }
  }
  throw new Error(`unbalanced parenthesis at ${open}`);
}

/** Splits at commas outside brackets and strings. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.replace(/#.*$/gm, "").trim()).filter((p) => p.length > 0);
}

function parseParams(text: string): { name: string; required: boolean }[] {
  const out: { name: string; required: boolean }[] = [];
  for (const part of topLevelParts(text)) {
    if (part === "self" || part === "cls") continue;
    if (part.startsWith("*")) break;
    const name = part.split(/[=:]/)[0]!.trim();
    out.push({ name, required: !part.includes("=") });
  }
  return out;
}

function scanFile(source: string, classes: Map<string, PyClass>): void {
  const classRe = /^class (\w+)\(([^)]*)\):/gm;
  const starts = [...source.matchAll(classRe)];
  starts.forEach((m, k) => {
    const bodyEnd = k + 1 < starts.length ? starts[k + 1]!.index : source.length;
    const body = source.slice(m.index, bodyEnd);
    const init = /^ {4}def __init__\(/m.exec(body);
    const params = init ? parseParams(parenthesized(body, init.index + init[0].length - 1)) : null;
    const bases = m[2]!.split(",").map((b) => b.trim().split(".").at(-1)!);
    const before = source.slice(k > 0 ? starts[k - 1]!.index : 0, m.index);
    const decorator = before.slice(before.lastIndexOf("@keras_export"));
    const exported = before.includes("@keras_export")
      ? [...decorator.matchAll(/"keras\.layers\.(\w+)"/g)].map((e) => e[1]!)
      : [];
    if (!classes.has(m[1]!) || params) classes.set(m[1]!, { bases, exported, params });
  });
}

const files = git("ls-tree", "-r", "--name-only", "HEAD", "keras/src/layers")
  .split("\n")
  .filter((f) => f.endsWith(".py") && !f.endsWith("_test.py"));
const classes = new Map<string, PyClass>();
for (const f of files) scanFile(git("show", `HEAD:${f}`), classes);

function paramsOf(name: string, seen = new Set<string>()): { name: string; required: boolean }[] | null {
  const cls = classes.get(name);
  if (!cls || seen.has(name)) return null;
  seen.add(name);
  if (cls.params) return cls.params;
  for (const base of cls.bases) {
    if (base === "Layer" || base === "Operation") return [];
    const p = paramsOf(base, seen);
    if (p) return p;
  }
  return [];
}

const commit = git("rev-parse", "HEAD").trim();
const rows: string[] = [];
const aliases: string[] = [];
const missing: string[] = [];
for (const kind of builtinKinds) {
  const params = paramsOf(kind.className);
  if (!params) {
    missing.push(kind.className);
    continue;
  }
  const names = params.map((p) => JSON.stringify(p.name)).join(", ");
  const required = params.filter((p) => p.required).length;
  rows.push(`  ${kind.className}: { params: [${names}], required: ${required} },`);
  for (const alias of classes.get(kind.className)?.exported ?? []) {
    if (alias !== kind.className) aliases.push(`  ${alias}: "${kind.className}",`);
  }
}

const out = join(import.meta.dirname, "../src/api/layers/signatures.ts");
writeFileSync(
  out,
  `// Generated by tools/gen-layer-signatures.ts from keras-team/keras ${commit}. Do not edit.\n\n` +
    "/** Keras's `__init__` parameters that can be given positionally, in order, and how many lead without a default. */\n" +
    "export interface LayerSignature {\n  params: readonly string[];\n  required: number;\n}\n\n" +
    `/** By Keras class name. Classes Keras 3 no longer has (${missing.join(", ")}) take options only. */\n` +
    "export const LAYER_SIGNATURES = {\n" +
    rows.join("\n") +
    "\n} satisfies Record<string, LayerSignature>;\n\n" +
    "/** Other names Keras 3 exports for the same classes (`MaxPool2D` is `MaxPooling2D`). */\n" +
    "export const LAYER_ALIASES = {\n" +
    aliases.join("\n") +
    "\n} satisfies Record<string, keyof typeof LAYER_SIGNATURES>;\n",
);
execFileSync(join(import.meta.dirname, "../node_modules/.bin/prettier"), ["--write", out]);
console.log(`wrote ${out}: ${rows.length} classes; not in Keras 3: ${missing.join(", ") || "none"}`);
