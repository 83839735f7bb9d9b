import { afterAll, describe, expect, it } from "vitest";
import { FORMATS, seedCases } from "../../tools/fuzz/corpus.js";
import { fuzzCase } from "../../tools/fuzz/mutate-case.js";
import { FuzzPool } from "../../tools/fuzz/pool.js";

const pool = new FuzzPool({ jobs: 1, timeoutMs: 3000, memoryMb: 1024, formats: ["npy"] });
// The memory self-test fills 1.5 GB: on a busy machine its page faults alone can outlast the 3 s hang limit
// (it was then reported as a hang), so it runs where only the memory limit can end it.
const roomy = new FuzzPool({ jobs: 1, timeoutMs: 45_000, memoryMb: 1024, formats: ["npy"] });
afterAll(() => Promise.all([pool.close(), roomy.close()]));

describe("the fuzzer", () => {
  it("draws the same mutant for the same seed, format and iteration, and others elsewhere", () => {
    for (const format of FORMATS) {
      expect(seedCases(format).length).toBeGreaterThan(0);
      expect(fuzzCase(7, format, 42)).toEqual(fuzzCase(7, format, 42));
      expect(fuzzCase(7, format, 42)).not.toEqual(fuzzCase(7, format, 43));
    }
  });

  // Cases that break the rules on purpose (tools/fuzz/worker.ts selfTest): each must come back as a finding.
  const special = (main: string) => ({
    kind: "case" as const,
    case: { format: "npy" as const, main, files: { [main]: new Uint8Array(1) } },
  });

  it("reports an exception that is not a KerasGraphError", async () => {
    expect(await pool.run(special("selftest.throw"))).toMatchObject({ status: "error", error: { name: "TypeError" } });
  });

  it("reports a reader that opens a file outside the model's folder", async () => {
    expect(await pool.run(special("selftest.escape"))).toMatchObject({
      status: "error",
      error: { name: "Violation", message: expect.stringContaining("/etc/hostname") },
    });
  });

  it("kills a hang, and a worker over the memory limit, and goes on with fresh workers", async () => {
    const iteration = { kind: "iteration", format: "npy", seed: 1, iteration: 0 } as const;
    expect(await pool.run(special("selftest.hang"))).toMatchObject({ status: "hang" });
    expect(await pool.run(iteration)).toMatchObject({ status: "ok" });
    expect(await roomy.run(special("selftest.memory"))).toMatchObject({ status: "memory" });
    expect(await roomy.run(iteration)).toMatchObject({ status: "ok" });
  });
});
