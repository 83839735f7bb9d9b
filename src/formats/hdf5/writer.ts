import { closeSync, openSync } from "node:fs";
import { FormatError } from "../../ir/errors.js";
import type { Scratch, TypedArray, WeightData } from "../../ir/weights.js";
import { KernelScratch } from "../transpose/transpose.js";
import { castWeight } from "../weight-values.js";
import { encodeMetadata, plan } from "./layout.js";
import { writeFully } from "../write-fully.js";
import type { H5Tree } from "./tree.js";

export { H5Tree } from "./tree.js";
export type { H5Attr } from "./tree.js";

/**
 * An HDF5 file in the layout h5py writes by default, which Keras's files have: superblock version 0,
 * version-1 object headers, groups as symbol tables (one B-tree node, symbol nodes, a local heap),
 * contiguous datasets after all the metadata, string attributes in a global heap. The file is produced
 * as a stream — the metadata block, then each dataset's bytes straight from its typed array — so it can
 * go into a file or a zip member without a temporary copy. Every fixture-shaped file it writes is read
 * back by the HDF5 library in the tests.
 *
 * Streams the file to `write` (called with the metadata block, then each dataset's bytes in order) and
 * returns its size (`announce` hears it before the first bytes). With `release` set, values that were not loaded are read one at a time into a
 * scratch buffer (or loaded and dropped again), so writing holds one weight at a time; `write` must be
 * done with a chunk when it returns. The scratch is the transpose kernel's memory: a weight an ONNX
 * file holds transposed is read there and laid out there without a copy in or out (KernelScratch).
 */
export function writeH5Stream(
  tree: H5Tree,
  write: (chunk: Uint8Array) => void,
  options: { release?: boolean; announce?: (bytes: number) => void } = {},
): number {
  const layout = plan(tree);
  options.announce?.(layout.size);
  write(encodeMetadata(tree, layout));
  const scratch = options.release ? new KernelScratch() : undefined;
  for (const { node, bytes } of layout.data) {
    if (!bytes) continue;
    const wasLoaded = node.data.loaded;
    const values = storedValues(node.data, scratch);
    write(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    if (options.release && !wasLoaded) node.data.release();
  }
  return layout.size;
}

/** Writes the file to `path` (created or truncated), releasing values it loaded to write them. */
export function writeH5File(tree: H5Tree, path: string): number {
  const fd = openSync(path, "w");
  try {
    return writeH5Stream(tree, (chunk) => writeFully(fd, chunk), { release: true });
  } finally {
    closeSync(fd);
  }
}

/** The values as stored: bfloat16 widened to float32 (tagged), like Keras's own bfloat16 datasets. */
function storedValues(data: WeightData, scratch?: Scratch): TypedArray {
  const values =
    data.dtype === "bfloat16" ? castWeight(data, "float32").values : scratch ? data.borrow(scratch) : data.values;
  if (values.length !== data.size) {
    throw new FormatError(`a weight of shape (${data.shape.join(", ")}) holds ${values.length} values.`);
  }
  return values;
}
