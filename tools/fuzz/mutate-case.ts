import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import protobuf from "protobufjs";
import { onnxDescriptor } from "../../src/formats/onnx/proto/onnx-descriptor.js";
import { type FuzzCase, type FuzzFormat, seedCases } from "./corpus.js";
import { INTERESTING_INTS, mutateBytes, offsetsOf } from "./mutate-bytes.js";
import { EXTRA_CLASSES, classNamesIn, mutateJson } from "./mutate-json.js";
import { Rng } from "./rng.js";

/**
 * Iteration `i` of a format under `seed`: a seed case drawn and mutated, always the same for the same
 * (seed, format, i). Byte mutations everywhere; structure-aware ones per format: JSON configs and TF.js
 * manifests as JSON, .keras members one by one (plus hostile members: traversal names, symlinks, zip
 * bombs, lying sizes), HDF5 near its structures, ONNX as a decoded protobuf, .npy headers as text.
 */
export function fuzzCase(seed: number, format: FuzzFormat, i: number): FuzzCase {
  const rng = Rng.forIteration(seed, format, i);
  const seeds = seedCases(format);
  const base = rng.pick(seeds);
  const donor = rng.pick(seeds).files[rng.pick(Object.keys(rng.pick(seeds).files))] ?? new Uint8Array(0);
  const files = { ...base.files };
  const main = files[base.main]!;
  switch (format) {
    case "keras":
      files[base.main] = mutateKeras(rng, main, donor);
      break;
    case "h5":
      files[base.main] = rng.chance(0.2) ? mutateEmbeddedJson(rng, main) : mutateBytes(rng, main, donor, h5Hot(main));
      break;
    case "json":
      files[base.main] = rng.chance(0.85) ? jsonMutated(rng, main, format) : mutateBytes(rng, main, donor);
      break;
    case "tfjs": {
      const shards = Object.keys(files).filter((n) => n !== base.main);
      if (rng.chance(0.1)) files[base.main] = manifestEscape(rng, main);
      else if (rng.chance(0.7) || !shards.length) files[base.main] = jsonMutated(rng, main, format);
      else {
        const shard = rng.pick(shards);
        files[shard] = mutateBytes(rng, files[shard]!, donor);
      }
      if (rng.chance(0.1) && shards.length) delete files[rng.pick(shards)]; // a shard missing
      break;
    }
    case "onnx":
      files[base.main] = rng.chance(0.5) ? mutateOnnx(rng, main) : mutateBytes(rng, main, donor);
      break;
    case "npy":
      files[base.main] = rng.chance(0.5) ? mutateNpyHeader(rng, main) : mutateBytes(rng, main, donor, [0, 6, 8, 10]);
      break;
  }
  return { format, main: base.main, files };
}

let classPool: string[] | undefined;

/** The class names of every JSON seed, and hostile ones, swapped into "class_name" values. */
function classNames(): string[] {
  if (!classPool) {
    const names = new Set<string>(EXTRA_CLASSES);
    for (const c of seedCases("json")) classNamesIn(JSON.parse(strFromU8(c.files[c.main]!)), names);
    classPool = [...names].sort();
  }
  return classPool;
}

function jsonMutated(rng: Rng, bytes: Uint8Array, format: FuzzFormat): Uint8Array {
  const text = strFromU8(bytes);
  try {
    const doc: unknown = JSON.parse(text);
    const out = JSON.stringify(mutateJson(rng, doc, format === "onnx" ? [] : classNames()));
    // Occasionally the model JSON as a JSON string (a form some tools save), which readers parse twice.
    return strToU8(rng.chance(0.05) ? JSON.stringify(out) : out);
  } catch {
    return mutateBytes(rng, bytes, bytes); // a document too deep to serialize: mutate the text instead
  }
}

/** A weightsManifest path pointed out of the model's folder (plain, URL-escaped, absolute, a URL). */
function manifestEscape(rng: Rng, bytes: Uint8Array): Uint8Array {
  const json = JSON.parse(strFromU8(bytes)) as { weightsManifest?: { paths: string[] }[] };
  const group = json.weightsManifest?.[0];
  if (!group) return bytes;
  group.paths[rng.int(group.paths.length)] = rng.pick([
    "../../../../../../etc/passwd", "/etc/passwd", "..%2f..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/etc/hostname",
    "file:///etc/passwd", "..\\..\\etc\\passwd", "./../model.json", "sub/../../x.bin", "%zz", "",
  ]); // prettier-ignore
  return strToU8(JSON.stringify(json));
}

// ---- .keras ----

const unzipped = new WeakMap<Uint8Array, Record<string, Uint8Array>>();

function mutateKeras(rng: Rng, archive: Uint8Array, donor: Uint8Array): Uint8Array {
  const roll = rng.next();
  if (roll < 0.3) return mutateBytes(rng, archive, donor, zipHot(archive));
  let members = unzipped.get(archive);
  if (!members) unzipped.set(archive, (members = unzipSync(archive)));
  const files: Zippable = {};
  for (const [name, data] of Object.entries(members)) files[name] = data;
  if (roll < 0.75) {
    const name = rng.pick(Object.keys(members));
    const data = members[name]!;
    files[name] = name.endsWith(".json")
      ? jsonMutated(rng, data, "json")
      : mutateBytes(rng, data, donor, name.endsWith(".h5") ? h5Hot(data) : []);
  } else hostileMember(rng, files, members);
  const zipped = zipSync(files, { level: rng.chance(0.8) ? 0 : 6, mtime: new Date("1980-01-01T00:00:00Z") });
  return rng.chance(0.3) ? patchZipDirectory(rng, zipped) : zipped;
}

/** A member a hostile archive would carry: a path out of the folder, a symlink, a bomb, a copy. */
function hostileMember(rng: Rng, files: Zippable, members: Record<string, Uint8Array>): void {
  const data = members[rng.pick(Object.keys(members))]!;
  const name = rng.pick([
    "../evil.txt", "../../../../tmp/kerasgraph-fuzz-escape", "/tmp/kerasgraph-fuzz-abs", "assets/../../evil",
    "C:\\evil.txt", "assets\\..\\..\\evil", "config.json/", "assets/", "config.json\u0000.txt", "assets/a",
  ]); // prettier-ignore
  switch (rng.int(4)) {
    case 0: // a traversal or absolute name
      files[name] = data;
      return;
    case 1: // a symlink (Unix mode 0120777 in the external attributes) named like a member we read
      files[rng.pick(["config.json", "model.weights.h5", "assets/link", name])] = [
        strToU8(rng.pick(["/etc/passwd", "../../../etc/passwd", "config.json"])),
        { attrs: (0o120777 << 16) >>> 0, os: 3 },
      ];
      return;
    case 2: // a deflate bomb: 16 MiB of zeros in a few KiB
      files[rng.pick(["config.json", "assets/bomb.bin", "model.weights.npz", "metadata.json"])] = [
        bomb(),
        { level: 9 },
      ];
      return;
    default: // the same name twice in the directory cannot be made with fflate: a near-duplicate instead
      files[`${rng.pick(Object.keys(members))}${rng.pick(["", "/", " ", "."])}`] = data;
  }
}

let bombBytes: Uint8Array | undefined;
function bomb(): Uint8Array {
  return (bombBytes ??= new Uint8Array(16 << 20));
}

/** Central directory and local header fields set to interesting values (sizes, offsets, lengths, attributes). */
function patchZipDirectory(rng: Rng, zip: Uint8Array): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const central = offsetsOf(out, "PK\x01\x02");
  const local = offsetsOf(out, "PK\x03\x04");
  const eocd = offsetsOf(out, "PK\x05\x06");
  const pickCentral = central.length && rng.chance(0.6);
  const at = pickCentral ? rng.pick(central) : rng.chance(0.7) && local.length ? rng.pick(local) : eocd.at(-1);
  if (at === undefined) return out;
  const fields = pickCentral
    ? [
        [10, 2],
        [16, 4],
        [20, 4],
        [24, 4],
        [28, 2],
        [30, 2],
        [32, 2],
        [38, 4],
        [42, 4],
      ]
    : at === eocd.at(-1)
      ? [
          [8, 2],
          [10, 2],
          [12, 4],
          [16, 4],
          [20, 2],
        ]
      : [
          [8, 2],
          [18, 4],
          [22, 4],
          [26, 2],
          [28, 2],
        ];
  const [offset, width] = rng.pick(fields) as [number, number];
  if (at + offset + width > out.length) return out;
  const value = rng.pick(INTERESTING_INTS);
  if (width === 2) view.setUint16(at + offset, value & 0xffff, true);
  else view.setUint32(at + offset, value >>> 0, true);
  return out;
}

function zipHot(bytes: Uint8Array): number[] {
  return ["PK\x01\x02", "PK\x03\x04", "PK\x05\x06", "\x89HDF", "TREE", "HEAP", "SNOD"].flatMap((s) =>
    offsetsOf(bytes, s, 64),
  );
}

// ---- HDF5 ----

/** Offsets of HDF5 structures (signatures, B-trees, heaps, symbol nodes) and Keras's attribute names. */
function h5Hot(bytes: Uint8Array): number[] {
  return ["\x89HDF", "TREE", "HEAP", "SNOD", "GCOL", "model_config", "layer_names", "weight_names", "keras_version"]
    .flatMap((s) => offsetsOf(bytes, s, 128))
    .flatMap((o) => [o, Math.max(0, o - 32)]);
}

/** Same-length edits of the JSON text stored in an attribute (model_config), keeping the HDF5 intact. */
function mutateEmbeddedJson(rng: Rng, bytes: Uint8Array): Uint8Array {
  const starts = offsetsOf(bytes, '{"class_name"', 4).concat(offsetsOf(bytes, '{"module"', 4));
  if (!starts.length) return mutateBytes(rng, bytes, bytes);
  const out = bytes.slice();
  const start = rng.pick(starts);
  const end = Math.min(out.length, start + 20_000);
  for (let n = 1 + rng.int(4); n > 0; n--) {
    const at = start + rng.int(end - start);
    const c = out[at]!;
    if (c >= 0x30 && c <= 0x39)
      out[at] = rng.pick([0x30, 0x39, 0x2d, 0x2e, 0x65]); // digits → 0, 9, -, ., e
    else out[at] = rng.pick([0x22, 0x2c, 0x5b, 0x5d, 0x7b, 0x7d, 0x3a, 0x20, 0x39, 0x6e]); // " , [ ] { } : space 9 n
  }
  return out;
}

// ---- ONNX ----

const ModelProto = protobuf.Root.fromJSON(onnxDescriptor).lookupType("onnx.ModelProto");

/** The model decoded, mutated as a JSON tree (dims, data types, raw data, attributes, names) and re-encoded. */
function mutateOnnx(rng: Rng, bytes: Uint8Array): Uint8Array {
  try {
    const obj = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: String, defaults: false });
    const mutated = mutateJson(rng, obj, []);
    return ModelProto.encode(ModelProto.fromObject(mutated as Record<string, unknown>)).finish();
  } catch {
    return mutateBytes(rng, bytes, bytes);
  }
}

// ---- .npy ----

/** The .npy header rewritten with a hostile shape, dtype or order, or a length that lies. */
function mutateNpyHeader(rng: Rng, bytes: Uint8Array): Uint8Array {
  const headerLen = bytes[8]! | (bytes[9]! << 8);
  const body = bytes.subarray(10 + headerLen);
  const descr = rng.pick([
    "'<f4'",
    "'<f8'",
    "'>f4'",
    "'|b1'",
    "'<i8'",
    "'|O'",
    "'<U10'",
    "'<c8'",
    "'<f4",
    "'<V8'",
    "''",
  ]);
  const shape = rng.pick(["()", "(0,)", "(1,)", "(3, 4)", "(1000000000, 1000000000)", "(-1,)", "(4294967296,)",
    "(2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2)",
    "(1e9,)", "(None,)", "(3", "(0, 1000000000000)"]); // prettier-ignore
  const fortran = rng.pick(["False", "True", "1", ""]);
  const header = `{'descr': ${descr}, 'fortran_order': ${fortran}, 'shape': ${shape}, }`.padEnd(
    rng.chance(0.8) ? headerLen - 1 : rng.int(200),
  );
  const text = strToU8(`${header}\n`);
  const out = new Uint8Array(10 + text.length + body.length);
  out.set(bytes.subarray(0, 8));
  const lying = rng.chance(0.1) ? rng.pick([0, 0xffff, text.length + 100]) : text.length;
  out[8] = lying & 0xff;
  out[9] = lying >> 8;
  out.set(text, 10);
  out.set(body, 10 + text.length);
  return out;
}
