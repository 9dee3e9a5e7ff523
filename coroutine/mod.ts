// Copyright 2025 the @effective/concurrency authors. MIT license.
/**
 * Generator coroutines, and a structured scheduler that runs many generator tasks at once.
 *
 * Item 40 of *Effective Python*: a thread costs megabytes and a slow start, while a coroutine — a
 * generator driven by `send` — starts for about the cost of a function call and holds a couple of
 * hundred bytes while suspended, so a program can keep very many of them "running" at once.
 *
 * ## Which tool?
 *
 * - {@linkcode coroutine} — a **pure state machine fed values** one at a time (a running
 *   minimum, a parser, a protocol handler). Python's `send`/`throw`/`close` on a primed
 *   generator; no scheduler, no event loop, no allocation per step beyond the generator's own.
 * - Plain `async` functions — **I/O** where no task must be cancelled with its parent: an
 *   `await` is simpler and faster than any scheduler. Use `Promise.all` for fan-out.
 * - {@linkcode run} + {@linkcode spawn} — **many concurrent tasks whose lifetimes must nest**
 *   (structured concurrency, as Effection, trio or asyncio's `TaskGroup`): a task never outlives
 *   its parent, a failing child cancels its siblings and fails the parent, and cancelling (by
 *   {@linkcode Task.cancel}, `AbortSignal` or timeout) runs every `finally` block, children
 *   first, leaving no timer behind. Worth it when cleanup matters, or when you need the same
 *   interleaving every run.
 *   - {@linkcode sleep} pauses a task; {@linkcode call} awaits a promise (and can abort it);
 *   - {@linkcode all} and {@linkcode race} combine operations like `Promise.all`/`race`, but
 *     cancel the losers;
 *   - {@linkcode scoped} is a nursery: it catches its children's failure as an exception.
 *
 * ## Cancellation and timeouts inside tasks
 *
 * Waits inside a task (`sleep`, `call`, joining a task) take no `signal` or `timeout`: they are
 * cancelled with the task. Cancel a task with {@linkcode Task.cancel}, cancel a whole tree with
 * `run(fn, { signal, timeout })`, and time out one operation with a race against a sleep:
 * `yield* race([work(), sleep(1000)])`. Remember that a task's children are cancelled when its
 * body returns: join (`yield* task`) the ones whose result you need.
 *
 * @example A running minimum, then many sleeping tasks
 * ```ts
 * import { coroutine, run, sleep, spawn } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const minimize = coroutine(function* (): Generator<number | undefined, never, number> {
 *   let current = yield;
 *   while (true) current = Math.min(yield current, current);
 * });
 * const it = minimize();
 * assert.deepEqual([10, 4, 22, -1].map((n) => it.send(n)), [10, 4, 4, -1]);
 *
 * const finished = await run(function* () {
 *   const tasks = [];
 *   for (let i = 0; i < 1000; i++) {
 *     tasks.push(yield* spawn(function* () {
 *       yield* sleep(10);
 *       return 1;
 *     }));
 *   }
 *   let n = 0;
 *   for (const task of tasks) n += yield* task;
 *   return n;
 * });
 * assert.equal(finished, 1000);
 * ```
 *
 * @module
 */

export * from "./coroutine.ts";
export * from "./operation.ts";
export * from "./task.ts";
export * from "./run.ts";
export * from "./spawn.ts";
export * from "./sleep.ts";
export * from "./call.ts";
export * from "./all.ts";
export * from "./race.ts";
export * from "./scoped.ts";
