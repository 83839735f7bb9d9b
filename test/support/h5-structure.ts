import h5wasm from "h5wasm/node";

/**
 * An HDF5 file's structure as comparable lines: every group and dataset by path, each attribute with
 * its HDF5 type (class, size or variable length, character set) and shape, each dataset's type, shape
 * and storage (chunks, filters). Values of attributes are included except those named in `skipValues`
 * (compared separately, e.g. JSON text whose key order may differ).
 */
export async function h5Structure(path: string, skipValues: string[] = []): Promise<string[]> {
  await h5wasm.ready;
  const file = new h5wasm.File(path, "r");
  const lines: string[] = [];
  const attrs = (
    obj: { attrs: Record<string, { metadata: Record<string, unknown>; shape: number[] | null; value: unknown }> },
    at: string,
  ) => {
    for (const [name, a] of Object.entries(obj.attrs).sort(([x], [y]) => (x < y ? -1 : 1))) {
      const m = a.metadata;
      const type = `class=${m.type} ${m.vlen ? "vlen" : `size=${m.size}`}${m.cset !== undefined ? ` cset=${m.cset}` : ""}${m.signed ? " signed" : ""}`;
      const value = skipValues.includes(name)
        ? "(compared apart)"
        : JSON.stringify(a.value, (_, v) =>
            typeof v === "bigint" ? String(v) : ArrayBuffer.isView(v) ? [...(v as unknown as number[])] : v,
          );
      lines.push(`${at} @${name}: ${type} shape=${JSON.stringify(a.shape)} = ${value}`);
    }
  };
  const walk = (group: InstanceType<typeof h5wasm.Group>, at: string) => {
    attrs(group as never, at || "/");
    for (const name of group.keys()) {
      const child = group.get(name);
      const p = `${at}/${name}`;
      if (child instanceof h5wasm.Group) {
        lines.push(`${p}/`);
        walk(child, p);
      } else if (child instanceof h5wasm.Dataset) {
        const m = child.metadata;
        lines.push(
          `${p}: ${child.dtype} size=${m.size} shape=${JSON.stringify(child.shape)} chunks=${JSON.stringify(m.chunks)} filters=${JSON.stringify(child.filters)}`,
        );
        attrs(child as never, p);
      } else lines.push(`${p}: ${String(child)}`);
    }
  };
  try {
    walk(file, "");
  } finally {
    file.close();
  }
  return lines;
}
