import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadReproducers } from "../../tools/fuzz/findings.js";
import { FuzzPool } from "../../tools/fuzz/pool.js";

// Every finding of `npm run fuzz`, once fixed, stays here as a regression test: its files under
// test/fuzz-findings/<id>/files, what it was and how it was fixed in finding.json. Each runs through
// every reader in a worker process, as the fuzzer runs it, so a hang comes back as a failure, not a
// stuck test run. The timeout is generous: this runs beside the rest of the suite on a busy machine.
const reproducers = loadReproducers(join(import.meta.dirname, "..", "fuzz-findings"));
const pool = new FuzzPool({ jobs: 1, timeoutMs: 20_000, memoryMb: 1024, formats: ["json"] });
afterAll(() => pool.close());

describe("fuzz findings stay fixed: every reader opens them or refuses them with a KerasGraphError", () => {
  it("has reproducers", () => expect(reproducers.length).toBeGreaterThan(20));

  it.each(reproducers.map((r) => [`${r.dir.split("/").pop()} (${r.finding.kind} in ${r.finding.reader})`, r] as const))(
    "%s",
    async (_name, r) => {
      const result = await pool.run({ kind: "case", case: r.case });
      expect(result).toMatchObject({ status: "ok" });
    },
  );
});
