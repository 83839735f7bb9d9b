import { FormatError } from "../../ir/errors.js";
import type { WeightData } from "../../ir/weights.js";
import type { H5Reader } from "./reader.js";

type Attrs = Map<string, unknown>;
type SnapNode =
  | { kind: "group"; attrs: Attrs; children: Set<string>; file: string }
  | { kind: "dataset"; attrs: Attrs; data: WeightData | FormatError; file: string };

/** One HDF5 file's groups, attributes and (lazy) datasets by path ("layers/dense/vars", "" for the root). */
export interface H5Snapshot {
  file: string;
  nodes: Map<string, SnapNode>;
}

/** Groups a walk visits at most, and how deep: HDF5 links can form cycles or reach one group twice. */
const MAX_NODES = 100_000;
const MAX_DEPTH = 64;

/**
 * Takes down everything `reader` shows, so the file can be closed: datasets stay WeightData that read
 * their file again on first use (what H5Reader promises). A dataset whose type is not a weight's is kept
 * as its error, raised only if someone asks for it. Layouts the reader does not handle (Hdf5Unsupported)
 * pass through, so `withH5Reader` can retry on the HDF5 library.
 */
export function snapshotH5(reader: H5Reader, file = reader.path): H5Snapshot {
  const nodes = new Map<string, SnapNode>();
  const attrs = (path: string): Attrs =>
    new Map(reader.attrNames(abs(path)).map((n) => [n, reader.attr(abs(path), n)]));
  const walk = (path: string, depth: number) => {
    if (depth > MAX_DEPTH || nodes.size >= MAX_NODES) {
      throw new FormatError(
        `its groups nest deeper than ${MAX_DEPTH} levels or number over ${MAX_NODES} along their links (a cycle?). Received: '${path.slice(0, 200)}'`,
        { file },
      );
    }
    const children = reader.children(abs(path));
    nodes.set(path, { kind: "group", attrs: attrs(path), children: new Set(children), file });
    for (const name of children) {
      const at = path ? `${path}/${name}` : name;
      const kind = reader.kind(abs(at));
      if (kind === "group") walk(at, depth + 1);
      else if (kind === "dataset") nodes.set(at, { kind, attrs: attrs(at), data: datasetOrError(reader, at), file });
    }
  };
  walk("", 0);
  return { file, nodes };
}

function datasetOrError(reader: H5Reader, path: string): WeightData | FormatError {
  try {
    return reader.dataset(abs(path));
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
}

/**
 * Several HDF5 files read as one tree (Keras's weight shards): a group that several files hold is one
 * group with every file's members (attributes: the first file's that has each); a dataset two files
 * hold, or a name that is a group in one file and a dataset in another, is refused.
 */
export class MergedH5Reader implements H5Reader {
  private readonly nodes = new Map<string, SnapNode>();

  constructor(
    snapshots: H5Snapshot[],
    readonly path: string,
  ) {
    for (const snap of snapshots) {
      for (const [at, node] of snap.nodes) {
        const have = this.nodes.get(at);
        if (!have)
          this.nodes.set(
            at,
            node.kind === "group" ? { ...node, attrs: new Map(node.attrs), children: new Set(node.children) } : node,
          );
        else if (have.kind === "group" && node.kind === "group") {
          for (const c of node.children) have.children.add(c);
          for (const [k, v] of node.attrs) if (!have.attrs.has(k)) have.attrs.set(k, v);
        } else {
          throw new FormatError(
            `'/${at}' is a ${have.kind} in ${have.file} and a ${node.kind} in ${snap.file}; a weight must be in one file only.`,
            { file: path },
          );
        }
      }
    }
  }

  kind(path: string): "group" | "dataset" | null {
    return this.nodes.get(norm(path))?.kind ?? null;
  }
  children(path: string): string[] {
    const node = this.nodes.get(norm(path));
    return node?.kind === "group" ? [...node.children].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  }
  attrNames(path: string): string[] {
    return [...(this.nodes.get(norm(path))?.attrs.keys() ?? [])];
  }
  attr(path: string, name: string): unknown {
    return this.nodes.get(norm(path))?.attrs.get(name);
  }
  dataset(path: string): WeightData {
    const node = this.nodes.get(norm(path));
    if (node?.kind !== "dataset") throw new FormatError(`has no dataset '/${norm(path)}'.`, { file: this.path });
    if (node.data instanceof FormatError) throw node.data;
    return node.data;
  }
  close(): void {}
}

function norm(path: string): string {
  return path.split("/").filter(Boolean).join("/");
}

function abs(path: string): string {
  return `/${path}`;
}
