/**
 * Keras's automatic layer names (`dense`, `dense_1`, ...), scoped to one graph instead of a global
 * session counter.
 */
export class NameAuthority {
  private readonly taken = new Set<string>();
  private readonly counters = new Map<string, number>();

  claim(name: string): void {
    this.taken.add(name);
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }

  /** The next free name for a base: `base`, then `base_1`, `base_2`, ... */
  unique(base: string): string {
    let n = this.counters.get(base) ?? 0;
    let name = n === 0 ? base : `${base}_${n}`;
    while (this.taken.has(name)) name = `${base}_${++n}`;
    this.counters.set(base, n + 1);
    this.taken.add(name);
    return name;
  }
}

/** Keras's `to_snake_case` for default layer names: "Conv2D" → "conv2d", "MaxPooling2D" → "max_pooling2d". */
export function snakeCase(className: string): string {
  const intermediate = className.replace(/(.)([A-Z][a-z0-9]+)/g, "$1_$2");
  const insecure = intermediate.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
  return insecure.startsWith("_") ? `private${insecure}` : insecure;
}
