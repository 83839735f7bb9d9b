import type { NdArray } from "../../src/formats/npy/array.js";
import { modelToDot } from "../../src/tools/plot/model-to-dot.js";
import { DiagramPanel } from "./diagram-panel.js";
import { byId } from "./element.js";
import { clearError, setStatus, showError } from "./error-banner.js";
import { type Activations, showLayer, showOnnxNode } from "./inspector-panel.js";
import { type GivenFile, type LoadedModel, loadModelFiles } from "./load-model.js";
import { onnxToDot } from "./onnx-dot.js";
import { showOutputs } from "./outputs-view.js";
import { RunPanel } from "./run-panel.js";
import { type Prediction, ModelRunner } from "./runner.js";
import { selectSummaryRow, showKerasSummary, showOnnxSummary } from "./summary-panel.js";

/** The page's state: the open model, its runner, the selected layer and the last run's outputs. */
export class ViewerApp {
  model: LoadedModel | null = null;
  private runner: ModelRunner | null = null;
  selected: string | null = null;
  activations: Activations = null;
  lastPrediction: Prediction | null = null;
  /** Milliseconds from receiving the files to the diagram in the page, and its stages. */
  openMs = 0;
  openStages = { readMs: 0, dotMs: 0, layoutMs: 0, drawMs: 0 };
  private readonly diagram = new DiagramPanel((id) => this.select(id));
  private readonly runPanel = new RunPanel(() => void this.run());
  private activationNote = "Run the model to see this layer's output.";

  /** Reads the files as a model and shows it; a failure shows its message and leaves the page usable. */
  async open(files: GivenFile[]): Promise<void> {
    const started = performance.now();
    clearError();
    const names = files.map((f) => f.name).join(", ");
    setStatus(`Reading ${names}…`);
    try {
      const model = await loadModelFiles(files);
      const read = performance.now();
      await this.runner?.dispose();
      this.model = model;
      this.runner = null;
      this.selected = null;
      this.activations = null;
      this.lastPrediction = null;
      const dot =
        model.kind === "keras" ? modelToDot(model.graph, { showShapes: true, dpi: 72 }) : onnxToDot(model.model);
      const dotted = performance.now();
      const { nodes: count, layoutMs } = await this.diagram.show(dot);
      this.openMs = performance.now() - started;
      const drawMs = started + this.openMs - dotted - layoutMs;
      this.openStages = { readMs: read - started, dotMs: dotted - read, layoutMs, drawMs };
      document.title = `${model.name} — kerasgraph`;
      byId("model-name").textContent =
        `${model.name} (${model.format}${model.kind === "keras" && model.kerasVersion ? `, Keras ${model.kerasVersion}` : ""}): ${count} nodes`;
      if (model.kind === "keras") showKerasSummary(model.graph, (id) => this.select(id));
      else showOnnxSummary(model.model, (id) => this.select(id));
      byId("inspector").replaceChildren(placeholder("Click a layer in the diagram or the summary."));
      this.prepareRun(model);
      setStatus(`Opened in ${this.openMs.toFixed(0)} ms`);
    } catch (e) {
      setStatus("");
      showError(`Could not open ${names}`, e);
    }
  }

  private prepareRun(model: LoadedModel): void {
    if (model.kind === "keras" && !model.hasWeights) {
      const why = model.missingFiles.length
        ? `Weights not loaded: drop ${model.missingFiles.join(", ")} together with ${model.name}.`
        : "This file is an architecture without weights; open a .keras or .h5 file to run it.";
      this.runPanel.show(null, why);
      this.activationNote = why;
      return;
    }
    this.activationNote = "Run the model to see this layer's output.";
    this.runner = new ModelRunner(model);
    this.runPanel.show(this.runner.inputSpecs());
  }

  /** Times `runs` inferences on the form's inputs after a warm-up (the benchmark's in-page latency). */
  async timePredictions(runs: number): Promise<{ sessionMs: number; ms: number[] }> {
    if (!this.runner) throw new Error("no runnable model is open");
    const inputs = await this.runPanel.inputs();
    const first = await this.runner.predict(inputs);
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) ms.push((await this.runner.predict(inputs)).ms);
    return { sessionMs: first.sessionMs ?? 0, ms };
  }

  select(id: string): void {
    if (!this.model) return;
    this.selected = id;
    this.diagram.select(id);
    selectSummaryRow(id);
    byId("tab-layer").click();
    if (this.model.kind === "keras") showLayer(this.model.graph, id, this.activations, this.activationNote);
    else showOnnxNode(this.model.model, id);
  }

  /** Runs the model on the form's inputs, then computes every layer's output for the inspector. */
  async run(): Promise<void> {
    if (!this.runner) return;
    clearError();
    const button = byId<HTMLButtonElement>("run");
    button.disabled = true;
    setStatus("Running…");
    try {
      const inputs: NdArray[] = await this.runPanel.inputs();
      this.lastPrediction = await this.runner.predict(inputs);
      showOutputs(this.lastPrediction);
      if (this.runner.canExtract) {
        setStatus("Computing every layer's output…");
        this.activations = await this.runner.activations(inputs);
      } else this.activationNote = "Layer outputs are shown for Keras models; this ONNX file shows its outputs only.";
      setStatus(`Ran in ${this.lastPrediction.ms.toFixed(1)} ms`);
      if (this.selected) this.select(this.selected);
    } catch (e) {
      setStatus("");
      showError("The run failed", e);
    } finally {
      button.disabled = false;
    }
  }
}

function placeholder(text: string): HTMLElement {
  const p = document.createElement("p");
  p.className = "placeholder";
  p.textContent = text;
  return p;
}
