/**
 * `npm run fuzz -- --format keras|h5|json|tfjs|onnx|npy|all --iterations N --seed S [--jobs J]`
 *
 * Mutates the fixtures (mutate-case.ts) and runs every reader, the summary and the diagram on each
 * mutant in a pool of worker processes (pool.ts). A finding is any exception that is not a
 * KerasGraphError, a broken promise (targets.ts: an escape, a file written, a short weight), a case
 * running over --timeout ms (5000; confirmed by a second run in a fresh worker, so a busy machine does
 * not pass for a hang) or a worker over --memory MiB (1024). Each finding's case is saved under --out
 * (test/fuzz-findings/) as a reproducer, at most 2 per distinct bug. Exit status 1 when anything was found.
 */
import { performance } from "node:perf_hooks";
import { join } from "node:path";
import { FORMATS, type FuzzFormat, ROOT } from "./corpus.js";
import { describeFinding, type Finding, saveReproducer } from "./findings.js";
import { fuzzCase } from "./mutate-case.js";
import { FuzzPool, type JobResult } from "./pool.js";

interface Args {
  formats: FuzzFormat[];
  iterations: number;
  seed: number;
  start: number;
  jobs: number;
  timeoutMs: number;
  memoryMb: number;
  out: string;
  quiet: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    formats: [...FORMATS],
    iterations: 100,
    seed: 1,
    start: 0,
    jobs: 2,
    timeoutMs: 5000,
    memoryMb: 1024,
    out: join(ROOT, "test", "fuzz-findings"),
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`fuzz: ${flag} needs a value`);
      return v;
    };
    const int = () => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 0) throw new Error(`fuzz: ${flag} needs a whole number`);
      return v;
    };
    if (flag === "--format") {
      const v = value();
      args.formats = v === "all" ? [...FORMATS] : (v.split(",") as FuzzFormat[]);
      const bad = args.formats.filter((f) => !FORMATS.includes(f));
      if (bad.length) throw new Error(`fuzz: unknown format ${bad.join(", ")}; one of ${FORMATS.join("|")} or all`);
    } else if (flag === "--iterations") args.iterations = int();
    else if (flag === "--seed") args.seed = int();
    else if (flag === "--start") args.start = int();
    else if (flag === "--jobs") args.jobs = Math.max(1, int());
    else if (flag === "--timeout") args.timeoutMs = int();
    else if (flag === "--memory") args.memoryMb = int();
    else if (flag === "--out") args.out = value();
    else if (flag === "--quiet") args.quiet = true;
    else throw new Error(`fuzz: unknown option ${flag}`);
  }
  return args;
}

interface FormatStats {
  iterations: number;
  findings: number;
  signatures: Map<string, number>;
  /** Mutants each reader still opened ("ok"), or refused with a given KerasGraphError class. */
  outcomes: Map<string, number>;
  slow: number;
  seconds: number;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const pool = new FuzzPool({
    jobs: args.jobs,
    timeoutMs: args.timeoutMs,
    memoryMb: args.memoryMb,
    formats: args.formats,
  });
  const saved = new Map<string, number>();
  const all: Record<string, FormatStats> = {};
  try {
    for (const format of args.formats) {
      const stats: FormatStats = {
        iterations: 0,
        findings: 0,
        signatures: new Map(),
        outcomes: new Map(),
        slow: 0,
        seconds: 0,
      };
      all[format] = stats;
      const t0 = performance.now();
      let next = args.start;
      const end = args.start + args.iterations;
      const lane = async () => {
        while (next < end) {
          const iteration = next++;
          const job = { kind: "iteration" as const, format, seed: args.seed, iteration };
          let result: JobResult = await pool.run(job);
          if (result.status === "hang") {
            // A second try in a fresh worker: a case slow only because the machine was busy is no hang.
            const again = await pool.run(job);
            if (again.status !== "hang") stats.slow++;
            result = again.status === "hang" ? result : again;
          }
          stats.iterations++;
          if (result.status === "ok") {
            for (const [reader, how] of Object.entries(result.outcome)) count(stats.outcomes, `${reader}: ${how}`);
          } else record(args, stats, saved, format, iteration, result);
          if (!args.quiet && stats.iterations % 500 === 0) {
            process.stderr.write(
              `fuzz ${format}: ${stats.iterations}/${args.iterations}, ${stats.findings} finding(s)\n`,
            );
          }
        }
      };
      await Promise.all(Array.from({ length: args.jobs }, lane));
      stats.seconds = (performance.now() - t0) / 1000;
      report(format, stats, args);
    }
  } finally {
    await pool.close();
  }
  const total = Object.values(all).reduce((n, s) => n + s.findings, 0);
  process.stdout.write(
    `fuzz: seed ${args.seed}, ${total} finding(s) in ${Object.values(all).reduce((n, s) => n + s.iterations, 0)} iterations\n`,
  );
  return total ? 1 : 0;
}

function record(
  args: Args,
  stats: FormatStats,
  saved: Map<string, number>,
  format: FuzzFormat,
  iteration: number,
  result: Exclude<JobResult, { status: "ok" }>,
): void {
  const c = fuzzCase(args.seed, format, iteration);
  const described = describeFinding(format, args.seed, iteration, c, result);
  const finding: Finding & { signature: string } = { ...described, signature: described.signature ?? described.kind };
  stats.findings++;
  count(stats.signatures, finding.signature);
  const n = saved.get(finding.signature) ?? 0;
  if (n < 2) {
    saved.set(finding.signature, n + 1);
    const dir = saveReproducer(args.out, finding, c);
    process.stderr.write(
      `fuzz ${format} #${iteration}: ${finding.kind} in ${finding.reader}: ${finding.message.slice(0, 300)}\n  saved ${dir}\n`,
    );
  }
}

function report(format: FuzzFormat, s: FormatStats, args: Args): void {
  const lines = [
    `fuzz ${format}: ${s.iterations} iterations (seed ${args.seed}, from ${args.start}) in ${s.seconds.toFixed(1)} s, ` +
      `${s.findings} finding(s), ${s.signatures.size} distinct${s.slow ? `, ${s.slow} slow under load but not hung` : ""}`,
  ];
  for (const [sig, n] of [...s.signatures].sort((a, b) => b[1] - a[1])) lines.push(`  ${n} × ${sig}`);
  if (!args.quiet) for (const [o, n] of [...s.outcomes].sort()) lines.push(`    ${o}: ${n}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

process.exitCode = await main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  return 2;
});
