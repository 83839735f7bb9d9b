import { closeSync, openSync, readSync, statSync } from "node:fs";
import { basename } from "node:path";
import { FormatError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import { firstBytes, isHdf5 } from "../detect.js";
import { type H5Snapshot, MergedH5Reader, snapshotH5 } from "../hdf5/merged-reader.js";
import { withH5Reader } from "../hdf5/reader.js";
import { type ClassNameOf, kerasVarsGroups } from "./saveables.js";
import { readShardManifest, type ShardManifest, shardPath } from "./sharded-layout.js";
import { readKerasWeights } from "./weights-h5.js";

/**
 * Reads Keras 3's sharded weights (`model.load_weights("m.weights.json")`, saving_lib's
 * `ShardedH5IOStore`; layout in sharded-layout.ts) into the graph's layers. Every shard the manifest
 * names is opened once, its tree taken down and the file closed; values load from their shard on first
 * use. The shards are then read as one `.weights.h5` would be, by Keras's attribute paths. Each group
 * the manifest lists must be in each shard it names; a layer's variables may come from any shard.
 */
export async function readShardedKerasWeights(
  manifestFile: string,
  graph: Graph,
  classNameOf?: ClassNameOf,
): Promise<void> {
  const manifest = readShardManifest(manifestFile);
  const owners = new Map<string, string>(
    kerasVarsGroups(graph, classNameOf).map((g) => [
      g.path ? `${g.path}/vars` : "vars",
      g.layer ? `layer '${g.layer.name}' (${g.layer.className})` : `the model '${g.name}'`,
    ]),
  );
  owners.set("optimizer/vars", "the optimizer");
  const listedFor = (shard: string): string => {
    const group = [...manifest.groups].find(([, names]) => names.includes(shard))![0];
    return `${owners.get(group) ?? "a group"} at '/${group}'`;
  };
  const snapshots = new Map<string, H5Snapshot>();
  for (const shard of manifest.shards) snapshots.set(shard, await snapshotShard(manifest, shard, listedFor(shard)));
  for (const [group, names] of manifest.groups) {
    for (const shard of names) {
      if (snapshots.get(shard)!.nodes.get(group)?.kind === "group") continue;
      throw new FormatError(
        `weight_map lists shard '${shard}' for ${owners.get(group) ?? "the weights"} at '/${group}', but that shard ` +
          `has no such group. The manifest does not match its shards.`,
        { file: manifestFile },
      );
    }
  }
  const reader = new MergedH5Reader([...snapshots.values()], manifestFile);
  readKerasWeights(reader, graph, classNameOf, shardsText(manifest));
}

/** One shard's tree, after checking it is an HDF5 file beside the manifest. */
async function snapshotShard(manifest: ShardManifest, shard: string, listed: string): Promise<H5Snapshot> {
  const path = shardPath(manifest.file, shard);
  const fail = (why: string, cause?: unknown) =>
    new FormatError(`shard '${shard}' (listed for ${listed}) ${why}`, { file: manifest.file, cause });
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch (e) {
    throw fail(`does not exist. Received: ${(e as NodeJS.ErrnoException).code ?? "error"} for ${path}`, e);
  }
  if (!isFile) throw fail(`is not a file. Received: ${path}`);
  const head = readHead(path);
  if (!isHdf5(head)) throw fail(`is not an HDF5 file. Received: first bytes ${firstBytes(head)}`);
  try {
    return await withH5Reader(path, (reader) => snapshotH5(reader, shard));
  } catch (e) {
    if (e instanceof FormatError) throw fail(`cannot be read: ${e.message}`, e);
    throw e;
  }
}

function readHead(path: string): Uint8Array {
  const head = new Uint8Array(64 * 1024);
  const fd = openSync(path, "r");
  try {
    return head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } finally {
    closeSync(fd);
  }
}

/** "m.weights.json (shards: m_00000.weights.h5, m_00001.weights.h5)", for readKerasWeights's messages. */
function shardsText(manifest: ShardManifest): string {
  const { shards } = manifest;
  const names = shards.length > 4 ? [...shards.slice(0, 3), `… ${shards.length} in all`] : shards;
  return `${basename(manifest.file)} (shards: ${names.join(", ") || "none"})`;
}
