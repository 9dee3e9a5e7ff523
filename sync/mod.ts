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
