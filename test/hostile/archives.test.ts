import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import { describe, expect, it } from "vitest";
import { detectFormat } from "../../src/formats/detect.js";
import { openModel } from "../../src/formats/open.js";
import { readModelBytes } from "../../src/formats/read-bytes.js";
import { FormatError, KerasGraphError, LimitError } from "../../src/ir/errors.js";
import { servedModelFiles } from "../../src/tools/view/model-files.js";
import { FIXTURES } from "../fixture-files.js";

const dir = mkdtempSync(join(tmpdir(), "kerasgraph-hostile-archives-"));
const DENSE = join(FIXTURES, "keras3/layers/Dense/model.keras");
const members = () => unzipSync(new Uint8Array(readFileSync(DENSE)));

/** The Dense model's archive with extra members (fflate: [data, {attrs, os}] sets a Unix mode). */
function archive(name: string, extra: Zippable, level: 0 | 9 = 0): { path: string; bytes: Uint8Array } {
  const bytes = zipSync({ ...members(), ...extra }, { level, mtime: new Date("1980-01-01T00:00:00Z") });
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes };
}

/** Both readers (from the path, and from bytes as the browser does) refuse it with `type` and `message`. */
async function refusedEverywhere(
  file: { path: string; bytes: Uint8Array },
  type: typeof KerasGraphError,
  message: RegExp,
) {
  for (const attempt of [() => openModel(file.path), () => readModelBytes(file.bytes, file.path)]) {
    const e = await attempt().then(
      () => new Error("opened"),
      (err: Error) => err,
    );
    expect(e).toBeInstanceOf(type);
    expect(e.message).toMatch(message);
  }
}

const SYMLINK = { attrs: (0o120777 << 16) >>> 0, os: 3 } as const;

describe("zip members that would escape the archive's folder are refused", () => {
  it.each(["../evil.txt", "assets/../../evil.txt", "/tmp/evil.txt", "C:\\evil.txt", "assets\\..\\..\\evil.txt"])(
    "a member named %j",
    async (name) => {
      const file = archive("slip.keras", { [name]: strToU8("pwned") });
      await refusedEverywhere(
        file,
        FormatError,
        /slip\.keras: .*would leave the archive's folder .*Received: member name/,
      );
      expect(existsSync(join(dir, "..", "evil.txt"))).toBe(false);
    },
  );

  it("a symbolic link, even under a name kerasgraph reads", async () => {
    const link = archive("link.keras", { "assets/vocab.txt": [strToU8("/etc/passwd"), SYMLINK] });
    await refusedEverywhere(link, FormatError, /link\.keras: .*symbolic link.*Received: member "assets\/vocab\.txt"/);
    const config = archive("link-config.keras", { "config.json": [strToU8("../../../etc/passwd"), SYMLINK] });
    await refusedEverywhere(config, FormatError, /symbolic link/);
  });

  it("nothing is extracted to disk, not even a deflated weights member", async () => {
    const all = members();
    const deflated = zipSync({ ...all, "model.weights.h5": [all["model.weights.h5"]!, { level: 9 }] }, { level: 0 });
    const path = join(dir, "deflated.keras");
    writeFileSync(path, deflated);
    const before = readdirSync(tmpdir()).filter((n) => n.includes("kerasgraph-model.weights"));
    const { graph } = await openModel(path, { lazy: false });
    expect(graph.layers[1]!.values.get("kernel")!.values).toHaveLength(32);
    expect(readdirSync(tmpdir()).filter((n) => n.includes("kerasgraph-model.weights"))).toEqual(before);
  });
});

describe("zip bombs and lying directories fail fast", () => {
  it("a member inflating a thousandfold and more is a LimitError naming the limit and how to raise it", async () => {
    const bomb = archive("bomb.keras", { "assets/zeros.bin": [new Uint8Array(64 << 20), { level: 9 }] });
    expect(bomb.bytes.length).toBeLessThan(200_000);
    const t0 = performance.now();
    await refusedEverywhere(
      bomb,
      LimitError,
      /bomb\.keras: zip member 'assets\/zeros\.bin' \(\d+ bytes inflating to 67108864\) has a compression ratio that is \d+, over the limit maxZipRatio \(1000\)\. If the file is genuine, raise it: setReadLimits\(\{ maxZipRatio: \.\.\. \}\) in code, or KERASGRAPH_MAX_ZIP_RATIO=\.\.\. for the command line\./,
    );
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("a directory that claims more entries than it holds is a FormatError, not a long loop", () => {
    const bytes = archive("count.keras", {}).bytes.slice();
    const eocd = bytes.length - 22;
    new DataView(bytes.buffer).setUint16(eocd + 8, 0xffff, true);
    new DataView(bytes.buffer).setUint16(eocd + 10, 0xffff, true);
    expect(() => detectFormat(bytes, "count.keras")).toThrow(
      /count\.keras: is a zip archive that cannot be read: central directory entry 3 of 65535/,
    );
  });
});

describe("TF.js weightsManifest paths that leave the model's folder are refused", () => {
  const SOURCE = join(FIXTURES, "real/FrederickRoman+divorce-predictor/tfjs");

  function tfjsModel(name: string, shardPath: string): string {
    const folder = join(dir, name, "model");
    mkdirSync(folder, { recursive: true });
    cpSync(SOURCE, folder, { recursive: true });
    writeFileSync(join(folder, "..", "secret.bin"), new Uint8Array(440)); // a file the traversal could reach
    const json = JSON.parse(readFileSync(join(folder, "model.json"), "utf8"));
    json.weightsManifest[0].paths = [shardPath];
    writeFileSync(join(folder, "model.json"), JSON.stringify(json));
    return join(folder, "model.json");
  }

  it.each([
    "../secret.bin",
    "%2e%2e/secret.bin",
    "..%2fsecret.bin",
    "/etc/hostname",
    "file:///etc/hostname",
    "sub/../../secret.bin",
  ])("a shard path %j", async (shard) => {
    const path = tfjsModel(`tfjs-${encodeURIComponent(shard)}`, shard);
    const e = await openModel(path).then(
      () => new Error("opened"),
      (err: Error) => err,
    );
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toContain(`model.json: weightsManifest names a shard outside the model's folder`);
    expect(e.message).toContain(`Received: ${JSON.stringify(shard)}`);
    // The viewer serves the model.json alone (the page then reports the manifest), never the file outside.
    expect(servedModelFiles(path)).toEqual([path]);
    const companions = new Map([["secret.bin", new Uint8Array(440)]]);
    await expect(readModelBytes(readFileSync(path), "model.json", { companions })).rejects.toThrow(
      /outside the model's folder/,
    );
  });

  it("a shard path with a malformed %-escape is a FormatError, not a URIError", async () => {
    const path = tfjsModel("tfjs-badescape", "group1%zz.bin");
    await expect(openModel(path)).rejects.toThrow(FormatError);
  });

  it("shard paths beside model.json still read", async () => {
    const path = tfjsModel("tfjs-ok", "./group1-shard1of1.bin");
    const { graph } = await openModel(path, { lazy: false });
    expect(graph.paramCounts().total).toBeGreaterThan(0);
  });
});
