/**
 * The one check every layer kind goes through (like Keras's `run_layer_test`): for every layer call
 * recorded in a Keras 3 `model.json` fixture, evaluate our kind on the input specs Keras recorded
 * (`__keras_tensor__` shapes in `inbound_nodes`) and compare with what Keras recorded for its outputs
 * (the shapes later calls received, `layers.json` output shapes) and its weights (`layers.json` paths
 * and shapes). Needs no model reader: each call is checked on its own.
 */
import { readFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { evaluateLayer } from "../../src/ir/build.js";
import type { ArgTree, TensorSpec } from "../../src/ir/graph.js";
import { Layer } from "../../src/ir/graph.js";
import { mapArgTree } from "../../src/ir/graph.js";
import "../../src/layers/index.js";
import { defaultRegistry } from "../../src/layers/registry.js";

export const FIXTURES = join(import.meta.dirname, "../../fixtures/keras3");

type Json = Record<string, unknown>;

export interface RecordedCall {
  /** fixture folder, e.g. "zoo/conv_family" */
  fixture: string;
  className: string;
  layerName: string;
  node: number;
  layerEntry: Json;
  args: ArgTree<TensorSpec>[];
  kwargs: Record<string, ArgTree<TensorSpec>>;
  /** Shapes Keras recorded for this call's outputs, by tensor index (from consumers or layers.json). */
  expectedOutputs: Map<number, TensorSpec>;
  /** Keras's weights for the layer (first call only), from layers.json, paths relative to the layer. */
  expectedWeights?: { name: string; shape: number[]; trainable: boolean }[];
  expectedParams?: number;
}

const isKerasTensor = (v: unknown): v is Json =>
  !!v && typeof v === "object" && (v as Json).class_name === "__keras_tensor__";

function toSpec(v: Json): TensorSpec {
  const c = v.config as Json;
  return { shape: c.shape as (number | null)[], dtype: c.dtype as string };
}

/** Every case folder (relative to fixtures/keras3) that has a model.json. */
export function fixtureCases(sets = ["seed", "zoo", "layers", "apps_config"]): string[] {
  const out: string[] = [];
  for (const set of sets) {
    const dir = join(FIXTURES, set);
    if (!existsSync(dir)) continue;
    for (const c of readdirSync(dir).sort()) if (existsSync(join(dir, c, "model.json"))) out.push(`${set}/${c}`);
  }
  return out;
}

/** All calls recorded in one fixture's model.json (nested models included, their own calls skipped). */
export function recordedCalls(fixture: string): RecordedCall[] {
  const dir = join(FIXTURES, fixture);
  const model = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as Json;
  const layersJson = existsSync(join(dir, "layers.json"))
    ? (JSON.parse(readFileSync(join(dir, "layers.json"), "utf8")) as Json[])
    : [];
  const calls: RecordedCall[] = [];
  const walkModel = (cfg: Json, top: boolean) => {
    const layers = (cfg.layers ?? []) as Json[];
    const consumers = new Map<string, TensorSpec>();
    for (const l of layers) {
      for (const node of (l.inbound_nodes ?? []) as Json[]) {
        mapArgTree(
          [node.args, node.kwargs],
          (t: Json) => {
            const [name, n, i] = (t.config as Json).keras_history as [string, number, number];
            consumers.set(`${name}/${n}/${i}`, toSpec(t));
          },
          isKerasTensor,
        );
      }
    }
    for (const l of layers) {
      const className = l.class_name as string;
      const layerName = l.name as string;
      if (className === "Functional" || className === "Sequential") {
        walkModel(l.config as Json, false);
        continue;
      }
      if (className === "InputLayer") continue;
      const nodes = (l.inbound_nodes ?? []) as Json[];
      nodes.forEach((node, n) => {
        const args = mapArgTree(node.args, toSpec, isKerasTensor) as ArgTree<TensorSpec>[];
        const kwargs = mapArgTree(node.kwargs, toSpec, isKerasTensor) as Record<string, ArgTree<TensorSpec>>;
        const expectedOutputs = new Map<number, TensorSpec>();
        for (let i = 0; i < 8; i++) {
          const s = consumers.get(`${layerName}/${n}/${i}`);
          if (s) expectedOutputs.set(i, s);
        }
        const row = top && nodes.length === 1 ? layersJson.find((r) => r.name === layerName) : undefined;
        if (row && Array.isArray(row.output_shapes)) {
          (row.output_shapes as (number | null)[][]).forEach((shape, i) => {
            if (!expectedOutputs.has(i)) expectedOutputs.set(i, { shape, dtype: "" });
          });
        }
        calls.push({
          fixture,
          className,
          layerName,
          node: n,
          layerEntry: l,
          args,
          kwargs,
          expectedOutputs,
          expectedWeights:
            row && n === 0
              ? (row.weights as Json[]).map((w) => ({
                  name: (w.path as string).slice(layerName.length + 1),
                  shape: w.shape as number[],
                  trainable: w.trainable as boolean,
                }))
              : undefined,
          expectedParams: row && n === 0 ? (row.params as number) : undefined,
        });
      });
    }
  };
  walkModel(model.config as Json, true);
  return calls;
}

/** Evaluates our kind on a recorded call. */
export function evaluateRecorded(call: RecordedCall) {
  const entry = call.layerEntry;
  const layer = new Layer(call.className, call.layerName, entry.config as Json, {
    registeredName: (entry.registered_name as string | null) ?? null,
    // Keras 3 operations (`x + 3` -> keras.src.ops.numpy Add) resolve by module, apart from the layers.
    ...(typeof entry.module === "string" ? { module: entry.module } : {}),
  });
  return evaluateLayer(layer, call.args, call.kwargs, defaultRegistry.resolver());
}
