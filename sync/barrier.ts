/**
 * {@linkcode Barrier}: async tasks wait for each other, in rounds.
 *
 * @module
 */
import type { WaitOptions } from "./types.ts";
import { WaiterList } from "./_waiters.ts";
import { beginWait, checkFunction, checkInteger, readOptions } from "./_options.ts";
import { defineInspect } from "./_inspect.ts";

/** Options for {@linkcode Barrier}. */
export interface BarrierOptions {
  /**
   * Runs once per round, when the last party arrives and before any party of the round is
   * released (Python's `threading.Barrier(action=)`). It runs synchronously in the `wait()` call
   * that completed the round. If it throws, the barrier breaks: that call rejects with the
   * error, the round's other parties with a {@linkcode BrokenBarrierError}.
   */
  action?: () => void;
}

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
 * next `parties` calls form the next round. Python's `asyncio.Barrier` (with `threading.Barrier`'s
 * `action`); for workers use `SharedBarrier`.
 *
 * Each waiter resolves with its arrival index, `0` for the first to arrive up to `parties - 1`
 * for the one that completed the round (useful to pick one task to do the round's bookkeeping).
 *
 * Draining, as in Python: the tasks a round releases count as inside the barrier until they have
 * resumed (their `await` has returned; the barrier waits two microtask turns after releasing
 * them). A `wait()` called meanwhile, by a task of that round coming back or by anyone else,
 * queues for the next round, and {@linkcode Barrier.reset} does not touch it; so the last task
 * out may call `reset()` without breaking the tasks already re-entering.
 *
 * **Cancellation**: a waiter that aborts or times out leaves the round (as in `asyncio`); the others
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
 *
 * @example Run an action once per round, before the round is released
 * ```ts
 * import { Barrier } from "@effective/concurrency/sync";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * const barrier = new Barrier(2, { action: () => log.push("round") });
 * const task = async (name: string) => {
 *   await barrier.wait();
 *   log.push(name);
 * };
 * await Promise.all([task("a"), task("b")]);
 * assert.deepEqual(log, ["round", "a", "b"]);
 * ```
 */
export class Barrier {
  #parties: number;
  #action: (() => void) | undefined;
  #broken = false;
  // The calls waiting, oldest first. While a round drains they all belong to the next round;
  // otherwise they are the current round's arrivals, always fewer than `parties`.
  #waiters: WaiterList<number> = new WaiterList<number>();
  #draining = false;

  /**
   * Creates a barrier for `parties` tasks.
   *
   * @param parties How many tasks make a round; a positive integer.
   * @param options The round's `action`.
   * @throws {TypeError} If `parties` is not a number, or `action` not a function.
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
  constructor(parties: number, options?: BarrierOptions) {
    const call = "new Barrier()";
    this.#parties = checkInteger(call, "parties", parties, 1, Number.MAX_SAFE_INTEGER);
    const { action } = readOptions(call, options);
    this.#action = checkFunction(call, "action", action);
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
   * How many `wait()` calls are pending: the current round's arrivals, plus, while a released
   * round drains, the calls queued for the next one.
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
   * How many tasks wait in the current round: Python's `n_waiting`. `0` while a released round
   * drains (the calls queued meanwhile belong to the next round; {@linkcode Barrier.waiting}
   * counts them).
   *
   * @example Python's n_waiting
   * ```ts
   * import { Barrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new Barrier(3);
   * const waiting = [barrier.wait(), barrier.wait()];
   * assert.equal(barrier.nWaiting, 2);
   * waiting.push(barrier.wait());
   * assert.equal(barrier.nWaiting, 0);
   * await Promise.all(waiting);
   * ```
   */
  get nWaiting(): number {
    return this.#draining ? 0 : this.#waiters.length;
  }

  /**
   * Whether the barrier is broken (by {@linkcode Barrier.abort} or a throwing `action`) and not
   * yet reset.
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
   * task's arrival index: `0` for the first, `parties - 1` for the last. A call made while the
   * previous round drains waits for that to finish first (see the class documentation).
   *
   * Fairness: indices follow arrival order; the whole round resumes together.
   *
   * **Cancellation**: if `signal` aborts while waiting, the call rejects with `signal.reason` and
   * leaves the round; after `timeout` ms it rejects with a `TimeoutError` `DOMException` and
   * leaves likewise. The barrier stays whole; the others wait for another arrival. A round once
   * released stays released: an abort or timeout that comes later changes nothing.
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
    const wait = beginWait("Barrier.wait()", options);
    if (wait instanceof Promise) return wait;
    if (this.#broken) return Promise.reject(new BrokenBarrierError());
    if (this.#draining || this.#waiters.length + 1 < this.#parties) {
      return this.#waiters.wait(wait, "Barrier.wait()");
    }
    // This call completes the round.
    const index = this.#waiters.length;
    const failure = this.#runAction(index);
    if (failure !== undefined) return Promise.reject(failure.reason);
    this.#releaseRound(index);
    return Promise.resolve(index);
  }

  // Runs the action before a round of the first `others` waiters plus one completing call is
  // released. If it throws, breaks the barrier (those waiters reject) and returns the error for
  // the completing call.
  #runAction(others: number): { reason: unknown } | undefined {
    if (this.#action === undefined) return undefined;
    try {
      this.#action();
      return undefined;
    } catch (reason) {
      this.#broken = true;
      for (let i = 0; i < others; i++) this.#waiters.shift()?.reject(new BrokenBarrierError());
      return { reason };
    }
  }

  // Releases the first `count` waiters (with the completing call, a full round), then drains.
  #releaseRound(count: number): void {
    for (let index = 0; index < count; index++) this.#waiters.shift()?.resolve(index);
    if (this.#parties === 1) return;
    this.#draining = true;
    // Released tasks resume in the next microtask turns (the completing call's once it awaits
    // the promise it got); the round drains until they have.
    queueMicrotask(() => queueMicrotask(() => this.#drained()));
  }

  // The released round has resumed: the calls queued meanwhile form the next round.
  #drained(): void {
    this.#draining = false;
    if (this.#broken || this.#waiters.length < this.#parties) return;
    const failure = this.#runAction(this.#parties - 1);
    if (failure !== undefined) {
      // The call that completed this round is the next in the queue: it gets the action's error;
      // the calls behind it meet a broken barrier.
      this.#waiters.shift()?.reject(failure.reason);
      this.#failWaiters();
      return;
    }
    this.#releaseRound(this.#parties);
  }

  /**
   * Breaks the barrier: every pending `wait()` rejects with a {@linkcode BrokenBarrierError}, and
   * so does every later one until {@linkcode Barrier.reset}. Use it to tell the others that a
   * party will not come. A round already released is not taken back: its tasks get their indices
   * even if they have not resumed yet (Python raises `BrokenBarrierError` in those).
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
   * Returns the barrier to its empty, unbroken state. Tasks waiting in the current round reject
   * with a {@linkcode BrokenBarrierError}, as in Python. While a released round drains, the calls
   * queued for the next round are not in any round yet and are left alone.
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
    if (!this.#draining) this.#failWaiters();
  }

  #failWaiters(): void {
    for (let waiter = this.#waiters.shift(); waiter !== undefined; waiter = this.#waiters.shift()) {
      waiter.reject(new BrokenBarrierError());
    }
  }
}

defineInspect(Barrier, "Barrier", (barrier) => ({
  parties: barrier.parties,
  nWaiting: barrier.nWaiting,
  waiting: barrier.waiting,
  broken: barrier.broken,
}));
