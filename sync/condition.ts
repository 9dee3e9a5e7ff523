/**
 * {@linkcode Condition}: wait, under a {@linkcode Mutex}, until shared state changes.
 *
 * @module
 */
import type { Guard, WaitOptions } from "./types.ts";
import { Mutex } from "./mutex.ts";
import { WaiterList } from "./_waiters.ts";
import { beginWait, checkInteger, invalid, timeoutError } from "./_options.ts";
import type { Wait } from "./_options.ts";
import { mutexHooks } from "./_mutex_hooks.ts";
import { defineInspect } from "./_inspect.ts";

/**
 * A Condition lets tasks wait, while holding a {@linkcode Mutex}, until another task changes the
 * state the mutex guards and notifies them. {@linkcode Condition.wait} releases the mutex while it
 * waits and locks it again before it returns, so the waiter can re-check the state safely.
 * {@linkcode Condition.waitFor} does the re-checking loop for you. Python's `threading.Condition`
 * and `asyncio.Condition`; Go's `sync.Cond`.
 *
 * Use it when waiters need a condition over state ("the buffer has room"), not a one-off flag
 * (use `Event`) or a count (use `Semaphore`).
 *
 * Fairness: notified waiters are woken in the order they called `wait()`, and each re-locks the
 * mutex in that order.
 *
 * @example A one-slot mailbox
 * ```ts
 * import { Condition } from "@effective/concurrency/sync";
 * import assert from "node:assert/strict";
 *
 * const condition = new Condition();
 * let mail: string | undefined;
 *
 * async function receive(): Promise<string> {
 *   using _ = await condition.lock();
 *   await condition.waitFor(() => mail !== undefined);
 *   const letter = mail!;
 *   mail = undefined;
 *   return letter;
 * }
 *
 * const received = receive();
 * {
 *   using _ = await condition.lock();
 *   mail = "hello";
 *   condition.notify();
 * }
 * assert.equal(await received, "hello");
 * ```
 */
export class Condition {
  #mutex: Mutex;
  #waiters: WaiterList<unknown> = new WaiterList<unknown>();

  /**
   * Creates a condition over `mutex`, or over a new mutex.
   *
   * @param mutex The mutex that guards the state; a new one if omitted.
   * @throws {TypeError} If `mutex` is not a {@linkcode Mutex}.
   *
   * @example Share a mutex between two conditions
   * ```ts
   * import { Condition, Mutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new Mutex();
   * const notEmpty = new Condition(mutex);
   * const notFull = new Condition(mutex);
   * assert.equal(notEmpty.mutex, notFull.mutex);
   * ```
   */
  constructor(mutex?: Mutex) {
    if (mutex !== undefined && !(mutex instanceof Mutex)) {
      throw invalid("new Condition()", "mutex", "a Mutex", mutex);
    }
    this.#mutex = mutex ?? new Mutex();
  }

  /**
   * The mutex this condition waits under.
   *
   * @example Read the mutex
   * ```ts
   * import { Condition, Mutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new Mutex();
   * assert.equal(new Condition(mutex).mutex, mutex);
   * ```
   */
  get mutex(): Mutex {
    return this.#mutex;
  }

  /**
   * How many calls wait for a notification.
   *
   * @example Count the waiters
   * ```ts
   * import { Condition } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const condition = new Condition();
   * using _ = await condition.lock();
   * const waiting = condition.wait({ timeout: 10 });
   * assert.equal(condition.waiting, 1);
   * await assert.rejects(waiting, { name: "TimeoutError" });
   * ```
   */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Locks the underlying mutex: the same as `condition.mutex.lock(options)`.
   *
   * @param options How to give up waiting for the lock.
   * @returns A promise of the mutex's guard.
   *
   * @example Lock through the condition
   * ```ts
   * import { Condition } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const condition = new Condition();
   * using _ = await condition.lock();
   * assert.equal(condition.mutex.locked, true);
   * ```
   */
  lock(options?: WaitOptions): Promise<Guard> {
    return mutexHooks.lockAs(this.#mutex, "Condition.lock()", options);
  }

  /**
   * Releases the mutex, waits for a {@linkcode Condition.notify}, then locks the mutex again and
   * resolves. The caller must hold the mutex; its guard stays valid throughout. Wake-ups can be
   * spurious with respect to your state, so re-check it in a loop or use
   * {@linkcode Condition.waitFor}.
   *
   * Fairness: waiters are notified in the order they called `wait()`.
   *
   * **Cancellation**: if `signal` aborts (or `timeout` ms pass) before a notification reaches this
   * waiter, it gives up its place, **locks the mutex again** (waiting for it regardless of the
   * signal, as Python's `Condition.wait` does), and only then rejects with `signal.reason` (or a
   * `TimeoutError` `DOMException`). So the caller always holds the mutex when `wait()` settles.
   * A notification that reached the waiter before the abort is never lost: the call resolves.
   * An already-aborted signal rejects at once without releasing the mutex.
   *
   * Python's `condition.wait(timeout)` returns `False` on a timeout instead of raising. The same
   * boolean here: `await condition.wait({ timeout }).then(() => true, (e) => e?.name ===
   * "TimeoutError" ? false : Promise.reject(e))`; the mutex is held again either way. Prefer
   * {@linkcode Condition.waitFor}, which re-checks the state for you.
   *
   * @param options How to give up waiting for a notification.
   * @returns A promise that resolves, with the mutex held, after a notification.
   * @throws {Error} (as a rejection) If the mutex is not locked.
   * @throws {TypeError} (as a rejection) If `options`, `signal` or `timeout` has the wrong type.
   * @throws {RangeError} (as a rejection) If `timeout` is negative or NaN.
   *
   * @example Wait for a notification
   * ```ts
   * import { Condition } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const condition = new Condition();
   * let done = false;
   * const waiter = (async () => {
   *   using _ = await condition.lock();
   *   while (!done) await condition.wait();
   *   return "woken";
   * })();
   * await Promise.resolve();
   * {
   *   using _ = await condition.lock();
   *   done = true;
   *   condition.notifyAll();
   * }
   * assert.equal(await waiter, "woken");
   * ```
   */
  wait(options?: WaitOptions): Promise<void> {
    const wait = beginWait("Condition.wait()", options);
    if (wait instanceof Promise) return wait;
    if (!this.#mutex.locked) return Promise.reject(notLocked("Condition.wait()"));
    return this.#wait(wait, "Condition.wait()");
  }

  // Releases the mutex, waits for a notification (or the wait's end), locks the mutex again.
  async #wait(wait: Wait, call: string): Promise<void> {
    const guard = mutexHooks.unlock(this.#mutex);
    try {
      await this.#waiters.wait(wait, call, guard);
    } catch (reason) {
      await mutexHooks.relock(this.#mutex, guard);
      throw reason;
    }
  }

  /**
   * Waits until `predicate` returns a truthy value, calling it under the mutex first and again
   * after each notification, and resolves with that value. The caller must hold the mutex.
   *
   * Fairness and cancellation as for {@linkcode Condition.wait}; `timeout` bounds the whole call,
   * not each wait, and the mutex is held again when the call settles either way. When the
   * timeout passes, the predicate is checked once more after the mutex is locked again (the state
   * may have changed while this waiter queued for it): a truthy result resolves, as Python's
   * `wait_for` returns it; only a falsy one rejects with a `TimeoutError` (Python returns the
   * falsy value instead). An abort of `signal` rejects with `signal.reason` without that last
   * check, even when the reason is a `TimeoutError` (`AbortSignal.timeout()`).
   *
   * @typeParam T What `predicate` returns.
   * @param predicate Checks the guarded state.
   * @param options How to give up waiting.
   * @returns A promise of the predicate's first truthy result.
   * @throws {TypeError} (as a rejection) If `predicate` is not a function, or the options are
   * malformed.
   * @throws {Error} (as a rejection) If the mutex is not locked.
   *
   * @example Wait for a count
   * ```ts
   * import { Condition } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const condition = new Condition();
   * let items = 0;
   * const consumer = (async () => {
   *   using _ = await condition.lock();
   *   return await condition.waitFor(() => items >= 2 && items);
   * })();
   * for (let i = 0; i < 2; i++) {
   *   using _ = await condition.lock();
   *   items++;
   *   condition.notify();
   * }
   * assert.equal(await consumer, 2);
   * ```
   */
  async waitFor<T>(predicate: () => T, options?: WaitOptions): Promise<T> {
    const call = "Condition.waitFor()";
    if (typeof predicate !== "function") throw invalid(call, "predicate", "a function", predicate);
    const wait = beginWait(call, options);
    if (wait instanceof Promise) return wait;
    if (!this.#mutex.locked) throw notLocked(call);
    const { signal, timeout } = wait;
    const deadline = timeout === undefined ? undefined : performance.now() + timeout;
    for (;;) {
      const result = predicate();
      if (result) return result;
      const remaining = deadline === undefined
        ? undefined
        : Math.max(0, deadline - performance.now());
      try {
        await this.#wait({ signal, timeout: remaining }, call);
      } catch (reason) {
        // An abort rejects with signal.reason, even when that is itself a TimeoutError (as
        // from AbortSignal.timeout()): only this call's own `timeout` re-checks.
        if (timeout === undefined || (signal?.aborted === true && reason === signal.reason)) {
          throw reason;
        }
        if (!(reason instanceof DOMException && reason.name === "TimeoutError")) throw reason;
        // The state may have changed while this waiter re-locked the mutex: as Python's
        // wait_for does, the predicate decides, not the clock.
        const last = predicate();
        if (last) return last;
        throw timeoutError(call, timeout);
      }
    }
  }

  /**
   * Wakes up to `n` waiters, oldest first. Each re-locks the mutex once the caller releases it.
   * The caller must hold the mutex.
   *
   * @param n How many waiters to wake; a non-negative integer.
   * @default {1}
   * @throws {TypeError} If `n` is not a number.
   * @throws {RangeError} If `n` is not a non-negative integer.
   * @throws {Error} If the mutex is not locked.
   *
   * @example Wake one waiter
   * ```ts
   * import { Condition } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const condition = new Condition();
   * using _ = await condition.lock();
   * condition.notify(); // nobody waits: nothing happens
   * assert.equal(condition.waiting, 0);
   * ```
   */
  notify(n: number = 1): void {
    checkInteger("Condition.notify()", "n", n, 0, Infinity);
    this.#notify(n, "Condition.notify()");
  }

  /**
   * Wakes every waiter, oldest first. The caller must hold the mutex.
   *
   * @throws {Error} If the mutex is not locked.
   *
   * @example Wake every waiter
   * ```ts
   * import { Condition } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const condition = new Condition();
   * let go = false;
   * const waiter = async () => {
   *   using _ = await condition.lock();
   *   await condition.waitFor(() => go);
   * };
   * const all = Promise.all([waiter(), waiter(), waiter()]);
   * await Promise.resolve();
   * {
   *   using _ = await condition.lock();
   *   go = true;
   *   condition.notifyAll();
   * }
   * await all;
   * assert.equal(condition.waiting, 0);
   * ```
   */
  notifyAll(): void {
    this.#notify(Infinity, "Condition.notifyAll()");
  }

  #notify(n: number, call: string): void {
    if (!this.#mutex.locked) throw notLocked(call);
    for (let i = 0; i < n; i++) {
      const waiter = this.#waiters.shift();
      if (waiter === undefined) return;
      // Queue for the mutex now, so notified waiters re-lock in the order they were woken.
      waiter.resolve(mutexHooks.relock(this.#mutex, waiter.data as Guard));
    }
  }
}

function notLocked(call: string): Error {
  return new Error(`${call}: the mutex is not locked; lock it first`);
}

defineInspect(Condition, "Condition", (condition) => ({
  locked: condition.mutex.locked,
  waiting: condition.waiting,
}));
