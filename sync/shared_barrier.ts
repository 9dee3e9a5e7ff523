/**
 * {@linkcode SharedBarrier}: workers wait for each other, in rounds, over shared memory.
 *
 * @module
 */
import type { BlockingWaitOptions, WaitOptions } from "./types.ts";
import { BrokenBarrierError } from "./barrier.ts";
import {
  allocate,
  asyncWait,
  attach,
  blockingWait,
  deadlineOf,
  MAGIC_BARRIER,
  remaining,
} from "./_atomics.ts";
import { readBlockingTimeout } from "./_validate.ts";
import { beginWait, checkInteger, timeoutError } from "./_options.ts";
import { defineInspect } from "./_inspect.ts";

// Int32 cells: 0 tag, 1 parties; then, as 64-bit cell 1 (bytes 8-15), the round word: bits 0-15
// arrivals, bit 16 broken, bits 17-62 the round number. One word, so an arrival and a round
// change cannot interleave. A waiter returns once the round number differs from the one it
// arrived in; with 46 bits the number comes back only after 2^46 rounds (70 trillion: years at
// any speed), so a waiter that re-checks late never mistakes a later round for its own (with
// 14 bits, 16,384 rounds sufficed).
const PARTIES = 1;
const WORD = 1;
const CELLS = 4;
const COUNT_MASK = 0xffffn;
const BROKEN = 1n << 16n;
const ROUND_SHIFT = 17n;
const ROUND_MASK = (1n << 46n) - 1n;
const MAX_PARTIES = 0xffff;

let adopted: Int32Array<SharedArrayBuffer> | undefined;

const roundOf = (word: bigint): bigint => (word >> ROUND_SHIFT) & ROUND_MASK;
const countOf = (word: bigint): number => Number(word & COUNT_MASK);

/**
 * A SharedBarrier makes `parties` threads (workers, or tasks in them) wait for each other, with
 * its state in a `SharedArrayBuffer`: create it in one thread, post
 * {@linkcode SharedBarrier.buffer}, attach elsewhere with {@linkcode SharedBarrier.from}. Each
 * party calls {@linkcode SharedBarrier.waitSync} (blocking) or {@linkcode SharedBarrier.wait}
 * (not), and all resume once the last arrives. It is reusable, round after round. Python's
 * `threading.Barrier`: the chapter's sample starts its five counting threads on one, so that they
 * really race.
 *
 * Each waiter gets its arrival index: `0` for the first, `parties - 1` for the last.
 *
 * Breaking: as in Python's `threading.Barrier`, a waiter that times out or is aborted breaks the
 * barrier, so the others reject with a {@linkcode BrokenBarrierError} instead of waiting for a
 * party that will not come; so does {@linkcode SharedBarrier.abort}. A broken shared barrier
 * stays broken; make a new one.
 *
 * @example Two parties meet
 * ```ts
 * import { SharedBarrier } from "@effective/concurrency/sync";
 * import assert from "node:assert/strict";
 *
 * const barrier = new SharedBarrier(2);
 * const other = SharedBarrier.from(barrier.buffer); // in a worker, from a message
 * const indices = await Promise.all([barrier.wait(), other.wait()]);
 * assert.deepEqual(indices, [0, 1]);
 * ```
 */
export class SharedBarrier {
  #cells: Int32Array<SharedArrayBuffer>;
  #word: BigInt64Array<SharedArrayBuffer>;

  /**
   * Allocates a barrier for `parties` threads in its own `SharedArrayBuffer`.
   *
   * @param parties How many parties make a round; a positive integer up to 65535.
   * @throws {TypeError} If `parties` is not a number.
   * @throws {RangeError} If `parties` is not a positive integer up to 65535.
   *
   * @example Create a barrier
   * ```ts
   * import { SharedBarrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new SharedBarrier(5).parties, 5);
   * assert.throws(() => new SharedBarrier(-1), RangeError);
   * ```
   */
  constructor(parties: number) {
    if (adopted !== undefined) {
      this.#cells = adopted;
    } else {
      checkInteger("new SharedBarrier()", "parties", parties, 1, MAX_PARTIES);
      this.#cells = allocate(CELLS, MAGIC_BARRIER);
      this.#cells[PARTIES] = parties;
    }
    this.#word = new BigInt64Array(this.#cells.buffer);
  }

  /**
   * Attaches to a barrier made in another thread, from its {@linkcode SharedBarrier.buffer}.
   *
   * @param buffer The `buffer` of a `SharedBarrier`, as posted to this thread.
   * @returns A barrier that shares its state with the original.
   * @throws {TypeError} If `buffer` is not a `SharedArrayBuffer`, or not one made by
   * `new SharedBarrier()`.
   * @throws {RangeError} If `buffer` has the wrong size.
   *
   * @example Attach to a posted buffer
   * ```ts
   * import { SharedBarrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new SharedBarrier(3);
   * assert.equal(SharedBarrier.from(barrier.buffer).parties, 3);
   * assert.throws(() => SharedBarrier.from(new SharedArrayBuffer(4)), RangeError);
   * ```
   */
  static from(buffer: SharedArrayBuffer): SharedBarrier {
    adopted = attach("SharedBarrier", buffer, CELLS, MAGIC_BARRIER);
    try {
      return new SharedBarrier(1);
    } finally {
      adopted = undefined;
    }
  }

  /**
   * The shared memory holding the barrier's state. Post it to a worker and call
   * {@linkcode SharedBarrier.from} there.
   *
   * @example Read the buffer
   * ```ts
   * import { SharedBarrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * assert.ok(new SharedBarrier(2).buffer instanceof SharedArrayBuffer);
   * ```
   */
  get buffer(): SharedArrayBuffer {
    return this.#cells.buffer;
  }

  /**
   * How many parties make a round.
   *
   * @example Read the size
   * ```ts
   * import { SharedBarrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new SharedBarrier(4).parties, 4);
   * ```
   */
  get parties(): number {
    return Atomics.load(this.#cells, PARTIES);
  }

  /**
   * How many parties wait in the current round (a snapshot).
   *
   * @example Count the waiters
   * ```ts
   * import { SharedBarrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new SharedBarrier(2);
   * const first = barrier.wait();
   * assert.equal(barrier.waiting, 1);
   * await Promise.all([first, barrier.wait()]);
   * ```
   */
  get waiting(): number {
    return countOf(Atomics.load(this.#word, WORD));
  }

  /**
   * Whether the barrier is broken.
   *
   * @example Check for a broken barrier
   * ```ts
   * import { SharedBarrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new SharedBarrier(2);
   * barrier.abort();
   * assert.equal(barrier.broken, true);
   * ```
   */
  get broken(): boolean {
    return (Atomics.load(this.#word, WORD) & BROKEN) !== 0n;
  }

  /**
   * Breaks the barrier: every party waiting now, in any thread, and every later `wait()` rejects
   * (or `waitSync()` throws) with a {@linkcode BrokenBarrierError}.
   *
   * @example Fail the waiters
   * ```ts
   * import { BrokenBarrierError, SharedBarrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new SharedBarrier(2);
   * const waiting = barrier.wait();
   * barrier.abort();
   * await assert.rejects(waiting, BrokenBarrierError);
   * ```
   */
  abort(): void {
    Atomics.or(this.#word, WORD, BROKEN);
    Atomics.notify(this.#word, WORD);
  }

  // Counts this party in. Returns its index and the round it waits in; the round is -1 if this
  // arrival completed it.
  #arrive(): [index: number, round: bigint] {
    const word64 = this.#word;
    const parties = Atomics.load(this.#cells, PARTIES);
    for (;;) {
      const word = Atomics.load(word64, WORD);
      if (word & BROKEN) throw new BrokenBarrierError();
      const count = countOf(word);
      if (count + 1 === parties) {
        const next = ((roundOf(word) + 1n) & ROUND_MASK) << ROUND_SHIFT;
        if (Atomics.compareExchange(word64, WORD, word, next) === word) {
          Atomics.notify(word64, WORD);
          return [count, -1n];
        }
      } else if (Atomics.compareExchange(word64, WORD, word, word + 1n) === word) {
        return [count, roundOf(word)];
      }
    }
  }

  // Breaks the barrier because a waiter of `round` gave up; false if that round completed first.
  #giveUp(round: bigint): boolean {
    const word64 = this.#word;
    for (;;) {
      const word = Atomics.load(word64, WORD);
      if (roundOf(word) !== round) return false;
      if (word & BROKEN) return true;
      if (Atomics.compareExchange(word64, WORD, word, word | BROKEN) === word) {
        Atomics.notify(word64, WORD);
        return true;
      }
    }
  }

  /**
   * Waits, blocking the thread with `Atomics.wait`, until `parties` parties have arrived, and
   * returns this party's arrival index. For workers: where the thread may not block (a browser's
   * main thread), it throws a `TypeError` that says so; use {@linkcode SharedBarrier.wait} there.
   *
   * Timeout: after `timeout` ms it breaks the barrier (the others get a
   * {@linkcode BrokenBarrierError}) and throws a `TimeoutError` `DOMException`, unless the round
   * completed first.
   *
   * @param options How long to block at most.
   * @returns The arrival index, `0 … parties - 1`.
   * @throws {BrokenBarrierError} If the barrier is or becomes broken.
   * @throws {DOMException} `TimeoutError` if `timeout` passes.
   * @throws {TypeError} If the thread may not block, or `timeout` is not a number.
   * @throws {RangeError} If `timeout` is negative or NaN.
   *
   * @example One party passes at once
   * ```ts
   * import { SharedBarrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new SharedBarrier(1);
   * assert.equal(barrier.waitSync(), 0);
   * ```
   */
  waitSync(options?: BlockingWaitOptions): number {
    const call = "SharedBarrier.waitSync()";
    const timeout = readBlockingTimeout(call, options);
    const word64 = this.#word;
    const [index, round] = this.#arrive();
    if (round === -1n) return index;
    const deadline = deadlineOf(timeout);
    for (;;) {
      const word = Atomics.load(word64, WORD);
      if (roundOf(word) !== round) return index;
      if (word & BROKEN) throw new BrokenBarrierError();
      const left = remaining(deadline);
      if (left === 0) {
        if (this.#giveUp(round)) throw timeoutError(call, timeout ?? Infinity);
        return index;
      }
      blockingWait(word64, WORD, word, left, call, "await barrier.wait()");
    }
  }

  /**
   * Waits, without blocking the thread (`Atomics.waitAsync`), until `parties` parties have
   * arrived, and resolves with this party's arrival index. Works on any thread.
   *
   * **Cancellation**: if `signal` aborts while waiting, the call breaks the barrier (the others get
   * a {@linkcode BrokenBarrierError}) and rejects with `signal.reason`; after `timeout` ms it
   * does the same and rejects with a `TimeoutError` `DOMException`. If the round completed
   * first, the call resolves.
   *
   * @param options How to give up waiting.
   * @returns A promise of the arrival index, `0 … parties - 1`.
   * @throws {BrokenBarrierError} (as a rejection) If the barrier is or becomes broken.
   * @throws {TypeError} (as a rejection) If `options`, `signal` or `timeout` has the wrong type.
   * @throws {RangeError} (as a rejection) If `timeout` is negative or NaN.
   *
   * @example Give up on a missing party
   * ```ts
   * import { SharedBarrier } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const barrier = new SharedBarrier(2);
   * await assert.rejects(barrier.wait({ timeout: 5 }), { name: "TimeoutError" });
   * assert.equal(barrier.broken, true);
   * ```
   */
  async wait(options?: WaitOptions): Promise<number> {
    const call = "SharedBarrier.wait()";
    const wait = beginWait(call, options);
    if (wait instanceof Promise) return wait;
    const { signal, timeout } = wait;
    const word64 = this.#word;
    const [index, round] = this.#arrive();
    if (round === -1n) return index;
    const deadline = deadlineOf(timeout);
    for (;;) {
      const word = Atomics.load(word64, WORD);
      if (roundOf(word) !== round) return index;
      if (word & BROKEN) throw new BrokenBarrierError();
      if (signal?.aborted) {
        if (this.#giveUp(round)) throw signal.reason;
        return index;
      }
      const left = remaining(deadline);
      if (left === 0) {
        if (this.#giveUp(round)) throw timeoutError(call, timeout ?? Infinity);
        return index;
      }
      await asyncWait(word64, WORD, word, left, signal);
    }
  }
}

defineInspect(SharedBarrier, "SharedBarrier", (barrier) => ({
  parties: barrier.parties,
  waiting: barrier.waiting,
  broken: barrier.broken,
}));
