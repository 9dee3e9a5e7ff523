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
import { blockingOptionsError, checkCount, timeoutError, waitOptionsError } from "./_validate.ts";

// Cells: 0 tag, 1 parties, 2 the round word: bits 0-15 arrivals, bits 16-29 the round number
// (wrapping), bit 30 broken. One word, so an arrival and a round change cannot interleave.
const PARTIES = 1;
const WORD = 2;
const CELLS = 3;
const COUNT_MASK = 0xffff;
const ROUND_SHIFT = 16;
const ROUND_MASK = 0x3fff;
const BROKEN = 1 << 30;

let adopted: Int32Array<SharedArrayBuffer> | undefined;

const roundOf = (word: number): number => (word >>> ROUND_SHIFT) & ROUND_MASK;

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
      return;
    }
    checkCount("create SharedBarrier", "parties", parties, COUNT_MASK);
    this.#cells = allocate(CELLS, MAGIC_BARRIER);
    this.#cells[PARTIES] = parties;
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
    return this.#cells[PARTIES];
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
    return Atomics.load(this.#cells, WORD) & COUNT_MASK;
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
    return (Atomics.load(this.#cells, WORD) & BROKEN) !== 0;
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
    Atomics.or(this.#cells, WORD, BROKEN);
    Atomics.notify(this.#cells, WORD);
  }

  // Counts this party in. Returns its index and the round it waits in; the round is -1 if this
  // arrival completed it.
  #arrive(): [index: number, round: number] {
    const cells = this.#cells;
    const parties = cells[PARTIES];
    for (;;) {
      const word = Atomics.load(cells, WORD);
      if (word & BROKEN) throw new BrokenBarrierError();
      const count = word & COUNT_MASK;
      if (count + 1 === parties) {
        const next = ((roundOf(word) + 1) & ROUND_MASK) << ROUND_SHIFT;
        if (Atomics.compareExchange(cells, WORD, word, next) === word) {
          Atomics.notify(cells, WORD);
          return [count, -1];
        }
      } else if (Atomics.compareExchange(cells, WORD, word, word + 1) === word) {
        return [count, roundOf(word)];
      }
    }
  }

  // Breaks the barrier because a waiter of `round` gave up; false if that round completed first.
  #giveUp(round: number): boolean {
    const cells = this.#cells;
    for (;;) {
      const word = Atomics.load(cells, WORD);
      if (roundOf(word) !== round) return false;
      if (word & BROKEN) return true;
      if (Atomics.compareExchange(cells, WORD, word, word | BROKEN) === word) {
        Atomics.notify(cells, WORD);
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
    if (options !== undefined) {
      const error = blockingOptionsError("SharedBarrier.waitSync()", options);
      if (error !== undefined) throw error;
    }
    const cells = this.#cells;
    const [index, round] = this.#arrive();
    if (round === -1) return index;
    const deadline = deadlineOf(options?.timeout);
    for (;;) {
      const word = Atomics.load(cells, WORD);
      if (roundOf(word) !== round) return index;
      if (word & BROKEN) throw new BrokenBarrierError();
      const left = remaining(deadline);
      if (left === 0) {
        if (this.#giveUp(round)) {
          throw timeoutError("SharedBarrier.waitSync()", options!.timeout!);
        }
        return index;
      }
      blockingWait(cells, WORD, word, left, "SharedBarrier.waitSync()", "await barrier.wait()");
    }
  }

  /**
   * Waits, without blocking the thread (`Atomics.waitAsync`), until `parties` parties have
   * arrived, and resolves with this party's arrival index. Works on any thread.
   *
   * Cancellation: if `signal` aborts while waiting, the call breaks the barrier (the others get
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
    const error = waitOptionsError("SharedBarrier.wait()", options);
    if (error !== undefined) throw error;
    const signal = options?.signal;
    if (signal?.aborted) throw signal.reason;
    const cells = this.#cells;
    const [index, round] = this.#arrive();
    if (round === -1) return index;
    const deadline = deadlineOf(options?.timeout);
    for (;;) {
      const word = Atomics.load(cells, WORD);
      if (roundOf(word) !== round) return index;
      if (word & BROKEN) throw new BrokenBarrierError();
      if (signal?.aborted) {
        if (this.#giveUp(round)) throw signal.reason;
        return index;
      }
      const left = remaining(deadline);
      if (left === 0) {
        if (this.#giveUp(round)) throw timeoutError("SharedBarrier.wait()", options!.timeout!);
        return index;
      }
      await asyncWait(cells, WORD, word, left, signal);
    }
  }
}
