/**
 * Locks for async code and for Web Workers sharing memory (item 38 of *Effective Python*: "Use
 * `Lock` to prevent data races in threads").
 *
 * ## Why a lock, on a single thread?
 *
 * JavaScript runs one task at a time, so `count += 1` is never torn. But a read-modify-write that
 * `await`s between the read and the write is: another task runs during the `await`, reads the
 * same old value, and one of the two updates is lost, exactly like Python threads switching in
 * the middle of `counter.count += offset`. The event loop does not help; a {@linkcode Mutex} held
 * across the `await` does. Between workers that share a `SharedArrayBuffer` the race is real
 * parallelism, and the shared primitives below (state in the buffer itself) are the fix.
 *
 * ## Which primitive?
 *
 * Async tasks on one thread (FIFO fair; every wait takes `{ signal, timeout }`):
 *
 * - {@linkcode Mutex}: one task at a time in a critical section that `await`s.
 *   `using _ = await mutex.lock()`, or `mutex.withLock(fn)`.
 * - {@linkcode Semaphore}: at most `permits` tasks at once (connections, requests, files).
 * - {@linkcode RWLock}: many readers or one writer; a waiting writer holds back new readers.
 * - {@linkcode Event}: wait for a flag ("ready", "stop") that one task sets for all.
 * - {@linkcode Condition}: wait, under a mutex, until guarded state satisfies a predicate
 *   (`waitFor`), woken by `notify`/`notifyAll`.
 * - {@linkcode Barrier}: `parties` tasks wait for each other, round after round.
 *
 * Workers sharing memory (state in a `SharedArrayBuffer`; post `.buffer`, attach with `from()`;
 * `*Sync` methods block with `Atomics.wait`, the others wait with `Atomics.waitAsync`):
 *
 * - {@linkcode SharedMutex}: a futex mutex for compound updates of shared memory.
 * - {@linkcode SharedSemaphore}: permits counted across workers.
 * - {@linkcode SharedBarrier}: start workers together (the chapter's `Barrier(5)`).
 *
 * A lone shared counter needs no lock at all: `Atomics.add(cells, 0, 1)` is one indivisible
 * step. Take a lock when the update spans several cells, or computes between read and write.
 *
 * Every lock hands out a {@linkcode Guard}: release it once, with `release()` or by `using`.
 * `console.log` and `Deno.inspect` show a lock's state (`Mutex { locked: true, waiting: 2 }`).
 *
 * ## Coming from Python
 *
 * - **No `RLock`.** A re-entrant lock needs to know who its owner is, and async code has no
 *   thread identity: the task that holds a lock and the one calling `lock()` again are the same
 *   call chain or two interleaved ones, and nothing at run time tells them apart (an async
 *   context would be guessed, and a wrong guess lets a second task into the section). Instead,
 *   take the lock once at the public entry point and call helpers that assume it is held (name
 *   them so, e.g. `#incrementLocked()`), or pass the {@linkcode Guard} down as proof of holding
 *   it. Calling `lock()` again while holding the lock waits forever, as Python's `Lock` does.
 * - **Timeouts reject** with a `TimeoutError` instead of returning `False`; `Event.wait` and
 *   `Condition.wait` show how to get Python's boolean. `Condition.waitFor` resolves with the
 *   predicate's value, re-checked once more after a timeout, and rejects only if it is still
 *   falsy (Python returns the falsy value).
 * - **Semaphores are bounded** (`BoundedSemaphore`): a guard gives back the permit it took,
 *   once. `Semaphore(0)` with `addPermits(n)` (also on `SharedSemaphore`) is Python's
 *   `Semaphore(0)` plus `release(n)` and Tokio's `add_permits` (a signal counter); Tokio's
 *   `forget`, `close` and `acquire_many` are not offered (take several guards, or a `Mutex`
 *   around the multi-permit step).
 * - **`Barrier`** is `asyncio.Barrier` with `threading.Barrier`'s `action` and `n_waiting`
 *   (`nWaiting`), and the same draining phase: released tasks count as inside until they resume,
 *   so a `reset()` by the last task out never breaks the tasks coming back. Differences: an
 *   `abort()` does not take back a round already released (Python raises `BrokenBarrierError`
 *   in its tasks that have not resumed); a `Barrier` waiter that times out or aborts leaves the
 *   round (as with `asyncio`'s cancellation), while a `SharedBarrier` waiter that gives up
 *   breaks it (as `threading.Barrier`'s timeout does). There is no default `timeout` option:
 *   pass one to each `wait()`. `Barrier(0)` is refused (Tokio treats it as 1), and Tokio's
 *   `is_leader()` is `index === parties - 1` (the task that completed the round).
 * - **Condition and the lock.** `wait`/`waitFor`/`notify` reject or throw when the mutex is not
 *   locked (Python's `RuntimeError`), also when the predicate would already hold.
 * - **Cancellation after hand-over.** A release hands the lock (or permit) straight to the
 *   oldest waiter; a waiter aborted after that still resolves and must release (asyncio's
 *   `test_cancel_race` passes the lock on to the next waiter instead).
 *
 * Compared with `async-mutex`: no `cancel()` that rejects every waiter (share one
 * `AbortController` among them), no weighted semaphores or priorities (waiters are served in
 * call order), no `waitForUnlock()` (lock then release), and a release goes through the guard,
 * never through the lock itself.
 *
 * @example Python's LockingCounter, with an `await` in the middle
 * ```ts
 * import { Mutex } from "@effective/concurrency/sync";
 * import assert from "node:assert/strict";
 *
 * class LockingCounter {
 *   #mutex = new Mutex();
 *   count = 0;
 *   async increment(offset: number): Promise<void> {
 *     using _ = await this.#mutex.lock();
 *     const value = this.count;
 *     await Promise.resolve(); // a sensor read
 *     this.count = value + offset;
 *   }
 * }
 *
 * const counter = new LockingCounter();
 * await Promise.all(Array.from({ length: 5 }, () => counter.increment(1)));
 * assert.equal(counter.count, 5);
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
export * from "./types.ts";
export * from "./mutex.ts";
export * from "./semaphore.ts";
export * from "./event.ts";
export * from "./condition.ts";
export * from "./barrier.ts";
export * from "./rw_lock.ts";
export * from "./shared_mutex.ts";
export * from "./shared_semaphore.ts";
export * from "./shared_barrier.ts";
