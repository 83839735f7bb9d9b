/**
 * Loads a TF.js layers-model folder with real tfjs-layers, the way a web app does: `loadLayersModel`
 * over HTTP, served from the folder by a fetch function (tfjs resolves the shard paths itself).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { tf } from "../../src/exec/tfjs/runtime.js";

export async function loadWithTfjs(dir: string, file = "model.json"): Promise<InstanceType<typeof tf.LayersModel>> {
  const fetchFunc = async (url: string | URL | Request) => {
    const path = decodeURIComponent(new URL(url instanceof Request ? url.url : url).pathname);
    try {
      return new Response(await readFile(join(dir, path)));
    } catch {
      return new Response(null, { status: 404 });
    }
  };
  return tf.loadLayersModel(`http://models.test/${file}`, { fetchFunc });
}
