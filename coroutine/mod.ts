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
 *     cancel the losers; {@linkcode withTimeout} fails an operation that takes too long;
 *   - {@linkcode taskGroup} waits for the tasks spawned in it (asyncio's `TaskGroup`, trio's
 *     nursery); {@linkcode scoped} cancels them when its body returns (Effection's `scoped`);
 *     both throw their tasks' failure into the caller, where it can be caught;
 *   - {@linkcode ensure} and {@linkcode resource} tie cleanup, and values that need it, to the
 *     current task's end; {@linkcode shield} lets a piece of work finish despite a cancel;
 *   - interop: `await task` from `async` code, {@linkcode useAbortSignal} for promise APIs, and
 *     {@linkcode each} to consume an async iterable inside a task.
 *
 * ## Cancellation
 *
 * Waits inside a task (`sleep`, `call`, joining a task) take no `signal` or `timeout`: they are
 * cancelled with the task. Cancel a task with {@linkcode Task.cancel}, a whole tree with
 * `run(fn, { signal, timeout })`, and one operation with {@linkcode withTimeout}. A task's
 * children are cancelled when its body returns: join (`yield* task`) the ones whose result you
 * need, or spawn them in a {@linkcode taskGroup}.
 *
 * What cancelling a task does, in order:
 *
 * 1. Its children (and {@linkcode ensure}/{@linkcode resource} helpers) are cancelled **newest
 *    first, one after another**: each one's cleanup has finished before the next one starts.
 * 2. Then a cancellation error is **thrown** into its body at the `yield*` it is paused at: the
 *    cancellation's reason (`signal.reason`, a `TimeoutError`) or a `DOMException` named
 *    `"AbortError"`. `finally` blocks run and **may pause** (`yield*` a sleep, a call, a join);
 *    when a `finally` ends, the error keeps propagating, so no code after the `yield*` runs
 *    however deeply the operation was nested. A task whose body ends by rethrowing its
 *    cancellation error counts as cancelled, not failed.
 * 3. Cleanup that the cancellation started **runs to its end**: cancelling a task that is
 *    already cancelling does nothing, and a timeout or abort of an outer scope does not interrupt
 *    it, so a `finally` block, an {@linkcode ensure} callback or a {@linkcode resource}'s
 *    teardown may pause freely. A `finally` block entered *normally* (the `try` finished before
 *    the cancellation came) is ordinary code, though: a cancellation arriving while it pauses is
 *    thrown at that pause and skips the rest of the block. To make such cleanup finish, wrap it
 *    in {@linkcode shield} (trio's shielded cancel scope), or register it with
 *    {@linkcode ensure} in the first place.
 * 4. If the task is cancelled while an operation is starting (a `call`ed function aborts a
 *    signal, a spawned function cancels its parent), the operation is abandoned as soon as it
 *    returns and the task proceeds with step 1; children born during the cancellation are
 *    cancelled too.
 *
 * Errors are never dropped. The first error fails the task; errors after it (a sibling failing
 * while being torn down, a `finally` throwing) are kept: a task with several errors rejects with
 * an `AggregateError` of all of them, in order, with the first as its `cause` (Python's
 * `ExceptionGroup` is the model). An error thrown while tearing down rejects `run()`'s promise;
 * it never escapes as an uncaught exception, even from an `abort` listener on a signal the
 * scheduler aborts (`call`'s, {@linkcode useAbortSignal}'s), on every runtime. (A listener on a
 * signal *derived* from those with `AbortSignal.any` is caught in Deno and browsers only: Node
 * and Bun report it on `process`.) Halting and settling are loops, not recursion:
 * 100,000 nested tasks cancel on a small stack, and every cancellation (of a joiner, of a race
 * member) is O(1).
 *
 * ## Where ours differs from its peers, and why
 *
 * - **Cancellation is thrown, not returned (Effection).** Effection unwinds a halted task with
 *   `iterator.return()`, so `catch` blocks never see a halt; but JavaScript turns that unwind
 *   into a normal return as soon as a `finally` in a delegated operation pauses, and the caller
 *   carries on past the halt (Effection issue #1190; its tests `issue-1190/` and "cancellation
 *   principle 1"). Effection's answer is "use `ensure()`, never pause in `finally`"; ours is to
 *   throw, as asyncio (`CancelledError`) and trio (`Cancelled`) do, so every pausing `finally`
 *   is safe. The price is theirs too: a `catch` around a `yield*` sees the cancellation error.
 *   Rethrow what you do not handle (`if (error.name === "AbortError") throw error`); a `catch`
 *   that swallows it lets the task's code run on until it ends (as in asyncio), though the task
 *   still settles as cancelled.
 * - **Cleanup a cancellation started is never cut short (trio, Effection).** trio re-raises
 *   `Cancelled` at every checkpoint inside a cancelled scope, including in the `finally` blocks
 *   the cancellation itself entered, unless shielded; here those always run to their end, so
 *   there is no shield to forget there. A cleanup that never ends therefore blocks its task
 *   forever: bound it with {@linkcode withTimeout}. Effection's principle 2 asks the same of a
 *   `finally` entered normally and cancelled mid-way; no runtime can see that a paused generator
 *   is inside a `finally`, so that case needs {@linkcode shield} here (Effection's own test for
 *   it, issue #1154, is open). A pending cancellation is thrown as the shield returns, where
 *   trio raises it at the next checkpoint: put all of the cleanup inside the shield.
 * - **Resources start in run order (Effection starts them synchronously).** A resource's body
 *   runs when the run queue reaches it, after tasks spawned earlier: Effection's "does not
 *   relinquish control when a resource initialized synchronously" does not hold.
 * - **A `return`, `break` or `continue` in a `finally` swallows the cancellation**, as it
 *   swallows any exception in JavaScript (and `CancelledError` in Python): the operation then
 *   returns normally to its caller, whose code runs on. The task still settles as cancelled.
 *   Do not leave a `finally` block early.
 * - **Time limits are checked (asyncio).** `asyncio.timeout()` takes a deadline in the past as
 *   "expire now"; {@linkcode withTimeout} and `run`'s `timeout` take 0 to 2147483647 ms (or
 *   `Infinity`) and throw a `RangeError` otherwise, as every wait in this package does. An
 *   operation that finishes without pausing beats even a 0 ms limit, and timers due at the same
 *   moment fire in the order they were armed, so `withTimeout(sleep(0), 0)` is a tie the
 *   operation wins (asyncio's `timeout(0)` always expires); of nested limits with one deadline,
 *   the outer one throws, as in asyncio. The `TimeoutError` carries no `cause` (Python chains
 *   the `CancelledError`), and a `finally` that throws while a limit cancels its operation
 *   joins the `TimeoutError` in an `AggregateError` rather than replacing it (errors are never
 *   dropped). `withTimeout` returns an operation, not a context manager: there is no
 *   `reschedule()`, `expired()` or `when()`, and so no "already entered" misuse; to move a
 *   deadline, start a new limit.
 * - **One error is not wrapped (asyncio).** `TaskGroup` always raises an `ExceptionGroup`; ours
 *   rethrows a lone error as itself and uses `AggregateError` only for two or more, so a nested
 *   group's failure reaches the outer one unwrapped (no `ExceptionGroup` inside another).
 * - **A task group is a scope, not an object (asyncio `TaskGroup`).** {@linkcode spawn} always
 *   spawns into the current task, so there is no `g.create_task()` to call after the group
 *   ended ("TaskGroup is finished") or while it is shutting down, and no task can spawn into a
 *   group it was not started in (asyncio's test_taskgroup_24/25, a task adding siblings to `g`):
 *   a task's own spawns are its children, cancelled when its body returns, so a task that must
 *   fan out runs its own {@linkcode taskGroup}. Tasks are torn down newest first, one after
 *   another, where asyncio cancels them all at once: an older task not yet started when its
 *   group fails still starts, and is cancelled at its turn (asyncio's test_taskgroup_10 sees it
 *   cancelled before it ran). A body that turns its cancellation into another error fails with
 *   that error alone, as asyncio raises it (in an `ExceptionGroup`).
 * - **`task.cancel()` never throws (Effection's `halt()` does).** A failure while a task is being
 *   cancelled fails its parent, like any child failure, rather than the canceller only.
 * - **A generator runs once (Python).** Giving the same generator object to two tasks
 *   (`all([g, g])`, `run(() => g)` twice, a second `yield*` of an `all`, `race` or
 *   `withTimeout` holding one) is a `TypeError`, like Python's "cannot reuse already awaited
 *   coroutine"; a function that makes a new one each time is always safe (`spawn`, the
 *   hot path, trusts its function to do so and does not check). A coroutine
 *   that `send`s to itself gets a `TypeError` ("already running", Python's `ValueError:
 *   generator already executing`) and stays intact.
 * - **{@linkcode coroutine} is primed, and a finished one refuses (Python's generators).**
 *   There is no "just started" state, so Python's `TypeError: can't send non-None value to a
 *   just-started generator` and `throw()` into an unstarted generator cannot happen: the first
 *   `send` is the first `yield`'s value. `send`/`throw` on a finished coroutine throw a
 *   `TypeError` ("already finished"), where Python raises `StopIteration` or the thrown
 *   exception; the return value is in `result` rather than on a `StopIteration`. `close()` is
 *   JavaScript's `return()`: it runs `finally` blocks but no `catch` sees it (no
 *   `GeneratorExit`), and a `finally` that yields makes `close()` throw an `Error`, leaving the
 *   coroutine at that `yield` (Python's `RuntimeError: generator ignored GeneratorExit`); a
 *   second `close()` finishes it, as in Python. `throw()` takes any value, as `throw` does. A
 *   coroutine dropped unclosed is never finalized (JavaScript has no generator `__del__`):
 *   close it, or hold it with `using`.
 * - **No `suspend`, `createScope` or contexts (Effection).** `sleep(Infinity)` suspends;
 *   `run` is the only way in from `async` code.
 * - **`each(source, body)` takes a callback** rather than Effection's
 *   `for (const x of yield* each(s)) { ...; yield* each.next(); }`, and an item produced for a
 *   `next()` abandoned by cancellation is not delivered (see {@linkcode each}).
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
 * ## Arguments and errors
 *
 * As in every topic of the package (the repository's `STYLE.md`): a wrong type is a `TypeError`
 * and a value out of range a `RangeError`, with one message per mistake,
 * `<call>: '<name>' must be <expected>, got <value>`; each option is read once; a method that
 * returns a promise rejects, never throws. Here the one wait entered from `async` code,
 * {@linkcode run}, takes `{ signal, timeout }` (`timeout` in ms from 0 to 2147483647, or
 * `Infinity`): an abort rejects with `signal.reason` and a timeout with a `TimeoutError`
 * `DOMException`. Waits inside a task take neither: they end with the task (see
 * **Cancellation**), and {@linkcode withTimeout} bounds one of them.
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
export * from "./task_group.ts";
export * from "./ensure.ts";
export * from "./resource.ts";
export * from "./with_timeout.ts";
export * from "./use_abort_signal.ts";
export * from "./each.ts";
export * from "./shield.ts";
