import { byId } from "./element.js";
import type { GivenFile } from "./load-model.js";

/**
 * The ways a model reaches the page: the file picker, a drop anywhere on the page (several files at
 * once: a model.json with its shards), and the model `kerasgraph view MODEL` serves.
 */
export function listenForFiles(onFiles: (files: GivenFile[]) => void): void {
  const picker = byId<HTMLInputElement>("file");
  picker.addEventListener("change", async () => {
    if (picker.files?.length) onFiles(await readAll([...picker.files]));
    picker.value = "";
  });
  const overlay = byId("drop-overlay");
  let depth = 0;
  window.addEventListener("dragenter", (e) => {
    if (!e.dataTransfer?.types.includes("Files")) return;
    depth++;
    overlay.hidden = false;
  });
  window.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) overlay.hidden = true;
  });
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", async (e) => {
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) onFiles(await readAll(files));
  });
}

async function readAll(files: File[]): Promise<GivenFile[]> {
  return Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

/**
 * The files `kerasgraph view MODEL` serves beside the page (`api/model`: the model and, for TF.js, its
 * shards); none when the page was opened without a model or from plain static hosting.
 */
export async function served(): Promise<GivenFile[]> {
  let list: { files?: { name: string; url: string }[] };
  try {
    const response = await fetch("api/model");
    if (!response.ok) return [];
    list = (await response.json()) as typeof list;
  } catch {
    return []; // No kerasgraph server behind the page: nothing was served.
  }
  return Promise.all(
    (list.files ?? []).map(async (f) => {
      const response = await fetch(f.url);
      if (!response.ok)
        throw new Error(`the viewer's server could not send ${f.name}. Received: HTTP ${response.status}`);
      return { name: f.name, bytes: new Uint8Array(await response.arrayBuffer()) };
    }),
  );
}
