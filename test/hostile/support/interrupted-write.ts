/**
 * A child process for test/hostile/atomic.test.ts: `slow DEST` writes DEST through writeAtomically in
 * 200 chunks, 10 ms apart, printing "writing" once the temporary file exists; `convert SRC DEST` runs
 * `kerasgraph convert`. Both end on SIGINT/SIGTERM through process.exit, as bin/kerasgraph.js does.
 */
import { appendFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { main } from "../../../src/cli/main.js";
import { writeAtomically } from "../../../src/formats/atomic-write.js";

for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const)
  process.once(signal, () => process.exit(code));

const [mode, ...args] = process.argv.slice(2);
if (mode === "slow") {
  await writeAtomically(args[0]!, async (temp) => {
    for (let i = 0; i < 200; i++) {
      appendFileSync(temp, new Uint8Array(1024).fill(i));
      if (i === 0) process.stdout.write("writing\n");
      await sleep(10);
    }
  });
  process.stdout.write("done\n");
} else {
  process.exitCode = await main(["convert", ...args]);
}
