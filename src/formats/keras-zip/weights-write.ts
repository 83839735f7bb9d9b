import { writeFileSync } from "node:fs";
import { FormatError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import { defaultRegistry, type LayerRegistry } from "../../layers/registry.js";
import { writeAtomically, writeFilesAtomically } from "../atomic-write.js";
import { H5Tree, writeH5File } from "../hdf5/writer.js";
import {
  DEFAULT_MAX_SHARD_BYTES,
  dtypeBits,
  manifestPath,
  manifestText,
  shardName,
  shardPath,
  shardSizeBytes,
} from "./sharded-layout.js";
import { type VarsEntry, kerasVarsEntries, kerasWeightsTree } from "./weights-h5.js";
import { savedClassName } from "./saveables.js";

export interface WriteKerasWeightsOptions {
  /**
   * Shard the weights, as Keras's `save_weights(..., max_shard_size=...)`: a number of GB (Keras's
   * unit, 1024-based) or a size such as `"500MB"`. A `.weights.json` destination is sharded at Keras's
   * default 5 GB when none is given; a `.weights.h5` one is a single file unless it is given.
   */
  maxShardSize?: number | string;
  /** Resolves layer class aliases for Keras's group names; the built-in catalog by default. */
  registry?: LayerRegistry;
}

/**
 * Writes only the weights, as Keras 3's `model.save_weights(path)` does: one `.weights.h5` (the layout
 * of a `.keras` archive's `model.weights.h5`), or, with a maximum shard size, a `.weights.json` manifest
 * and `<base>_00000.weights.h5`, ... shards laid out as `ShardedH5IOStore` lays them (sharded-layout.ts).
 * A shard is written at a time, each value released after writing it. Every file is built under a
 * temporary name and renamed at the end, the manifest last; on failure nothing is left. Returns the
 * files written, the manifest first.
 */
export async function writeKerasWeightsFile(
  graph: Graph,
  dest: string,
  options: WriteKerasWeightsOptions = {},
): Promise<string[]> {
  const registry = options.registry ?? defaultRegistry;
  const classNameOf = savedClassName(registry);
  if (options.maxShardSize === undefined && !/\.json$/i.test(dest)) {
    const tree = kerasWeightsTree(graph, classNameOf, "a .weights.h5 file");
    await writeAtomically(dest, (temp) => void writeH5File(tree, temp));
    return [dest];
  }
  const limit = options.maxShardSize === undefined ? DEFAULT_MAX_SHARD_BYTES : shardSizeBytes(options.maxShardSize);
  const manifest = manifestPath(dest);
  const plan = planShards(kerasVarsEntries(graph, classNameOf, "sharded weights"), limit, manifest);
  const shards = plan.trees.map((tree, i) => ({
    dest: shardPath(manifest, shardName(manifest, i)),
    write: (temp: string) => void writeH5File(tree, temp),
  }));
  const text = manifestText(plan.totalSize, plan.wroteAny, plan.weightMap);
  await writeFilesAtomically([...shards, { dest: manifest, write: (temp) => writeFileSync(temp, text) }]);
  return [manifest, ...shards.map((s) => s.dest)];
}

interface ShardPlan {
  trees: H5Tree[];
  /** Group → its `weight_map` value: a shard name (one variable), or a list of them (more). */
  weightMap: Map<string, string | string[]>;
  totalSize: number;
  wroteAny: boolean;
}

/**
 * Deals the variables out to shards as `ShardedH5IOStore` does, in `_save_state` order: an object's
 * `vars` group (with its `name`) goes in the shard open when the object is visited; a variable that
 * would take the shard's running size over `limit` opens the next shard, where the group is made again
 * without its name. Sizes are `prod(shape) * bits / 8` in floating point, as Keras adds them up.
 */
function planShards(entries: VarsEntry[], limit: number, manifest: string): ShardPlan {
  const file = manifest;
  const trees = [new H5Tree()];
  const weightMap = new Map<string, string | string[]>();
  let shardSize = 0;
  let totalSize = 0;
  for (const { vars, name, values, labels } of entries) {
    trees.at(-1)!.group(vars);
    trees.at(-1)!.attr(vars, "name", { kind: "text", value: name, cset: "utf8" });
    values.forEach((data, i) => {
      const bytes = (data.size * bitsOf(data.dtype, labels[i]!, file)) / 8;
      totalSize += bytes;
      if (bytes > limit) {
        throw new FormatError(
          `${labels[i]} of shape (${data.shape.join(", ")}) is ${readableSize(bytes)}, over the maximum shard size ` +
            `${readableSize(limit)}. Keras keeps each variable whole in one shard and refuses this too: raise the ` +
            `maximum shard size to at least ${Math.ceil(bytes)} bytes. Received: max shard size ${limit} bytes`,
          { file },
        );
      }
      shardSize += bytes;
      if (shardSize > limit) {
        trees.push(new H5Tree());
        shardSize = bytes;
      }
      trees.at(-1)!.dataset(`${vars}/${i}`, data);
      // As Keras records it: the group's first variable sets its shard's name; a second variable turns
      // that into a list, to which a shard not yet listed is added.
      const shard = shardName(manifest, trees.length - 1);
      const listed = weightMap.get(vars);
      if (listed === undefined) weightMap.set(vars, shard);
      else {
        const list = typeof listed === "string" ? [listed] : listed;
        weightMap.set(vars, list.includes(shard) ? list : [...list, shard]);
      }
    });
  }
  return { trees, weightMap, totalSize, wroteAny: entries.some((e) => e.values.length) };
}

function bitsOf(dtype: string, label: string, file: string): number {
  try {
    return dtypeBits(dtype);
  } catch (e) {
    throw new FormatError(`${label}: ${(e as Error).message}`, { file, cause: e });
  }
}

/** Keras's `readable_memory_size`: "1.50 MB", 1024-based. */
function readableSize(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let n = bytes;
  let unit = 0;
  while (n / 1024 >= 1 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${n.toFixed(2)} ${units[unit]}`;
}
