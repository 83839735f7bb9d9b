import { FormatError } from "../../ir/errors.js";
import type { WeightData } from "../../ir/weights.js";

/** An attribute value, in the forms Keras stores: a str or bytes, a list of names, an empty list. */
export type H5Attr =
  | { kind: "text"; value: string; cset: "ascii" | "utf8" }
  | { kind: "texts"; values: string[]; fixed?: boolean }
  /** NumPy's `np.asarray([])`: an empty float64 array, what Keras stores for an empty name list. */
  | { kind: "empty" };

export interface Node {
  attrs: Map<string, H5Attr>;
}
export interface GroupNode extends Node {
  kind: "group";
  children: Map<string, GroupNode | DatasetNode>;
}
export interface DatasetNode extends Node {
  kind: "dataset";
  data: WeightData;
}

/**
 * What an HDF5 file will hold, built before it is written: groups, datasets (values not yet read) and
 * attributes, by path. writeH5Stream lays it out.
 */
export class H5Tree {
  readonly root: GroupNode = { kind: "group", children: new Map(), attrs: new Map() };

  /** The group at `path`, made with its parents when missing (h5py's `require_group`). */
  group(path: string): GroupNode {
    let node = this.root;
    for (const name of parts(path)) {
      let child = node.children.get(name);
      if (!child) {
        child = { kind: "group", children: new Map(), attrs: new Map() };
        node.children.set(name, child);
      }
      if (child.kind !== "group") throw new FormatError(`HDF5 path '${path}': '${name}' is a dataset, not a group.`);
      node = child;
    }
    return node;
  }

  /** A dataset at `path` (parents made as h5py's `create_dataset("a/b/c")` does). */
  dataset(path: string, data: WeightData): void {
    const names = parts(path);
    const name = names.pop()!;
    const parent = this.group(names.join("/"));
    if (parent.children.has(name)) throw new FormatError(`HDF5 path '${path}' is written twice.`);
    parent.children.set(name, { kind: "dataset", data, attrs: new Map() });
    if (data.dtype === "bfloat16")
      parent.children.get(name)!.attrs.set("dtype", { kind: "text", value: "bfloat16", cset: "utf8" });
  }

  attr(path: string, name: string, value: H5Attr): void {
    this.find(path).attrs.set(name, value);
  }

  private find(path: string): GroupNode | DatasetNode {
    let node: GroupNode | DatasetNode = this.root;
    for (const name of parts(path)) {
      const next: GroupNode | DatasetNode | undefined = node.kind === "group" ? node.children.get(name) : undefined;
      if (!next) throw new FormatError(`HDF5 path '${path}' does not exist.`);
      node = next;
    }
    return node;
  }
}

function parts(path: string): string[] {
  return path.split("/").filter(Boolean);
}
