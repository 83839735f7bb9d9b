import { BATCH, type Dim } from "./graph.js";

/**
 * Chains of data-movement ops (Transpose, Reshape, Flatten, Squeeze, Unsqueeze) composed exactly: the
 * input is cut into "atoms" (pieces of its dimensions), the chain only regroups and reorders atoms, so
 * the whole chain is Reshape(input → atoms) · Transpose(atoms) · Reshape(atoms → output). Each step is
 * left out when it does nothing. Sizes of 1 carry no data and are not atoms.
 */

interface Atom {
  size: Dim;
  /** The input dimension the atom is part of. */
  origin: number;
}

/** One canonical step: a reshape to a shape (batch first), or a transpose by a full permutation. */
export type LayoutStep = { kind: "reshape"; shape: Dim[] } | { kind: "transpose"; perm: number[] };

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export class LayoutChain {
  private atoms: Atom[] = [];
  /** Atom ids in the input's memory order. */
  private inputOrder: number[] = [];
  /** Atom ids in the current tensor's memory order. */
  private order: number[] = [];
  /** Atoms per current dimension. */
  private groups: number[] = [];
  failed = false;

  constructor(readonly input: readonly Dim[]) {
    input.forEach((d, i) => {
      if (d === 1) {
        this.groups.push(0);
        return;
      }
      this.atoms.push({ size: d, origin: i });
      this.inputOrder.push(this.atoms.length - 1);
      this.order.push(this.atoms.length - 1);
      this.groups.push(1);
    });
  }

  transpose(perm: readonly number[]): void {
    if (this.failed) return;
    const slices: number[][] = [];
    let at = 0;
    for (const n of this.groups) {
      slices.push(this.order.slice(at, at + n));
      at += n;
    }
    this.order = perm.flatMap((p) => slices[p]!);
    this.groups = perm.map((p) => this.groups[p]!);
  }

  /** Regroups the current atoms (in order) into `shape`, splitting atoms where a dimension needs it. */
  reshape(shape: readonly Dim[]): void {
    if (this.failed) return;
    const groups: number[] = [];
    let at = 0;
    for (const want of shape) {
      let need: Dim = want;
      let count = 0;
      // An empty (0) or broken size has no atoms to regroup; splitting by it would never end.
      if (typeof need === "number" && !(Number.isSafeInteger(need) && need >= 1)) return this.fail();
      while (need !== 1) {
        const id = this.order[at];
        if (id === undefined) return this.fail();
        const size = this.atoms[id]!.size;
        if (typeof size === "number" && !(Number.isSafeInteger(size) && size >= 1)) return this.fail();
        if (typeof size === "string" || typeof need === "string") {
          if (size !== need) return this.fail();
          need = 1;
        } else if (need % size === 0) need /= size;
        else {
          const g = size % need === 0 ? need : gcd(size, need);
          if (g === 1) return this.fail();
          this.split(id, g);
          need /= g;
        }
        at++;
        count++;
      }
      groups.push(count);
    }
    if (at !== this.order.length) return this.fail();
    this.groups = groups;
  }

  /** Splits atom `id` (size s) into an outer atom of size `outer` and an inner one of size s / outer. */
  private split(id: number, outer: number): void {
    const a = this.atoms[id]!;
    const inner = (a.size as number) / outer;
    this.atoms.push({ size: inner, origin: a.origin });
    const innerId = this.atoms.length - 1;
    a.size = outer;
    for (const list of [this.order, this.inputOrder]) list.splice(list.indexOf(id) + 1, 0, innerId);
  }

  private fail(): void {
    this.failed = true;
  }

  /**
   * The canonical steps from the input to `output` (the last op's output shape), or null when the
   * chain is not a regrouping of whole atoms or moves the batch axis (Keras cannot express either).
   */
  steps(output: readonly Dim[]): LayoutStep[] | null {
    if (this.failed) return null;
    const batchAtom = this.inputOrder[0];
    if (this.input[0] !== BATCH || output[0] !== BATCH) return null;
    if (batchAtom === undefined || this.atoms[batchAtom]!.size !== BATCH || this.order[0] !== batchAtom) return null;
    if (this.groups[0] !== 1) return null;
    const position = new Map(this.inputOrder.map((id, i) => [id, i]));
    const perm = this.order.map((id) => position.get(id)!);
    const identity = perm.every((p, i) => p === i);
    const atomShape = this.inputOrder.map((id) => this.atoms[id]!.size);
    const same = (a: readonly Dim[], b: readonly Dim[]) => a.length === b.length && a.every((d, i) => d === b[i]);
    if (identity) return same(this.input, output) ? [] : [{ kind: "reshape", shape: [...output] }];
    const steps: LayoutStep[] = [];
    if (!same(this.input, atomShape)) steps.push({ kind: "reshape", shape: atomShape });
    steps.push({ kind: "transpose", perm });
    const permuted = perm.map((p) => atomShape[p]!);
    if (!same(permuted, output)) steps.push({ kind: "reshape", shape: [...output] });
    return steps;
  }
}
