/**
 * {@linkcode Event}: a flag that async tasks can wait for.
 *
 * @module
 */
import { beginWait } from "./_options.ts";
import type { WaitOptions } from "./types.ts";
import { WaiterList } from "./_waiters.ts";
import { defineInspect } from "./_inspect.ts";

/**
 * An Event is a flag that tasks wait for: {@linkcode Event.set} raises it and wakes every waiter,
 * {@linkcode Event.clear} lowers it, and {@linkcode Event.wait} returns at once while it is up.
 * Use it to announce a one-off state change ("the config is loaded", "shut down now"). Python's
 * `threading.Event` and `asyncio.Event`.
 *
 * @example Wait until ready
 * ```ts
 * import { Event } from "@effective/concurrency/sync";
 * import assert from "node:assert/strict";
 *
 * const ready = new Event();
 * const started = ready.wait().then(() => "started");
 * ready.set();
 * assert.equal(await started, "started");
 * ```
 */
export class Event {
  #set = false;
  #waiters: WaiterList<void> = new WaiterList<void>();

  /**
   * Whether the flag is up.
   *
   * @example Read the flag
   * ```ts
   * import { Event } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const event = new Event();
   * assert.equal(event.isSet, false);
   * event.set();
   * assert.equal(event.isSet, true);
   * ```
   */
  get isSet(): boolean {
    return this.#set;
  }

  /**
   * How many calls wait for the flag.
   *
   * @example Count the waiters
   * ```ts
   * import { Event } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const event = new Event();
   * const waiting = event.wait();
   * assert.equal(event.waiting, 1);
   * event.set();
   * await waiting;
   * ```
   */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Raises the flag and wakes every waiter, in the order they called `wait()`. Does nothing if it
   * is already up.
   *
   * @example Wake every waiter
   * ```ts
   * import { Event } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const event = new Event();
   * const order: number[] = [];
   * const waiters = [1, 2, 3].map((n) => event.wait().then(() => order.push(n)));
   * event.set();
   * await Promise.all(waiters);
   * assert.deepEqual(order, [1, 2, 3]);
   * ```
   */
  set(): void {
    if (this.#set) return;
    this.#set = true;
    for (let waiter = this.#waiters.shift(); waiter !== undefined; waiter = this.#waiters.shift()) {
      waiter.resolve();
    }
  }

  /**
   * Lowers the flag, so later calls to `wait()` wait again.
   *
   * @example Lower the flag
   * ```ts
   * import { Event } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const event = new Event();
   * event.set();
   * event.clear();
   * await assert.rejects(event.wait({ timeout: 1 }), { name: "TimeoutError" });
   * ```
   */
  clear(): void {
    this.#set = false;
  }

  /**
   * Waits until the flag is up; resolves at once if it already is.
   *
   * Fairness: every waiter wakes on `set()`, in the order they called `wait()`.
   *
   * **Cancellation**: if `signal` aborts while waiting, the call rejects with `signal.reason`; after
   * `timeout` ms it rejects with a `TimeoutError` `DOMException`. A waiter that gave up is not
   * woken by a later `set()`. An already-aborted signal rejects even if the flag is up.
   *
   * Python's `event.wait(timeout)` returns `True` or `False` instead of raising. The same boolean
   * here: `await event.wait({ timeout }).then(() => true, (e) => e?.name === "TimeoutError" ?
   * false : Promise.reject(e))` (see the second example).
   *
   * @param options How to give up waiting.
   * @returns A promise that resolves once the flag is up.
   * @throws {TypeError} (as a rejection) If `options`, `signal` or `timeout` has the wrong type.
   * @throws {RangeError} (as a rejection) If `timeout` is negative or NaN.
   *
   * @example Stop waiting on abort
   * ```ts
   * import { Event } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const event = new Event();
   * const controller = new AbortController();
   * const waiting = event.wait({ signal: controller.signal });
   * controller.abort(new Error("shutting down"));
   * await assert.rejects(waiting, /shutting down/);
   * ```
   *
   * @example Python's boolean result: `True` if set, `False` on a timeout
   * ```ts
   * import { Event } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const event = new Event();
   * const isSet = (timeout: number) =>
   *   event.wait({ timeout }).then(
   *     () => true,
   *     (error) => error?.name === "TimeoutError" ? false : Promise.reject(error),
   *   );
   * assert.equal(await isSet(1), false);
   * event.set();
   * assert.equal(await isSet(1), true);
   * ```
   */
  wait(options?: WaitOptions): Promise<void> {
    const wait = beginWait("Event.wait()", options);
    if (wait instanceof Promise) return wait;
    if (this.#set) return Promise.resolve();
    return this.#waiters.wait(wait, "Event.wait()");
  }
}

defineInspect(Event, "Event", (event) => ({ isSet: event.isSet, waiting: event.waiting }));
