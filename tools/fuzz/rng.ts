/**
 * A small seeded generator (mulberry32), so that every fuzz iteration can be replayed alone: iteration i
 * of format f under seed s always draws the same numbers, whatever ran before it.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The generator of one iteration: a hash of (seed, format, iteration). */
  static forIteration(seed: number, format: string, iteration: number): Rng {
    let h = 2166136261 ^ seed;
    for (const c of `${format}:${iteration}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    return new Rng(Math.imul(h ^ (h >>> 15), 2246822507) ^ iteration);
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    if (!items.length) throw new Error("internal: pick from an empty list");
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}
