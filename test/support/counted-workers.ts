/**
 * node:worker_threads with its Worker counted, for tests that check how many threads a piece of code
 * starts and ends:
 *
 *   vi.mock("node:worker_threads", async (importOriginal) =>
 *     (await import("../support/counted-workers.js")).countingWorkers(await importOriginal()),
 *   );
 */
import type * as WorkerThreads from "node:worker_threads";

/** Workers started and exited in this test file so far. */
export const workerCounts = { started: 0, exited: 0 };

export function countingWorkers(real: typeof WorkerThreads): typeof WorkerThreads {
  class CountedWorker extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args);
      workerCounts.started++;
      this.once("exit", () => workerCounts.exited++);
    }
  }
  return { ...real, Worker: CountedWorker };
}
