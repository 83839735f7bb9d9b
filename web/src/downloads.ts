import type { NdArray } from "../../src/formats/npy/array.js";
import { formatNpy } from "../../src/formats/npy/write.js";
import { el } from "./element.js";

/** A link that saves the array as a NumPy .npy file (made when clicked). */
export function npyDownload(array: NdArray, file: string, text: string): HTMLAnchorElement {
  const link = el("a", { href: "#", download: file, class: "download" }, text);
  link.addEventListener("click", () => {
    const url = URL.createObjectURL(
      new Blob([formatNpy(array) as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }),
    );
    link.href = url;
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });
  return link;
}
