import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeAtomically } from "../../src/formats/atomic-write.js";
import { openModel } from "../../src/formats/open.js";
import { saveModel } from "../../src/formats/save.js";
import { WeightData } from "../../src/ir/weights.js";
import { FIXTURES } from "../fixture-files.js";

const CHILD = join(import.meta.dirname, "support", "interrupted-write.ts");
const PREVIOUS = "the previous file\n";

function folderWith(name: string): { dir: string; dest: string } {
  const dir = mkdtempSync(join(tmpdir(), "kerasgraph-atomic-"));
  const dest = join(dir, name);
  writeFileSync(dest, PREVIOUS);
  return { dir, dest };
}

/** Runs the child; `onLine` sees its stdout lines and may kill it. `done` resolves with its exit code and signal. */
function child(args: string[], onLine: (line: string, kill: (s: NodeJS.Signals) => void) => void = () => {}) {
  const p = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  p.stdout.setEncoding("utf8").on("data", (d: string) =>
    d
      .split("\n")
      .filter(Boolean)
      .forEach((l) => onLine(l, (s) => p.kill(s))),
  );
  const done = new Promise<{ code: number | null; signal: string | null }>((ok) =>
    p.on("exit", (code, signal) => ok({ code, signal })),
  );
  return { kill: (s: NodeJS.Signals) => p.kill(s), done };
}

describe("every write is whole or nothing; an aborted one leaves the previous file and no partial one", () => {
  it("a writer that fails halfway (aborted) leaves the destination and its folder as they were", async () => {
    const { dir, dest } = folderWith("model.keras");
    const abort = new AbortController();
    const write = writeAtomically(dest, async (temp) => {
      writeFileSync(temp, "half of a model");
      abort.abort();
      abort.signal.throwIfAborted();
    });
    await expect(write).rejects.toThrow(/aborted/);
    expect(readFileSync(dest, "utf8")).toBe(PREVIOUS);
    expect(readdirSync(dir)).toEqual(["model.keras"]);
  });

  it("a .keras conversion whose weights fail midway writes nothing", async () => {
    const { graph } = await openModel(join(FIXTURES, "keras3/seed/mnist_mlp/model.keras"));
    const last = graph.layers.at(-1)!;
    const kernel = last.values.get("kernel")!;
    last.values.set(
      "kernel",
      new WeightData(kernel.dtype, kernel.shape, () => {
        throw new Error("interrupted");
      }),
    );
    for (const name of ["model.keras", "model.h5"]) {
      const { dir, dest } = folderWith(name);
      await expect(saveModel(graph, dest)).rejects.toThrow(/interrupted/);
      expect(readFileSync(dest, "utf8")).toBe(PREVIOUS);
      expect(readdirSync(dir)).toEqual([name]);
    }
  });

  it("Ctrl-C (SIGINT) halfway: the process exits 130, the previous file stays, the temporary file is removed", async () => {
    const { dir, dest } = folderWith("weights.bin");
    const r = await child(["slow", dest], (line, kill) => line === "writing" && kill("SIGINT")).done;
    expect(r.code).toBe(130);
    expect(readFileSync(dest, "utf8")).toBe(PREVIOUS);
    expect(readdirSync(dir)).toEqual(["weights.bin"]);
  });

  it("SIGKILL halfway: the previous file stays; the next write replaces it and removes the dead writer's temporary file", async () => {
    const { dir, dest } = folderWith("weights.bin");
    const r = await child(["slow", dest], (line, kill) => line === "writing" && kill("SIGKILL")).done;
    expect(r.signal).toBe("SIGKILL");
    expect(readFileSync(dest, "utf8")).toBe(PREVIOUS);
    const left = readdirSync(dir).filter((n) => n !== "weights.bin");
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.weights\.bin\.\d+\.[0-9a-f]{12}\.tmp$/);
    await writeAtomically(dest, (temp) => writeFileSync(temp, "new\n"));
    expect(readFileSync(dest, "utf8")).toBe("new\n");
    expect(readdirSync(dir)).toEqual(["weights.bin"]);
  });

  it("kerasgraph convert interrupted as soon as it starts writing: no partial file, whatever the timing", async () => {
    const src = join(FIXTURES, "keras3/seed/ticket_classifier/model.keras");
    const dir = mkdtempSync(join(tmpdir(), "kerasgraph-atomic-convert-"));
    const dest = join(dir, "out.h5");
    const run = child(["convert", src, dest]);
    let killed = false;
    const poll = setInterval(() => {
      if (!killed && readdirSync(dir).some((n) => n.endsWith(".tmp"))) killed = run.kill("SIGINT");
    }, 2);
    const r = await run.done;
    clearInterval(poll);
    expect([0, 130]).toContain(r.code);
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    if (existsSync(dest)) expect((await openModel(dest)).graph.layers.length).toBeGreaterThan(0);
  });
});
