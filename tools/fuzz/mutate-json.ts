import type { Rng } from "./rng.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Numbers that break sizes, indices and loops: signs, limits, fractions, overflow. */
const NUMBERS = [
  0,
  -1,
  1,
  2,
  -2,
  0.5,
  -0.5,
  3,
  255,
  256,
  65536,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  1e9,
  1e12,
  1e300,
  -1e300,
  1e-300,
];

/** Strings that break names, paths and lookups. */
const STRINGS = [
  "",
  " ",
  "../../../../etc/passwd",
  "/etc/passwd",
  "..\\..\\windows\\win.ini",
  "C:\\evil",
  "file:///etc/passwd",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "null",
  "None",
  "0",
  "-1",
  "\u0000",
  "\ud800",
  "a/b/c",
  "os.system",
  "builtins.eval",
  "subprocess.Popen",
  "__lambda__",
  "keras.src.ops.numpy",
  "float16",
  "string",
  "int64",
  "channels_first",
  "same",
  "valid",
  "causal",
  "linear",
  "relu",
  "glorot_uniform",
  "__keras_tensor__",
];

/** Layer classes worth swapping in besides those the corpus uses: models, Lambdas, unknown and hostile names. */
export const EXTRA_CLASSES = [
  "Lambda", "TFOpLambda", "SlicingOpLambda", "Functional", "Sequential", "Model", "InputLayer", "Bidirectional",
  "TimeDistributed", "RNN", "StackedRNNCells", "Evil", "os.system", "__import__", "eval", "",
]; // prettier-ignore

/**
 * One structure-aware mutation of a parsed JSON document (a Keras config, a TF.js model.json): a node is
 * drawn and replaced by a boundary number, a hostile string, another type, a huge or deep shape, a
 * sibling subtree, or deleted or duplicated. `classNames` are swapped into "class_name" values.
 */
export function mutateJson(rng: Rng, doc: unknown, classNames: readonly string[]): unknown {
  const root = { v: structuredClone(doc) as Json };
  const rounds = 1 + (rng.chance(0.6) ? 0 : rng.int(6));
  for (let r = 0; r < rounds; r++) {
    const nodes = collect(root.v);
    const target = weightedPick(rng, nodes);
    const replacement = mutateNode(rng, target, nodes, classNames);
    if (replacement === DELETE) remove(target);
    else set(root, target, replacement);
  }
  return root.v;
}

interface Node {
  value: Json;
  parent: Json[] | { [key: string]: Json } | null;
  key: string | number;
}

const DELETE = Symbol("delete");

function collect(root: Json): Node[] {
  const out: Node[] = [{ value: root, parent: null, key: "" }];
  const stack: Node[] = [out[0]!];
  while (stack.length && out.length < 50_000) {
    const { value } = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    const entries: [string | number, Json][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value);
    for (const [key, v] of entries) {
      const node = { value: v, parent: value, key };
      out.push(node);
      stack.push(node);
    }
  }
  return out;
}

/** Nodes under interesting keys (shapes, names, class names, paths, dtypes) are drawn more often. */
function weightedPick(rng: Rng, nodes: Node[]): Node {
  if (rng.chance(0.6)) {
    const hot = nodes.filter((n) => typeof n.key === "string" && HOT_KEY.test(n.key));
    if (hot.length) return rng.pick(hot);
  }
  return rng.pick(nodes);
}

const HOT_KEY =
  /shape|dims|dataType|opType|elemType|dimValue|rawData|ints|class_name|name|units|filters|size|dims|axis|paths|dtype|inbound|keras_history|layers|node|index|target|rate|kernel|strides|pool|num|vocab|depth|cropping|padding|function|module|registered|quantization|weights|config|output|input/i;

function mutateNode(rng: Rng, node: Node, nodes: Node[], classNames: readonly string[]): Json | typeof DELETE {
  const v = node.value;
  if (node.key === "class_name" && rng.chance(0.7)) return rng.pick(rng.chance(0.3) ? EXTRA_CLASSES : classNames);
  switch (rng.int(10)) {
    case 0:
      return node.parent ? DELETE : v;
    case 1: // another node's subtree (cross references, self-nesting)
      return structuredClone(rng.pick(nodes).value);
    case 2:
      return rng.pick<Json>([null, true, false, {}, [], "x", 3, [null], { class_name: "Dense", config: {} }]);
    case 3:
      return deep(rng, v);
    case 4:
      return hugeShape(rng);
    default:
      break;
  }
  if (typeof v === "number") return rng.chance(0.8) ? rng.pick(NUMBERS) : v + rng.pick([-1, 1]);
  if (typeof v === "string") {
    if (rng.chance(0.15)) return "A".repeat(rng.pick([1_000, 100_000, 3_000_000]));
    return rng.pick(STRINGS);
  }
  if (Array.isArray(v)) return mutateArray(rng, v);
  if (v && typeof v === "object") {
    const keys = Object.keys(v);
    const copy = { ...v };
    if (keys.length && rng.chance(0.5)) delete copy[rng.pick(keys)];
    else
      copy[rng.pick(["name", "shape", "batch_shape", "dtype", "__proto__", "module", "registered_name"])] =
        rng.pick<Json>([null, "x", -1, [1e9, 1e9]]);
    return copy;
  }
  return rng.pick(NUMBERS);
}

function mutateArray(rng: Rng, v: Json[]): Json {
  const copy = [...v];
  switch (rng.int(6)) {
    case 0:
      return copy.reverse();
    case 1:
      if (copy.length) copy.push(structuredClone(rng.pick(copy)));
      return copy;
    case 2:
      copy.splice(rng.int(copy.length + 1), 1);
      return copy;
    case 3:
      return Array.from({ length: rng.pick([0, 1, 40, 300]) }, () => rng.pick<Json>([1, null, 2 ** 31, -1]));
    default:
      if (copy.length) copy[rng.int(copy.length)] = rng.pick<Json>([...NUMBERS, null, "x", [], {}]);
      return copy;
  }
}

/** A shape no file could hold: huge dims, negative dims, high rank. */
function hugeShape(rng: Rng): Json {
  return rng.pick<Json>([
    [null, 1e9, 1e9],
    [2 ** 31, 2 ** 31],
    [1e5, 1e5, 1e5],
    [-1, 3],
    [null, -5],
    Array.from({ length: 64 }, () => 2),
    [0.5, 2],
    [2 ** 53, 2],
  ]);
}

/** The value wrapped in many levels of lists or objects (nesting depth). */
function deep(rng: Rng, v: Json): Json {
  let out = v;
  const levels = rng.pick([64, 1_000, 20_000]);
  const asObject = rng.chance(0.5);
  for (let i = 0; i < levels; i++) out = asObject ? { class_name: "Sequential", config: { layers: [out] } } : [out];
  return out;
}

function remove(node: Node): void {
  if (Array.isArray(node.parent)) node.parent.splice(node.key as number, 1);
  else if (node.parent) delete node.parent[node.key as string];
}

function set(root: { v: Json }, node: Node, value: Json): void {
  if (!node.parent) root.v = value;
  else if (Array.isArray(node.parent)) node.parent[node.key as number] = value;
  else node.parent[node.key as string] = value;
}

/** Every "class_name" string in a document. */
export function classNamesIn(doc: unknown, out = new Set<string>()): Set<string> {
  const stack = [doc];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "class_name" && typeof x === "string") out.add(x);
        else stack.push(x);
      }
    }
  }
  return out;
}
