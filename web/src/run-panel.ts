import type { NdArray } from "../../src/formats/npy/array.js";
import { byId, el } from "./element.js";
import { type InputSpec, type PixelScale, concreteShape, imageInput, npyInput, randomInput } from "./input-arrays.js";

type Source = "random" | "npy" | "image";

interface InputRow {
  spec: InputSpec;
  source: HTMLSelectElement;
  file: HTMLInputElement;
  scale: HTMLSelectElement;
}

const dims = (shape: (number | null)[]) => `(${shape.map((d) => d ?? "None").join(", ")})`;

/**
 * The run form: one row per model input, each fed from random data, an uploaded .npy file or an image
 * file (resized to the input's height and width), and the Run button.
 */
export class RunPanel {
  private rows: InputRow[] = [];

  constructor(onRun: () => void) {
    byId("run").addEventListener("click", onRun);
  }

  /** Lays out one row per input; `note` explains when the model cannot run (no weights). */
  show(specs: InputSpec[] | null, note = ""): void {
    const button = byId<HTMLButtonElement>("run");
    button.disabled = !specs;
    byId("outputs").replaceChildren();
    if (!specs) {
      this.rows = [];
      byId("inputs").replaceChildren(el("p", { class: "muted" }, note));
      return;
    }
    this.rows = specs.map((spec) => this.row(spec));
    byId("inputs").replaceChildren(
      ...this.rows.map((r) =>
        el(
          "div",
          { class: "input-row", "data-input": r.spec.name },
          el("p", {}, el("strong", {}, r.spec.name), ` ${dims(r.spec.shape)} ${r.spec.dtype}`),
          el("label", {}, "from ", r.source),
          r.file,
          el("label", { class: "scale" }, "pixels ", r.scale),
        ),
      ),
    );
  }

  private row(spec: InputSpec): InputRow {
    const source = el(
      "select",
      { name: `source-${spec.name}` },
      el("option", { value: "random" }, `random ${dims(concreteShape(spec))}`),
      el("option", { value: "npy" }, ".npy file"),
      el("option", { value: "image" }, "image file"),
    );
    const file = el("input", { type: "file", name: `file-${spec.name}`, hidden: true });
    const scale = el(
      "select",
      { name: `scale-${spec.name}` },
      el("option", { value: "0-255" }, "0–255"),
      el("option", { value: "0-1" }, "0–1"),
      el("option", { value: "-1-1" }, "−1–1"),
    );
    const sync = () => {
      const s = source.value as Source;
      file.hidden = s === "random";
      file.accept = s === "npy" ? ".npy" : "image/*";
      scale.parentElement?.toggleAttribute("hidden", s !== "image");
    };
    source.addEventListener("change", sync);
    // Picking a file chooses its kind: an .npy is an array, anything else an image.
    file.addEventListener("change", () => {
      const f = file.files?.[0];
      if (f) source.value = /\.npy$/i.test(f.name) ? "npy" : "image";
      sync();
    });
    queueMicrotask(sync);
    return { spec, source, file, scale };
  }

  /** The arrays the rows describe, in input order. */
  async inputs(): Promise<NdArray[]> {
    return Promise.all(
      this.rows.map(async (r, i) => {
        const source = r.source.value as Source;
        if (source === "random") return randomInput(r.spec, i + 1);
        const f = r.file.files?.[0];
        if (!f) throw new Error(`input '${r.spec.name}': choose a ${source === "npy" ? ".npy" : "image"} file first.`);
        if (source === "npy") return npyInput(new Uint8Array(await f.arrayBuffer()), f.name);
        return imageInput(f, r.spec, r.scale.value as PixelScale);
      }),
    );
  }
}
