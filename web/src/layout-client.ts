import { KerasGraphError } from "../../src/ir/errors.js";

/** Lays out DOT in the layout worker (Graphviz wasm off the main thread) and returns the SVG text. */
export class LayoutClient {
  private readonly worker = new Worker(new URL("./layout-worker.ts", import.meta.url), { type: "module" });
  private next = 0;
  private readonly pending = new Map<number, { ok: (svg: string) => void; fail: (e: Error) => void }>();

  constructor() {
    this.worker.addEventListener(
      "message",
      (e: MessageEvent<{ id: number; svg?: string; error?: { name: string; message: string } }>) => {
        const job = this.pending.get(e.data.id);
        if (!job) return;
        this.pending.delete(e.data.id);
        if (e.data.svg !== undefined) job.ok(e.data.svg);
        else job.fail(new KerasGraphError(e.data.error?.message ?? "Graphviz failed"));
      },
    );
    this.worker.addEventListener("error", (e) => {
      const error = new KerasGraphError(`plot: the Graphviz worker failed to start. Received: ${e.message}`);
      for (const job of this.pending.values()) job.fail(error);
      this.pending.clear();
    });
  }

  layout(dot: string): Promise<string> {
    const id = ++this.next;
    return new Promise((ok, fail) => {
      this.pending.set(id, { ok, fail });
      this.worker.postMessage({ id, dot });
    });
  }
}
