/**
 * Item 41 beyond one machine: {@linkcode RedisPool} has `WorkerPool`'s surface and runs the same
 * task module on worker processes on as many machines as you have, through Redis and BullMQ, as
 * Python programmers keep the `concurrent.futures` interface when they move to Dask. Start the
 * worker command (`main.ts`, or {@linkcode serve}) on each machine; each runs tasks on a local
 * `WorkerPool`, so it uses all its cores.
 *
 * ```sh
 * # every machine:
 * deno run -A jsr:@effective/concurrency-redis/main --redis redis://10.0.0.1:6379 --module ./tasks.ts
 * ```
 *
 * ```ts ignore
 * // the caller (anywhere): the one line that changes is the pool's
 * import { RedisPool } from "@effective/concurrency-redis";
 * await using pool = new RedisPool<typeof import("./tasks.ts")>("redis://10.0.0.1:6379");
 * for await (const g of pool.map("gcd", pairs)) console.log(g);
 * ```
 *
 * (The examples that need a running Redis are marked `ignore` here; the package's tests and
 * `examples/41_distributed.ts` run them against a real `redis-server`.)
 *
 * ## Delivery: at-least-once
 *
 * A task runs once in the normal case. If its worker process dies (SIGKILL, power, network cut
 * longer than `lockDuration`), BullMQ's stalled-job check puts it back in the queue and another
 * worker runs it again, within about `lockDuration + 2 × stalledInterval` (5 s + 2 × 2.5 s by
 * default here, against BullMQ's 30 s + 2 × 30 s). The caller still gets exactly one result. So a task may
 * run more than once, in part or in full: write task functions to be idempotent (or make their
 * side effects so). After `maxStalledCount` such retries (default 1) the task fails with
 * {@linkcode TaskLost}. A task that throws is not retried: its error is its result.
 *
 * ## What survives what
 *
 * - A task is accepted when Redis has it. With append-only persistence (`appendonly yes`,
 *   `appendfsync always` or `everysec`), a restart of Redis loses no accepted task: callers and
 *   workers reconnect by themselves and the results arrive. The caller's job ids are its own, so
 *   a submission resent after a reconnection is not run twice.
 * - If Redis comes back without a task (no persistence), the caller's promise rejects with
 *   {@linkcode TaskLost} instead of waiting for ever: after each reconnection, the pool looks up
 *   its unfinished tasks.
 * - A bad URL throws a `TypeError` at once; a Redis that cannot be reached at the start rejects
 *   every call with {@linkcode RedisUnavailable} after `connectTimeout` (10 s by default).
 *
 * ## Abort and timeout
 *
 * A task still waiting in Redis is removed and never runs. A task a worker has started cannot be
 * stopped from the caller (BullMQ has no cross-process cancellation): the caller stops waiting,
 * the promise rejects at once, and the task runs to its end on its worker, its result dropped.
 * `timeout` counts from the call, so it covers the wait for a free worker too. Every promise
 * settles.
 *
 * ## What crosses the wire
 *
 * Arguments and results are JSON values (BullMQ stores jobs as JSON): strings, finite numbers,
 * booleans, `null`, arrays and plain objects. Anything else (a `Date`, a `Map`, `undefined` in an
 * array, `NaN`) is refused with a `TypeError` that names the part, instead of arriving changed.
 * A task's error arrives with its `name`, `message`, `cause`, own JSON fields and the remote
 * `stack`; an unknown function name is a `TypeError` and a module that fails to load a
 * `ModuleLoadError`, both from the worker's `WorkerPool`.
 *
 * ## How it differs from `WorkerPool` and from its peers
 *
 * - `terminate()` returns a promise (closing connections is asynchronous); running remote tasks
 *   are not stopped, only abandoned.
 * - There is no `maxQueue`/`ready()`: Redis is the queue. Use `map()`'s `inFlight` to bound what
 *   one caller has outstanding.
 * - BullMQ's own test suite (`tests/stalled_jobs.test.ts`) checks that a stalled job is moved
 *   back to wait or, past `maxStalledCount`, to failed; ours checks the same through real killed
 *   processes, plus what a caller sees: one result, or `TaskLost`.
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
export * from "./errors.ts";
export * from "./redis_pool.ts";
export * from "./serve.ts";
