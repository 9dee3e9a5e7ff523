/**
 * {@linkcode Mutex}: mutual exclusion for async tasks on one thread.
 *
 * @module
 */
import type { Guard, WaitOptions } from "./types.ts";
import { WaiterList } from "./_waiters.ts";
import { releasedTwice } from "./_validate.ts";
import { beginWait, invalid } from "./_options.ts";
import { mutexHooks } from "./_mutex_hooks.ts";
import { defineInspect } from "./_inspect.ts";

let releaseMutex: (mutex: Mutex, guard: MutexGuard) => void;

class MutexGuard implements Guard {
  #mutex: Mutex;
  constructor(mutex: Mutex) {
    this.#mutex = mutex;
  }
  release(): void {
    releaseMutex(this.#mutex, this);
  }
  [Symbol.dispose](): void {
    releaseMutex(this.#mutex, this);
  }
}

/**
 * A Mutex lets one async task at a time into a critical section: the section that reads shared
 * state, `await`s, then writes it back. JavaScript runs one task at a time, but an `await` in the
 * middle of a read-modify-write lets another task in, and one of the two updates is lost; holding
 * the mutex across the `await` keeps the update whole.
 *
 * Fairness: waiters get the lock in the order they called {@linkcode Mutex.lock}. A release hands
 * the lock straight to the oldest waiter, so a task that arrives later cannot barge in, not even
 * with {@linkcode Mutex.tryLock}.
 *
 * The mutex lives on one thread. To share a lock between workers, use `SharedMutex`.
 *
 * @example Keep a read-await-write update whole
 * ```ts
 * import { Mutex } from "@effective/concurrency/sync";
 * import assert from "node:assert/strict";
 *
 * const mutex = new Mutex();
 * let count = 0;
 * async function increment(): Promise<void> {
 *   using _ = await mutex.lock();
 *   const value = count;
 *   await Promise.resolve(); // some I/O
 *   count = value + 1;
 * }
 * await Promise.all([increment(), increment(), increment()]);
 * assert.equal(count, 3);
 * ```
 */
export class Mutex {
  #owner: MutexGuard | undefined = undefined;
  #waiters: WaiterList<Guard> = new WaiterList<Guard>();

  static {
    releaseMutex = (mutex, guard) => mutex.#release(guard);
    mutexHooks.unlock = (mutex) => {
      const guard = mutex.#owner!;
      mutex.#release(guard);
      return guard;
    };
    mutexHooks.lockAs = (mutex, call, options) => mutex.#lockWith(options, call);
    mutexHooks.relock = (mutex, guard) => {
      if (mutex.#owner === undefined) {
        mutex.#owner = guard as MutexGuard;
        return Promise.resolve();
      }
      return mutex.#waiters.wait(undefined, "", guard);
    };
  }

  #release(guard: MutexGuard): void {
    if (this.#owner !== guard) throw releasedTwice("Mutex");
    const next = this.#waiters.shift();
    if (next === undefined) {
      this.#owner = undefined;
      return;
    }
    const owner = (next.data as MutexGuard | undefined) ?? new MutexGuard(this);
    this.#owner = owner;
    next.resolve(owner);
  }

  /**
   * Whether a task holds the lock.
   *
   * @example Check the state
   * ```ts
   * import { Mutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new Mutex();
   * assert.equal(mutex.locked, false);
   * using _ = await mutex.lock();
   * assert.equal(mutex.locked, true);
   * ```
   */
  get locked(): boolean {
    return this.#owner !== undefined;
  }

  /**
   * How many calls wait for the lock.
   *
   * @example Count the waiters
   * ```ts
   * import { Mutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new Mutex();
   * const guard = await mutex.lock();
   * const next = mutex.lock();
   * assert.equal(mutex.waiting, 1);
   * guard.release();
   * (await next).release();
   * ```
   */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Locks the mutex, waiting while another task holds it, and returns a guard that unlocks it.
   *
   * Fairness: waiters are served in the order they called `lock()`; the free path returns an
   * already-resolved promise and queues nothing.
   *
   * **Cancellation**: if `signal` aborts while waiting, the call rejects with `signal.reason` and
   * gives up its place; after `timeout` ms it rejects with a `TimeoutError` `DOMException`. A
   * waiter that gave up never gets the lock afterwards: it passes to the next waiter. If the lock
   * was handed over before the abort, the call resolves and the caller must release the guard.
   *
   * @param options How to give up waiting.
   * @returns A promise of the guard; release it once, or hold it in a `using` declaration.
   * @throws {TypeError} (as a rejection) If `options`, `signal` or `timeout` has the wrong type.
   * @throws {RangeError} (as a rejection) If `timeout` is negative or NaN.
   *
   * @example Lock with a timeout
   * ```ts
   * import { Mutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new Mutex();
   * using _ = await mutex.lock();
   * await assert.rejects(mutex.lock({ timeout: 10 }), { name: "TimeoutError" });
   * ```
   */
  lock(options?: WaitOptions): Promise<Guard> {
    if (options !== undefined) return this.#lockWith(options);
    if (this.#owner === undefined) {
      const guard = new MutexGuard(this);
      this.#owner = guard;
      return Promise.resolve(guard);
    }
    return this.#waiters.wait(undefined, "Mutex.lock()");
  }

  #lockWith(options: WaitOptions | undefined, call = "Mutex.lock()"): Promise<Guard> {
    const wait = beginWait(call, options);
    if (wait instanceof Promise) return wait;
    if (this.#owner === undefined) {
      const guard = new MutexGuard(this);
      this.#owner = guard;
      return Promise.resolve(guard);
    }
    return this.#waiters.wait(wait, call);
  }

  /**
   * Locks the mutex if it is free, without waiting.
   *
   * @returns The guard, or `undefined` if the mutex is held (or has waiters).
   *
   * @example Try to lock
   * ```ts
   * import { Mutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new Mutex();
   * const guard = mutex.tryLock();
   * assert.ok(guard);
   * assert.equal(mutex.tryLock(), undefined);
   * guard.release();
   * ```
   */
  tryLock(): Guard | undefined {
    if (this.#owner !== undefined) return undefined;
    const guard = new MutexGuard(this);
    this.#owner = guard;
    return guard;
  }

  /**
   * Runs `fn` while holding the lock and releases it when `fn` settles, whether it returns or
   * throws. Waiting for the lock behaves as {@linkcode Mutex.lock} does (FIFO; `signal` and
   * `timeout` apply to the wait only, not to `fn`).
   *
   * @typeParam T What `fn` returns.
   * @param fn The critical section.
   * @param options How to give up waiting for the lock.
   * @returns A promise of what `fn` returns.
   * @throws {TypeError} (as a rejection) If `fn` is not a function, or the options are malformed.
   *
   * @example Run a critical section
   * ```ts
   * import { Mutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new Mutex();
   * const balance = { value: 100 };
   * const withdraw = (amount: number) =>
   *   mutex.withLock(async () => {
   *     const value = balance.value;
   *     await Promise.resolve();
   *     if (value < amount) throw new Error("insufficient funds");
   *     balance.value = value - amount;
   *     return balance.value;
   *   });
   * assert.equal(await withdraw(30), 70);
   * await assert.rejects(withdraw(100), /insufficient/);
   * assert.equal(mutex.locked, false);
   * ```
   */
  async withLock<T>(fn: () => T | PromiseLike<T>, options?: WaitOptions): Promise<T> {
    if (typeof fn !== "function") throw invalid("Mutex.withLock()", "fn", "a function", fn);
    // try/finally rather than `using`: cheaper in V8 today, and it survives down-levelling for
    // engines without `Symbol.dispose`.
    const guard = await this.lock(options);
    try {
      return await fn();
    } finally {
      guard.release();
    }
  }
}

defineInspect(Mutex, "Mutex", (mutex) => ({ locked: mutex.locked, waiting: mutex.waiting }));
