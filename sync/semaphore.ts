/**
 * {@linkcode Semaphore}: a bounded number of async tasks in a section at once.
 *
 * @module
 */
import type { Guard, WaitOptions } from "./types.ts";
import { WaiterList } from "./_waiters.ts";
import { releasedTwice } from "./_validate.ts";
import { beginWait, checkInteger } from "./_options.ts";
import { defineInspect } from "./_inspect.ts";

let releasePermit: (semaphore: Semaphore) => void;

class SemaphoreGuard implements Guard {
  #semaphore: Semaphore | undefined;
  constructor(semaphore: Semaphore) {
    this.#semaphore = semaphore;
  }
  release(): void {
    const semaphore = this.#semaphore;
    if (semaphore === undefined) throw releasedTwice("Semaphore");
    this.#semaphore = undefined;
    releasePermit(semaphore);
  }
  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * A Semaphore limits how many async tasks enter a section at once: it holds `permits` permits,
 * each {@linkcode Semaphore.acquire} takes one and its guard gives it back. Use it to cap
 * concurrent requests, open files or connections. With one permit it is a mutex.
 *
 * Fairness: waiters get permits in the order they called `acquire()`. A released permit goes
 * straight to the oldest waiter, so a later caller cannot barge in, not even with
 * {@linkcode Semaphore.tryAcquire}.
 *
 * Bounded by default: permits come back only through guards, each once, so a semaphore never
 * holds more than it was given (Python's `BoundedSemaphore`; a stray second release throws
 * instead of silently adding a permit). To add permits on purpose, call
 * {@linkcode Semaphore.addPermits} (Tokio's `add_permits`, Python's `release()` of a
 * `Semaphore`): `new Semaphore(0)` plus `addPermits()` is Python's `Semaphore(0)` used as a
 * signal counter, where one task waits for `n` signals from others. To share permits between
 * workers, use `SharedSemaphore`.
 *
 * @example At most two downloads at a time
 * ```ts
 * import { Semaphore } from "@effective/concurrency/sync";
 * import assert from "node:assert/strict";
 *
 * const semaphore = new Semaphore(2);
 * let running = 0;
 * let peak = 0;
 * async function download(): Promise<void> {
 *   using _ = await semaphore.acquire();
 *   peak = Math.max(peak, ++running);
 *   await new Promise((resolve) => setTimeout(resolve, 1));
 *   running--;
 * }
 * await Promise.all([download(), download(), download(), download()]);
 * assert.equal(peak, 2);
 * ```
 */
export class Semaphore {
  #available: number;
  #permits: number;
  #waiters: WaiterList<Guard> = new WaiterList<Guard>();

  static {
    releasePermit = (semaphore) => semaphore.#release();
  }

  /**
   * Creates a semaphore with `permits` permits, all available.
   *
   * @param permits How many holders may be in at once; a non-negative integer (`0` for a signal
   * counter that {@linkcode Semaphore.addPermits} feeds).
   * @throws {TypeError} If `permits` is not a number.
   * @throws {RangeError} If `permits` is not a non-negative safe integer.
   *
   * @example Create a semaphore
   * ```ts
   * import { Semaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Semaphore(3).available, 3);
   * assert.throws(() => new Semaphore(1.5), RangeError);
   * ```
   */
  constructor(permits: number) {
    checkInteger("new Semaphore()", "permits", permits, 0, Number.MAX_SAFE_INTEGER);
    this.#available = permits;
    this.#permits = permits;
  }

  #release(): void {
    const next = this.#waiters.shift();
    if (next === undefined) this.#available++;
    else next.resolve(new SemaphoreGuard(this));
  }

  /**
   * How many permits the semaphore holds in all, taken or not: the number it was created with
   * plus those added by {@linkcode Semaphore.addPermits}.
   *
   * @example Read the size
   * ```ts
   * import { Semaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Semaphore(4).permits, 4);
   * ```
   */
  get permits(): number {
    return this.#permits;
  }

  /**
   * Adds `n` permits for good: they go to the oldest waiters first, the rest become available,
   * and {@linkcode Semaphore.permits} grows by `n`. Python's `Semaphore.release()` (a release
   * without an acquire) and Tokio's `Semaphore::add_permits`. Guards still give back exactly the
   * permit they took, so the bound moves only when you call this.
   *
   * @param n How many permits to add; a non-negative integer.
   * @default {1}
   * @throws {TypeError} If `n` is not a number.
   * @throws {RangeError} If `n` is not a non-negative integer, or the total would pass
   * `Number.MAX_SAFE_INTEGER`.
   *
   * @example Python's `Semaphore(0)` as a signal counter: wait for three signals
   * ```ts
   * import { Semaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const done = new Semaphore(0);
   * const workers = [1, 2, 3].map(async () => {
   *   await Promise.resolve(); // some work
   *   done.addPermits(1); // signal
   * });
   * for (let i = 0; i < 3; i++) (await done.acquire()).release();
   * await Promise.all(workers);
   * assert.equal(done.available, 3);
   * ```
   */
  addPermits(n: number = 1): void {
    checkInteger(
      "Semaphore.addPermits()",
      "n",
      n,
      0,
      Number.MAX_SAFE_INTEGER - this.#permits,
    );
    this.#permits += n;
    for (let i = 0; i < n; i++) {
      const next = this.#waiters.shift();
      if (next === undefined) {
        this.#available += n - i;
        return;
      }
      next.resolve(new SemaphoreGuard(this));
    }
  }

  /**
   * How many permits can be taken now without waiting.
   *
   * @example Count free permits
   * ```ts
   * import { Semaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const semaphore = new Semaphore(2);
   * using _ = await semaphore.acquire();
   * assert.equal(semaphore.available, 1);
   * ```
   */
  get available(): number {
    return this.#available;
  }

  /**
   * How many calls wait for a permit.
   *
   * @example Count the waiters
   * ```ts
   * import { Semaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const semaphore = new Semaphore(1);
   * const guard = await semaphore.acquire();
   * const next = semaphore.acquire();
   * assert.equal(semaphore.waiting, 1);
   * guard.release();
   * (await next).release();
   * ```
   */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Takes a permit, waiting while none is free, and returns a guard that gives it back.
   *
   * Fairness: waiters are served in the order they called `acquire()`.
   *
   * **Cancellation**: if `signal` aborts while waiting, the call rejects with `signal.reason` and
   * gives up its place; after `timeout` ms it rejects with a `TimeoutError` `DOMException`. A
   * waiter that gave up never takes a permit afterwards, and no permit is lost: a permit released
   * at the same time goes to the next waiter.
   *
   * @param options How to give up waiting.
   * @returns A promise of the guard; release it once, or hold it in a `using` declaration.
   * @throws {TypeError} (as a rejection) If `options`, `signal` or `timeout` has the wrong type.
   * @throws {RangeError} (as a rejection) If `timeout` is negative or NaN.
   *
   * @example Give up after a while
   * ```ts
   * import { Semaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const semaphore = new Semaphore(1);
   * using _ = await semaphore.acquire();
   * await assert.rejects(semaphore.acquire({ timeout: 10 }), { name: "TimeoutError" });
   * assert.equal(semaphore.waiting, 0);
   * ```
   */
  acquire(options?: WaitOptions): Promise<Guard> {
    const wait = beginWait("Semaphore.acquire()", options);
    if (wait instanceof Promise) return wait;
    if (this.#available > 0) {
      this.#available--;
      return Promise.resolve(new SemaphoreGuard(this));
    }
    return this.#waiters.wait(wait, "Semaphore.acquire()");
  }

  /**
   * Takes a permit if one is free, without waiting.
   *
   * @returns The guard, or `undefined` if no permit is free.
   *
   * @example Try to take a permit
   * ```ts
   * import { Semaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const semaphore = new Semaphore(1);
   * const guard = semaphore.tryAcquire();
   * assert.ok(guard);
   * assert.equal(semaphore.tryAcquire(), undefined);
   * guard.release();
   * ```
   */
  tryAcquire(): Guard | undefined {
    if (this.#available === 0) return undefined;
    this.#available--;
    return new SemaphoreGuard(this);
  }
}

defineInspect(Semaphore, "Semaphore", (semaphore) => ({
  permits: semaphore.permits,
  available: semaphore.available,
  waiting: semaphore.waiting,
}));
