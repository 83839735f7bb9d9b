import { KerasGraphError, ShapeError } from "../ir/errors.js";
import type { ArgTree, Tensor } from "../ir/graph.js";
import { mapArgTree } from "../ir/graph.js";
import { KerasTensor, describeTensors } from "./keras-tensor.js";

/**
 * Classes whose `call` takes `mask`: Keras's `__call__` passes the inputs' masks (None where the
 * inputs carry none, in the inputs' structure) and records them in the node's kwargs. Attention layers
 * take a mask too but Keras records none for them (checked against the fixtures).
 */
const CALL_TAKES_MASK = new Set([
  "BatchNormalization",
  "Bidirectional",
  "ConvLSTM1D",
  "ConvLSTM2D",
  "ConvLSTM3D",
  "Functional",
  "Sequential",
  "GRU",
  "LSTM",
  "SimpleRNN",
  "RNN",
  "GlobalAveragePooling1D",
  "Softmax",
  "TimeDistributed",
  "Lambda",
  "Pipeline",
]);

/**
 * A call's arguments as the IR records them: KerasTensors replaced by their IR tensors (anything else
 * that is not plain data refused), and Keras's recorded `mask` kwarg for classes whose call takes one.
 */
export function symbolicArgs(
  className: string,
  inputs: unknown,
  kwargs: Record<string, unknown>,
  where: string,
): { args: ArgTree<Tensor>[]; kwargs: Record<string, ArgTree<Tensor>> } {
  const args = [toIrTree(inputs, where)] as ArgTree<Tensor>[];
  const irKwargs = toIrTree(kwargs, where) as Record<string, ArgTree<Tensor>>;
  let found = false;
  mapArgTree(args, () => (found = true));
  if (!found)
    throw new ShapeError(
      `${where} was called without a KerasTensor in its inputs. Received: ${JSON.stringify(args[0])}`,
    );
  if (CALL_TAKES_MASK.has(className) && !("mask" in irKwargs)) {
    irKwargs.mask = mapArgTree(args[0], () => null) as ArgTree<Tensor>;
  }
  return { args, kwargs: irKwargs };
}

/** The KerasTensors of a call's outputs: one tensor, or a list. */
export function unwrap(tensors: Tensor[]): KerasTensor | KerasTensor[] {
  const out = tensors.map((t) => KerasTensor.of(t));
  return out.length === 1 ? out[0]! : out;
}

/** KerasTensors → IR tensors in a call's argument tree; anything else that is not plain data is refused. */
function toIrTree(tree: unknown, where: string): unknown {
  if (tree instanceof KerasTensor) return tree.tensor;
  if (Array.isArray(tree)) return tree.map((v) => toIrTree(v, where));
  if (tree === null || ["string", "number", "boolean"].includes(typeof tree)) return tree;
  if (typeof tree === "object" && Object.getPrototypeOf(tree) === Object.prototype) {
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, toIrTree(v, where)]));
  }
  const got = (tree as object)?.constructor?.name ?? typeof tree;
  throw new ShapeError(
    `${where} was called on a ${got}, not on a symbolic tensor. Call layers on Input() tensors to build a model, ` +
      `then compute values with model.predict().`,
  );
}

/** Adds the shapes and dtypes a failed call received, as Keras's messages do. */
export function withInputs(e: unknown, args: unknown, kwargs: unknown): unknown {
  if (!(e instanceof KerasGraphError) || /Full (input )?shape received/.test(e.message)) return e;
  const tensors: Tensor[] = [];
  mapArgTree([args, kwargs], (t: Tensor) => tensors.push(t));
  e.message = `${e.message.replace(/\.?$/, ".")} Full input shape received: ${describeTensors(tensors)}`;
  return e;
}
