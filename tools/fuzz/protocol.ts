import type { FuzzCase, FuzzFormat } from "./corpus.js";
import type { Outcome } from "./targets.js";

/** What the pool is asked to run: iteration `iteration` of a format under a seed, or a given case (a reproducer). */
export type JobSpec =
  { kind: "iteration"; format: FuzzFormat; seed: number; iteration: number } | { kind: "case"; case: FuzzCase };

/** A job as the pool sends it to a worker, numbered. */
export type Job = { id: number } & JobSpec;

export interface ThrownError {
  name: string;
  message: string;
  stack: string;
  reader: string;
}

/** A worker's answer: the readers' outcomes, or the error that is a finding; its memory either way. */
export type Reply =
  | { type: "ready"; rssMb: number }
  | { type: "reader"; id: number; reader: string }
  | { type: "done"; id: number; outcome: Outcome; rssMb: number; arrayBuffersMb: number }
  | { type: "error"; id: number; error: ThrownError; rssMb: number; arrayBuffersMb: number };
