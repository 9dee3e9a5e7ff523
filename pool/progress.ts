import { PROGRESS_KEY } from "./_worker_host.ts";

/**
 * Sends `value` to the `onMessage` callback of the task that is running in this worker (see
 * `WorkerPool.run()`): progress, partial results, logs. Call it from a task module while the task
 * runs; it returns `false`, sending nothing, outside a `WorkerPool` worker or when no task runs.
 * The value is sent by structured clone. A task module that imports nothing can call the same
 * function as `globalThis[Symbol.for("@effective/concurrency/pool.progress")](value)`.
 *
 * Use this, not `self.postMessage()`: the pool owns the worker's channel and ignores anything a
 * task posts on it.
 *
 * @param value What to send.
 * @returns Whether it was sent.
 *
 * @example Outside a worker, nothing is sent
 * ```ts
 * import { reportProgress } from "@effective/concurrency/pool";
 * import assert from "node:assert/strict";
 *
 * // In a task module: export function work() { for (…) reportProgress(step); }
 * assert.equal(reportProgress({ step: 1 }), false);
 * ```
 */
export function reportProgress(value: unknown): boolean {
  const send = (globalThis as Record<symbol, unknown>)[Symbol.for(PROGRESS_KEY)];
  return typeof send === "function" ? send(value) === true : false;
}
