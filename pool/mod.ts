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
 *   task module on up to `size` Web Workers (started on demand, ended after `idleTimeout` idle),
 *   one task per worker at a time, so CPU-bound work uses every core. The task module is a plain
 *   module of exported functions; no registration code.
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
 * - `AsyncPool.terminate()` rejects the queued tasks with {@linkcode PoolClosed} and aborts the
 *   `signal` of the running ones (reason: a `PoolClosed`); a running task's promise settles as its
 *   function does, since an async function cannot be stopped from outside.
 * - A worker that dies (an uncaught error or unhandled rejection, `self.close()`, `Deno.exit(n)` or
 *   `process.exit(n)`) fails only the task it was running, with {@linkcode WorkerCrashed} (whose
 *   `exitCode` is `n`); queued tasks run on a new worker. Running out of memory in a Deno worker
 *   aborts the whole process (Deno has no per-worker heap limit).
 * - A task module that does not finish loading (a top-level `await` that never settles) fails its
 *   tasks with {@linkcode ModuleLoadError} after `loadTimeout` (30 s by default), so `join()` and
 *   `close()` always settle; `close({ cancelPending: true })` ends such a worker at once.
 * - `WorkerPool.terminate()` rejects every queued and running task with {@linkcode PoolClosed}.
 *
 * Every promise a pool hands out settles, whatever happens.
 * Both pools report a fire-and-forget `run()` whose task throws as an unhandled rejection, but
 * not one rejected as its caller asked (its own abort or `timeout`, `close({ cancelPending: true })`,
 * `terminate()`).
 *
 * ## AsyncPool and the ordered map(), beside their peers
 *
 * - **One start path.** `AsyncPool.run()` takes a place at once if one is free (so `running`
 *   counts it at once, like p-queue's `pending`; p-limit's `activeCount` lags a microtask), but
 *   always calls `fn` asynchronously, in a microtask, like p-limit, and in the async context of
 *   the `run()` call (`AsyncLocalStorage`, `AsyncContext`), whichever task freed its place.
 * - **Errors.** A task's error always rejects its promise: a fire-and-forget `run()` whose task
 *   throws is an unhandled rejection, never silently dropped. Rejections the caller asked for (its
 *   own abort or `timeout`, `close({ cancelPending: true })`, `terminate()`) are not reported
 *   as unhandled.
 * - **Cancelling.** `close({ cancelPending: true })` is Python's `shutdown(cancel_futures=True)`:
 *   queued tasks reject with {@linkcode PoolClosed}, running ones finish. p-limit's `clearQueue()`
 *   and p-queue's `clear()` leave the dropped promises pending forever; ours settle. An aborted
 *   queued task leaves the queue at once, keeping nothing it closed over (Python's
 *   "no stale references").
 * - **Not offered**, on purpose: changing `concurrency` after construction (p-limit, p-queue; like
 *   Python's `max_workers` it is fixed), extra arguments to `fn` (p-limit; close over them),
 *   p-queue's priorities, `pause()`, interval rate limits, events and per-task `timeout` (pass
 *   `signal: AbortSignal.timeout(ms)`), `onEmpty()`/`onSizeLessThan()` (`join()` is `onIdle()`).
 * - **Ordered `map()`** (both pools) is Python's `Executor.map`: results in input order, each
 *   yielded as soon as it is next (the input is read beside the waiting, so a stalled input
 *   holds back nothing that is ready), at most `inFlight` ahead. The first failing task's error is
 *   thrown after the results before it, and the rest are dropped; `@std/async`'s `pooledMap`
 *   instead finishes the running tasks and throws an `AggregateError` of every error, and wraps the
 *   input's own error in one; ours throws the input's error as it is, after the results of the
 *   tasks submitted before it. An abort of the map's `signal` rejects the pending `next()` at once,
 *   as `pooledMap`'s does, even while the input is stalled. Python's `map(timeout=)` is
 *   `signal: AbortSignal.timeout(ms)`. On every early exit the input's `return()` is called, and
 *   an error it throws never replaces the error being thrown. Python's `map()` submits every item
 *   at once; ours reads the input lazily (back-pressure), so after `close()` the tasks already
 *   submitted finish and the next item fails with {@linkcode PoolClosed}.
 *
 * ## WorkerPool: progress, set-up, recycling, tiny tasks
 *
 * - *Progress*: a task calls {@linkcode reportProgress}`(value)`; `run(name, args, { onMessage })`
 *   receives each value, in order, before the result. The pool owns the worker's channel, so a
 *   task's own `self.postMessage()` reaches nobody and can never be taken for a result.
 * - *Set-up per worker*: `initializer` names an export each worker calls once with `initArgs`
 *   before its first task (Python's `initializer`/`initargs`, piscina's `workerData`).
 * - *Recycling*: `maxTasksPerWorker` replaces a worker after that many tasks
 *   (`max_tasks_per_child`).
 * - *Tiny tasks*: `map(name, items, { chunksize })` sends `chunksize` items per message; queued
 *   `run()`s without `signal`, `timeout` or `transfer` are batched automatically while tasks take
 *   well under a millisecond. `bench/pool_bench.ts` measures 10,000 tiny tasks in flight.
 * - *A pool left open*: idle workers end after `idleTimeout` (2 s by default), so a forgotten pool
 *   does not keep the program alive; still close it (`await using`, `close()`), which also ends
 *   workers at once. `close({ cancelPending: true })` rejects the tasks not started yet with
 *   {@linkcode PoolClosed} and lets the running ones finish (`shutdown(cancel_futures=True)`).
 *
 * ## WorkerPool and its peers: where we differ, and why
 *
 * - A crashed worker fails only its own task; the pool goes on with a new worker. Python marks the
 *   whole `ProcessPoolExecutor` broken (`BrokenProcessPool` for every pending future): a worker is
 *   a thread here, and a crash (an uncaught error, an exit) does not corrupt its siblings.
 * - An uncaught error in a worker between tasks ends that worker quietly (no task to fail); piscina
 *   emits an `error` event. A pool has no events: the error is lost with the worker's state.
 * - Tasks are exported functions of a module, named as strings, not functions sent as source
 *   (workerpool's `exec(fn)`) or a single default export (piscina, tinypool). A typed module
 *   (`WorkerPool<typeof import("./tasks.ts")>`) checks names, arguments and results, which stands
 *   in for workerpool's `proxy()`.
 * - `size` is a maximum (default: `navigator.hardwareConcurrency`, from 1 to 1024; workerpool
 *   uses cores − 1); there is no `minWorkers`: keep workers with `idleTimeout: Infinity`.
 * - No per-worker `env`, `argv`, `execArgv` or `resourceLimits` (tinypool, piscina): Web Workers
 *   have none. `close({ timeout })` stops only the wait, where piscina's `closeTimeout` then
 *   destroys the pool: call `terminate()` when yours expires.
 * - A task's `timeout` counts from when it is sent to a worker, as workerpool's does (to a new
 *   worker: from when it has loaded the module; `loadTimeout` bounds loading); a batch is never
 *   formed from tasks with a `signal` or `timeout`, so each still stops alone.
 * - The caller's frames are appended to a task error's stack from the code awaiting `run()`
 *   (async stack traces), where Python chains a `_RemoteTraceback` as `__cause__`; a thrown
 *   non-error that cannot be cloned arrives as a plain object of its cloneable fields.
 *
 * ## Runtimes
 *
 * `WorkerPool` runs on Deno, Bun (1.4, on Bun's Web Workers) and browsers. On Node.js, which has
 * no global `Worker`, `new WorkerPool()` throws a `NotSupportedError` `DOMException` naming the
 * runtime and what it lacks (`pool/testdata/runtime_smoke.mjs` checks both from the bundle).
 * `AsyncPool` runs everywhere, Node 20 included. `deno task test:runtimes` runs the pool's tests on
 * Bun and Node. On Bun, three things differ, all the runtime's: its workers have no `self.close()`
 * (calling it is an ordinary task error, not a crash), `Deno.exit()` does not exist there (use
 * `process.exit()`, which the pool reports as an exit), and a task error's stack lacks the caller's
 * frames (JavaScriptCore has no async stack traces).
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
 * ## Arguments and errors
 *
 * As in every topic of the package (the repository's `STYLE.md`): a wrong type is a `TypeError`
 * and a value out of range a `RangeError`, with one message per mistake,
 * `<call>: '<name>' must be <expected>, got <value>`; each option is read once; a method that
 * returns a promise rejects, never throws; every wait takes `{ signal, timeout }` (`timeout` in ms
 * from 0 to 2147483647, or `Infinity`), an abort rejects with `signal.reason` and a timeout with a
 * `TimeoutError` `DOMException`.
 *
 * @module
 */
export * from "./async_pool.ts";
export * from "./errors.ts";
export * from "./progress.ts";
export * from "./transfer.ts";
export * from "./worker_pool.ts";
