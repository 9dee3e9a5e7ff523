/**
 * {@linkcode Barrier}: async tasks wait for each other, in rounds.
 *
 * @module
 */
import type { WaitOptions } from "./types.ts";
import { WaiterList } from "./_waiters.ts";
import { checkCount, waitOptionsError } from "./_validate.ts";

/**
 * The error a barrier's waiters reject with once it is broken by {@linkcode Barrier.abort} (or
 * `SharedBarrier.abort()`, or a `SharedBarrier` waiter that gave up). Python's
 * `threading.BrokenBarrierError`.
 *
 * @example Recognise a broken barrier
 * ```ts
 * import { Barrier, BrokenBarrierError } from "@effective/concurrency/sync";
 * import assert from "node:assert/strict";
 *
 * const barrier = new Barrier(2);
 * const waiting = barrier.wait();
 * barrier.abort();
 * await assert.rejects(waiting, BrokenBarrierError);
 * ```
 */
export class BrokenBarrierError extends Error {
  /**
   * Creates the error.
   *
   * @param message What broke.
   *
   * @example Create the error
   * ```ts
   * import { BrokenBarrierError } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new BrokenBarrierError().name, "BrokenBarrierError");
   * ```
   */
  constructor(message: string = "The barrier is broken") {
    super(message);
    this.name = "BrokenBarrierError";
  }
}

/**
 * A Barrier makes `parties` async tasks wait for each other: each calls
 * {@linkcode Barrier.wait}, and all of them resume once the last one arrives. It is reusable: the
 * next `parties` calls form the next round. Python's `asyncio.Barrier`; for workers use
 * `SharedBarrier`.
 *
 * Each waiter resolves with its arrival index, `0` for the first to arrive up to `parties - 1`
 * for the one that completed the round (useful to pick one task to do the round's bookkeeping).
 *
 * Cancellation: a waiter that aborts or times out leaves the round (as in `asyncio`); the others
 * keep waiting for a full round and the indices stay `0 … parties - 1`. To fail every waiter,
 * call {@linkcode Barrier.abort}.
 *
 * @example Start three tasks together
 * ```ts
 * import { Barrier } from "@effective/concurrency/sync";
 * import assert from "node:assert/strict";
 *
 * const barrier = new Barrier(3);
 * const indices = await Promise.all([barrier.wait(), barrier.wait(), barrier.wait()]);
 * assert.deepEqual(indices, [0, 1, 2]);
 * ```
 */
export class Barrier {
  #parties: number;
  #broken = false;
  #waiters: WaiterList<number> = new WaiterList<number>();

  /**
   * Creates a barrier for `parties` tasks.
   *
   * @param parties How many tasks make a round; a positive integer.
   * @throws {TypeError} If `parties` is not a number.
   * @throws {RangeError} If `parties` is not a positive safe integer.
   *
   * @example Create a barrier
   * ```ts
   * import { Barrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Barrier(5).parties, 5);
   * assert.throws(() => new Barrier(0), RangeError);
   * ```
   */
  constructor(parties: number) {
    checkCount("create Barrier", "parties", parties, Number.MAX_SAFE_INTEGER);
    this.#parties = parties;
  }

  /**
   * How many tasks make a round.
   *
   * @example Read the size
   * ```ts
   * import { Barrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Barrier(2).parties, 2);
   * ```
   */
  get parties(): number {
    return this.#parties;
  }

  /**
   * How many tasks wait in the current round.
   *
   * @example Count the waiters
   * ```ts
   * import { Barrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new Barrier(2);
   * const first = barrier.wait();
   * assert.equal(barrier.waiting, 1);
   * await Promise.all([first, barrier.wait()]);
   * assert.equal(barrier.waiting, 0);
   * ```
   */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Whether the barrier is broken (by {@linkcode Barrier.abort}) and not yet reset.
   *
   * @example Check for a broken barrier
   * ```ts
   * import { Barrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new Barrier(2);
   * barrier.abort();
   * assert.equal(barrier.broken, true);
   * ```
   */
  get broken(): boolean {
    return this.#broken;
  }

  /**
   * Waits until `parties` tasks (this one included) have called `wait()`, then resolves with this
   * task's arrival index: `0` for the first, `parties - 1` for the last.
   *
   * Fairness: indices follow arrival order; the whole round resumes together.
   *
   * Cancellation: if `signal` aborts while waiting, the call rejects with `signal.reason` and
   * leaves the round; after `timeout` ms it rejects with a `TimeoutError` `DOMException` and
   * leaves likewise. The barrier stays whole; the others wait for another arrival.
   *
   * @param options How to give up waiting.
   * @returns A promise of the arrival index.
   * @throws {BrokenBarrierError} (as a rejection) If the barrier is broken, or breaks while
   * waiting.
   * @throws {TypeError} (as a rejection) If `options`, `signal` or `timeout` has the wrong type.
   * @throws {RangeError} (as a rejection) If `timeout` is negative or NaN.
   *
   * @example Two rounds
   * ```ts
   * import { Barrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new Barrier(2);
   * assert.deepEqual(await Promise.all([barrier.wait(), barrier.wait()]), [0, 1]);
   * assert.deepEqual(await Promise.all([barrier.wait(), barrier.wait()]), [0, 1]);
   * ```
   */
  wait(options?: WaitOptions): Promise<number> {
    if (options !== undefined) {
      const error = waitOptionsError("Barrier.wait()", options);
      if (error !== undefined) return Promise.reject(error);
      if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    }
    if (this.#broken) return Promise.reject(new BrokenBarrierError());
    if (this.#waiters.length + 1 < this.#parties) {
      return this.#waiters.wait(options, "Barrier.wait()");
    }
    let index = 0;
    for (let w = this.#waiters.shift(); w !== undefined; w = this.#waiters.shift()) {
      w.resolve(index++);
    }
    return Promise.resolve(index);
  }

  /**
   * Breaks the barrier: every current waiter rejects with a {@linkcode BrokenBarrierError}, and
   * so does every later `wait()` until {@linkcode Barrier.reset}. Use it to tell the others that a
   * party will not come.
   *
   * @example Fail the waiters
   * ```ts
   * import { Barrier, BrokenBarrierError } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new Barrier(3);
   * const waiting = barrier.wait();
   * barrier.abort();
   * await assert.rejects(waiting, BrokenBarrierError);
   * await assert.rejects(barrier.wait(), BrokenBarrierError);
   * ```
   */
  abort(): void {
    this.#broken = true;
    this.#failWaiters();
  }

  /**
   * Returns the barrier to its empty, unbroken state. Tasks still waiting reject with a
   * {@linkcode BrokenBarrierError}, as in Python.
   *
   * @example Reuse a broken barrier
   * ```ts
   * import { Barrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new Barrier(1);
   * barrier.abort();
   * barrier.reset();
   * assert.equal(await barrier.wait(), 0);
   * ```
   */
  reset(): void {
    this.#broken = false;
    this.#failWaiters();
  }

  #failWaiters(): void {
    for (let w = this.#waiters.shift(); w !== undefined; w = this.#waiters.shift()) {
      w.reject(new BrokenBarrierError());
    }
  }
}
