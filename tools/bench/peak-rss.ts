import { readFileSync } from "node:fs";

/**
 * This process's peak resident set in MB: Linux's VmHWM, the high-water mark of this process's own
 * memory. `process.resourceUsage().maxRSS` is not that for a benchmark's child process: Linux keeps
 * ru_maxrss across fork and exec, so a child started by a large parent reports the parent's size.
 * Elsewhere maxRSS is what there is.
 */
export function peakRssMb(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
