import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, fixtureFiles } from "./fixture-files.js";

/** Every real-world file records where it came from (fixtures/real/SOURCES.tsv), and is that file. */
describe("fixtures/real/SOURCES.tsv", () => {
  const rows = readFileSync(join(FIXTURES, "real/SOURCES.tsv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split("\t"));
  const bySha = new Map(rows.map(([local, , , , , sha256]) => [local!, sha256!]));
  const files = fixtureFiles("real")
    .map((f) => f.slice("real/".length))
    .filter((f) => f !== "README.md" && f !== "SOURCES.tsv");

  it.each(files)("%s", (file) => {
    expect(bySha.has(file), `${file} is missing from SOURCES.tsv`).toBe(true);
    const sha = createHash("sha256")
      .update(readFileSync(join(FIXTURES, "real", file)))
      .digest("hex");
    expect(sha).toBe(bySha.get(file));
  });
});
