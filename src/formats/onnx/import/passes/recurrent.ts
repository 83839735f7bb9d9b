import { NodeReader } from "../attrs.js";
import { allEqual, numbers } from "../const.js";
import type { Dim, ImportGraph, Node } from "../graph.js";

const CELLS = new Set(["LSTM", "GRU", "RNN"]);

/** True when an initial state is absent or all zeros (a constant, or a ConstantOfShape of run-time size). */
function isZeroState(g: ImportGraph, name: string | undefined): boolean {
  if (!name) return true;
  const c = g.constant(name);
  if (c) return allEqual(c, 0);
  return g.value(name).fill === 0;
}

/**
 * ONNX's LSTM / GRU / RNN run time-major ([T, B, I], batch on axis 1 unless layout=1) and stack
 * directions in their outputs; Keras's recurrent layers are batch-major with one output per role.
 * Each such node becomes kg.Recurrent on the batch-major input — a Keras LSTM / GRU / SimpleRNN, or
 * Bidirectional over one — and the ONNX outputs are re-expressed from Keras's with transposes,
 * reshapes and concatenations, which the layout chains then cancel against what the exporter wrote
 * around the op (PyTorch's batch_first transposes, tf2onnx's squeezes).
 */
export function recognizeRecurrent(g: ImportGraph): number {
  let changed = 0;
  for (const n of [...g.nodes]) {
    if (!CELLS.has(n.op) || n.domain) continue;
    rewrite(g, n);
    changed++;
  }
  if (changed) g.sort();
  return changed;
}

function rewrite(g: ImportGraph, n: Node): void {
  const r = new NodeReader(g, n);
  const x = g.value(n.inputs[0]!);
  if (!x.shape || x.shape.length !== 3) r.unsupported("runs on an input of unknown rank");
  const batchMajor = r.int("layout", 0) === 1;
  const dirs = r.string("direction", "forward") === "bidirectional" ? 2 : 1;
  const reverse = r.string("direction", "forward") === "reverse";
  const hidden = r.int("hidden_size");
  if (r.has("clip")) r.unsupported("clips its cell state; Keras's recurrent layers do not");
  if (r.int("input_forget", 0) === 1) r.unsupported("couples its input and forget gates (input_forget=1)");
  if (n.inputs[4] && !g.isConstant(n.inputs[4])) r.unsupported("takes run-time sequence lengths; Keras masks instead");
  const lengths = n.inputs[4] ? numbers(g.constant(n.inputs[4])!) : [];
  const [t, b] = batchMajor ? [x.shape![1]!, x.shape![0]!] : [x.shape![0]!, x.shape![1]!];
  if (lengths.some((l) => l !== t)) r.unsupported("takes sequence lengths shorter than the sequence");
  if (n.op === "LSTM" && n.inputs[7] && !(g.constant(n.inputs[7]) && allEqual(g.constant(n.inputs[7])!, 0))) {
    r.unsupported("has peephole weights (P); Keras's LSTM has none");
  }
  const isLstm = n.op === "LSTM";
  const stateInputs = isLstm ? [n.inputs[5], n.inputs[6]] : [n.inputs[5]];
  const states = stateInputs.every((s) => isZeroState(g, s)) ? [] : stateInputs;
  if (states.length && (dirs === 2 || states.some((s) => !s))) {
    r.unsupported(
      "starts from given states in both directions (or only some of them); only one direction's full state maps to Keras's initial_state",
    );
  }
  const [yName, hName, cName] = [n.outputs[0], n.outputs[1], n.outputs[2]];
  const used = (o: string | undefined) => !!o && g.useCount(o) > 0;
  const wantY = used(yName);
  const wantStates = used(hName) || used(cName);
  if (wantY && reverse)
    r.unsupported("returns the sequence of a reverse run: Keras's go_backwards returns it in reversed time");
  const dtype = x.dtype;
  const add = (base: string, shape: Dim[]) => g.addValue(`${n.name}_${base}`, shape, dtype).name;

  // Batch-major input and initial states.
  let xb = n.inputs[0]!;
  if (!batchMajor) {
    xb = add("x_batch_major", [b, t, x.shape![2]!]);
    g.addNode({ op: "Transpose", inputs: [n.inputs[0]!], outputs: [xb], attrs: { perm: [1, 0, 2] } }, n);
  }
  const stateB = states.map((s, i) => {
    const out = add(`state${i}`, [b, hidden]);
    g.addNode({ op: "Squeeze", inputs: [s!], outputs: [out], attrs: { axes: [batchMajor ? 1 : 0] } }, n);
    return out;
  });

  // Keras's outputs: the sequence (or the last output), then each direction's states.
  const perDir = isLstm ? 2 : 1;
  const main = add(wantY ? "sequence" : "last", wantY ? [b, t, dirs * hidden] : [b, dirs * hidden]);
  const stateOuts = wantStates
    ? Array.from({ length: dirs * perDir }, (_, i) => add(`state_out${i}`, [b, hidden]))
    : [];
  g.addNode(
    {
      op: "Recurrent",
      domain: "kg",
      name: n.name,
      inputs: [xb, n.inputs[1]!, n.inputs[2]!, n.inputs[3] ?? "", ...stateB],
      outputs: [main, ...stateOuts],
      attrs: { ...n.attrs, cell: n.op, return_sequences: wantY ? 1 : 0, return_state: wantStates ? 1 : 0 },
    },
    n,
  );

  // The ONNX outputs from Keras's.
  if (wantY) {
    const split = add("sequence_split", [b, t, dirs, hidden]);
    g.addNode(
      { op: "Reshape", domain: "kg", inputs: [main], outputs: [split], attrs: { shape: [-1, 0, dirs, hidden] } },
      n,
    );
    g.addNode(
      {
        op: "Transpose",
        inputs: [split],
        outputs: [yName!],
        attrs: { perm: batchMajor ? [0, 1, 2, 3] : [1, 2, 0, 3] },
      },
      n,
    );
    g.value(yName!).shape = batchMajor ? [b, t, dirs, hidden] : [t, dirs, b, hidden];
  }
  const stack = (role: number, out: string | undefined) => {
    if (!used(out)) return;
    const parts = Array.from({ length: dirs }, (_, d) => {
      const s = stateOuts[d * perDir + role]!;
      const u = add(`state_stack${role}_${d}`, batchMajor ? [b, 1, hidden] : [1, b, hidden]);
      g.addNode({ op: "Unsqueeze", inputs: [s], outputs: [u], attrs: { axes: [batchMajor ? 1 : 0] } }, n);
      return u;
    });
    if (parts.length === 1) g.replaceUses(out!, parts[0]!);
    else {
      g.addNode({ op: "Concat", inputs: parts, outputs: [out!], attrs: { axis: batchMajor ? 1 : 0 } }, n);
      g.value(out!).shape = batchMajor ? [b, dirs, hidden] : [dirs, b, hidden];
    }
  };
  stack(0, hName);
  if (isLstm) stack(1, cName);
  g.removeNode(n);
}
