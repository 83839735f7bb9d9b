/**
 * One ResNet50 conversion as `tools/bench/convert.ts` times it (fresh process, the CRC worker started and
 * warm-up conversions of toy_resnet both ways untimed), printing the timed window in CLOCK_MONOTONIC seconds on stderr, so a
 * profiler can be pointed at just that window:
 *
 *   node --import tsx tools/bench/convert-window.ts --prepare DIR            # writes DIR/resnet50.keras, .onnx
 *   perf record -k CLOCK_MONOTONIC -F 9999 -g -o DIR/perf.data -- node --perf-basic-prof \
 *     --import ./tools/bench/preload-h5wasm.mjs --import tsx tools/bench/convert-window.ts DIR to-onnx
 *   perf report -i DIR/perf.data --time START,END --sort pid   # START,END: the WINDOW line on stderr
 *
 * `to-onnx` converts DIR/resnet50.keras to DIR/out.onnx (external data), `to-keras` DIR/resnet50.onnx to
 * DIR/out.keras. stdout: wall ms, this thread's CPU ms and run-queue wait ms (Linux schedstat), the
 * process's CPU ms and its minor page faults in the window. (`--perf-basic-prof` leaves
 * /tmp/perf-PID.map and isolate-*.log files behind.)
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadHdf5 } from "../../src/formats/hdf5/h5wasm.js";
import { prestartCrcThread } from "../../src/formats/keras-zip/crc-thread.js";
import { writeKerasArchive } from "../../src/formats/keras-zip/write.js";
import { writeOnnxFileExternal } from "../../src/formats/onnx/write-external.js";
import { openModel } from "../../src/formats/open.js";
import { saveModel } from "../../src/formats/save.js";
import { resnet50WithWeights } from "./weights-io.js";

const ROOT = join(import.meta.dirname, "..", "..");

async function convert(src: string, dest: string): Promise<void> {
  const { graph } = await openModel(src);
  if (dest.endsWith(".onnx")) await writeOnnxFileExternal(graph, dest, { externalData: "always" });
  else await saveModel(graph, dest);
}

/** [on-CPU ns, run-queue ns] of this thread, where Linux says. */
function schedstat(): [number, number] {
  if (!existsSync("/proc/thread-self/schedstat")) return [NaN, NaN];
  const [cpu, wait] = readFileSync("/proc/thread-self/schedstat", "utf8").split(" ").map(Number);
  return [cpu!, wait!];
}

const [dir, direction] = process.argv.slice(2);
if (dir === "--prepare") {
  const out = process.argv[3]!;
  await writeKerasArchive(resnet50WithWeights().graph, join(out, "resnet50.keras"));
  await convert(join(out, "resnet50.keras"), join(out, "resnet50.onnx"));
} else {
  const [src, dest] =
    direction === "to-keras"
      ? [join(dir!, "resnet50.onnx"), join(dir!, "out.keras")]
      : [join(dir!, "resnet50.keras"), join(dir!, "out.onnx")];
  await loadHdf5();
  prestartCrcThread();
  await convert(join(ROOT, "fixtures/keras3/seed/toy_resnet/model.keras"), `${dest}.warm.onnx`);
  await convert(`${dest}.warm.onnx`, `${dest}.warm.keras`);
  for (const old of [dest, `${dest}.data`]) rmSync(old, { force: true });
  const [s0, c0, f0] = [schedstat(), process.cpuUsage(), process.resourceUsage().minorPageFault];
  const [h0, t0] = [process.hrtime.bigint(), performance.now()];
  await convert(src, dest);
  const [h1, t1] = [process.hrtime.bigint(), performance.now()];
  const [s1, c1, f1] = [schedstat(), process.cpuUsage(c0), process.resourceUsage().minorPageFault];
  console.error(`WINDOW ${Number(h0) / 1e9},${Number(h1) / 1e9}`);
  const cpu = (c1.user + c1.system) / 1000;
  console.log(
    `wall ${(t1 - t0).toFixed(1)} ms, main thread CPU ${((s1[0] - s0[0]) / 1e6).toFixed(1)} ms, ` +
      `run-queue wait ${((s1[1] - s0[1]) / 1e6).toFixed(1)} ms, process CPU ${cpu.toFixed(1)} ms, ` +
      `${f1 - f0} page faults`,
  );
}
