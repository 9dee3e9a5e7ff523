/**
 * Pools of tasks: {@linkcode AsyncPool} for waiting (I/O) and {@linkcode WorkerPool} for computing
 * (CPU), after items 37 and 41 of *Effective Python*: threads overlap blocking I/O but do not speed
 * up CPU work; a process pool (`concurrent.futures`) runs it on every core.
 *
 * ## Which pool?
 *
 * - {@linkcode AsyncPool}: the `ThreadPoolExecutor` analogue. It caps how many async functions
 *   run at once on the current thread: fetches, file and child-process I/O, timers. CPU-bound
 *   functions gain nothing (they still run one at a time), exactly as in Python.
 * - {@linkcode WorkerPool}: the `ProcessPoolExecutor` analogue. It runs the exported functions of a
 *   task module on `size` Web Workers, one task per worker at a time, so CPU-bound work uses every
 *   core. The task module is a plain module of exported functions; no registration code.
 *
 * Both start tasks in FIFO order, take an `AbortSignal` per task, have an ordered `map()`, a
 * `join()` that waits until idle, `close()` (finish the accepted tasks, refuse new ones),
 * `await using`, and counts (`running`, `queued`).
 *
 * ## What crosses the worker boundary
 *
 * Arguments and results are copied by structured clone: numbers, strings, plain objects, arrays,
 * `Map`, `Set`, `Date`, typed arrays, errors… but not functions, class instances' prototypes or
 * symbols. To move large buffers without copying, pass `{ transfer: [buffer] }` to `run()`, and
 * have the task return `transfer(value, [buffer])` (or build the marker by hand with
 * `Symbol.for("@effective/concurrency/pool.transfer")`, importing nothing). An uncloneable
 * argument or result rejects the task with a `DataCloneError` naming the function. Errors thrown
 * by a task arrive with their `name`, `message`, `cause`, own fields and worker-side `stack`.
 *
 * ## What abort, timeout and crashes do
 *
 * - A queued task that is aborted is removed and never starts.
 * - A running `WorkerPool` task that is aborted or times out (`timeout` counts from its start) is
 *   stopped by terminating its worker; the pool starts a fresh one. Caveat: Deno 2.9 does not stop
 *   a worker stuck in a synchronous loop when it is terminated (seen with Deno 2.9.6); the
 *   task's promise still rejects at once and the pool goes on, but the old thread runs on until its
 *   JavaScript returns to the event loop. Browsers stop it at once.
 * - A running `AsyncPool` task that is aborted rejects at once; its function sees the abort on the
 *   `signal` it was given and keeps its place until it settles (a thread cannot be killed).
 * - A worker that dies (an uncaught error or unhandled rejection, `self.close()`) fails only the
 *   task it was running, with {@linkcode WorkerCrashed}; queued tasks run on a new worker. Running
 *   out of memory in a Deno worker aborts the whole process (Deno has no per-worker heap limit).
 * - `terminate()` rejects every queued and running task with {@linkcode PoolClosed}.
 *
 * Every promise a pool hands out settles, whatever happens.
 *
 * ## FAQ
 *
 * - *How do I apply back-pressure?* Iterate `map()`: it reads the input only as results are
 *   consumed. With `run()`, give `WorkerPool` a `maxQueue`: a full queue makes `run()` reject with
 *   {@linkcode PoolFull} at once, and `await pool.ready()` waits until there is room.
 * - *How do I cancel a queued task?* Pass a `signal` and abort it.
 * - *How do I locate the task module?* `new URL("./tasks.ts", import.meta.url)`; the pool needs an
 *   absolute URL. The worker host is built in (a `blob:` URL), so the pool also works bundled.
 *
 * @example CPU work on every core, I/O on a limited async pool
 * ```ts
 * import { AsyncPool, WorkerPool } from "@effective/concurrency/pool";
 * import assert from "node:assert/strict";
 *
 * // tasks.ts would be: export function gcd([a, b]) { … }
 * const tasks = URL.createObjectURL(new Blob([
 *   "export function gcd([a, b]) { for (let i = Math.min(a, b); i > 0; i--) if (a % i === 0 && b % i === 0) return i; }",
 * ], { type: "text/javascript" }));
 * {
 *   await using workers = new WorkerPool(tasks, { size: 2 });
 *   const results: number[] = [];
 *   for await (const g of workers.map("gcd", [[12, 18], [35, 49]])) results.push(g);
 *   assert.deepEqual(results, [6, 7]);
 *
 *   await using io = new AsyncPool({ concurrency: 4 });
 *   const waited = await Promise.all(
 *     [3, 1, 2].map((ms) => io.run(() => new Promise((r) => setTimeout(() => r(ms), ms)))),
 *   );
 *   assert.deepEqual(waited, [3, 1, 2]);
 * }
 * URL.revokeObjectURL(tasks);
 * ```
 *
 * @module
 */
export * from "./async_pool.ts";
export * from "./errors.ts";
export * from "./progress.ts";
export * from "./transfer.ts";
export * from "./worker_pool.ts";
