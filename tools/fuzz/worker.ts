/**
 * A fuzz worker (a child process of pool.ts): builds or receives a case, runs every reader on it
 * (targets.ts) in a scratch folder of its own, and answers with the outcome or the error, plus its
 * memory. A hang or a crash is the pool's to see: it kills and replaces the worker.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import h5wasm from "h5wasm";
import { loadHdf5 } from "../../src/formats/hdf5/h5wasm.js";
import { FORMATS, type FuzzFormat, ROOT, seedCases } from "./corpus.js";
import { watchFileOpens } from "./fs-watch.js";
import { fuzzCase } from "./mutate-case.js";
import type { Job, Reply } from "./protocol.js";
import { runTargets, Violation } from "./targets.js";

const scratch = mkdtempSync(join(tmpdir(), "kerasgraph-fuzz-"));
const dir = join(scratch, "case");
const send = (reply: Reply) => process.send!(reply);
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
process.on("disconnect", () => process.exit(0));

// Warm up on the unmutated seeds, and load both builds of the HDF5 library (several seconds and hundreds of
// MB through tsx's loader), so that first-use costs are neither timed as a hang nor counted as a case's memory.
const formats = (process.env.KERASGRAPH_FUZZ_FORMATS?.split(",") ?? FORMATS) as FuzzFormat[];
for (const format of formats) await runTargets(seedCases(format)[0]!, dir).catch(() => undefined);
await loadHdf5();
await h5wasm.ready;
const opens = watchFileOpens();
const PACKAGES = join(ROOT, "node_modules") + sep;
send({ type: "ready", ...memory() });

process.on("message", (job: Job) => {
  void (async () => {
    const c = job.kind === "case" ? job.case : fuzzCase(job.seed, job.format, job.iteration);
    try {
      opens.take();
      let reader = "?";
      // The readers' own lazily loaded files (WebAssembly, fonts) live in node_modules; anything else is an escape.
      const checkOpens = () => {
        const outside = opens.take().filter((p) => !p.startsWith(dir + sep) && !p.startsWith(PACKAGES));
        if (outside.length)
          throw Object.assign(
            new Violation(`${reader} opened ${outside.slice(0, 3).join(", ")}, outside the model's folder`),
            { reader },
          );
      };
      selfTest(c.main);
      const outcome = await runTargets(c, dir, (r) => {
        checkOpens();
        send({ type: "reader", id: job.id, reader: (reader = r) });
      });
      checkOpens();
      send({ type: "done", id: job.id, outcome, ...memory() });
    } catch (e) {
      const err = e as Error & { reader?: string };
      const error = {
        name: err?.name ?? "unknown",
        message: String(err?.message ?? e),
        stack: String(err?.stack ?? ""),
        reader: err?.reader ?? "?",
      };
      send({ type: "error", id: job.id, error, ...memory() });
    }
  })();
});

function memory(): { rssMb: number; arrayBuffersMb: number } {
  const { rss, arrayBuffers } = process.memoryUsage();
  return { rssMb: mb(rss), arrayBuffersMb: mb(arrayBuffers) };
}

/** Cases that break the harness's own rules on purpose, for test/hostile/fuzzer.test.ts. */
function selfTest(main: string): void {
  if (main === "selftest.hang") for (;;);
  if (main === "selftest.memory") new Uint8Array(1.5 * 2 ** 30).fill(1);
  if (main === "selftest.throw") throw new TypeError("a reader's bug");
  if (main === "selftest.escape") readFileSync("/etc/hostname");
}
