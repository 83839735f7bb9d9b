/**
 * `JSON.stringify(value, null, indent)` that keeps the sign of a negative zero. Keras configs hold -0.0
 * (`RandomShear()` stores `x_factor=(-0.0, 0.0)`, `sorted([-abs(f), abs(f)])` of its default 0.0) and
 * Python's `json.dumps` writes it as `-0.0`, which `JSON.parse` reads back as -0; `JSON.stringify`
 * writes -0 as `0`, which would change the config on every save.
 *
 * A config without -0 (nearly all) costs one walk over the value besides `JSON.stringify`; one with -0 is
 * stringified with each -0 as a marker string that no string of the value contains, then the marker
 * (a quoted string holding an escaped NUL, which only a string token can contain) becomes `-0.0`.
 */
export function stringifyJson(value: unknown, indent?: number): string {
  const space = indent !== undefined && indent > 0 ? indent : undefined;
  const plain = JSON.stringify(value ?? null, null, space);
  if (!holdsNegativeZero(value)) return plain;
  let marker = "\u0000-0";
  while (plain.includes(JSON.stringify(marker).slice(1, -1))) marker += "\u0000";
  const marked = JSON.stringify(value, (_key, v: unknown) => (Object.is(v, -0) ? marker : v), space);
  return marked.split(JSON.stringify(marker)).join("-0.0");
}

function holdsNegativeZero(value: unknown): boolean {
  if (typeof value === "number") return Object.is(value, -0);
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(holdsNegativeZero);
  for (const key in value) if (holdsNegativeZero((value as Record<string, unknown>)[key])) return true;
  return false;
}
