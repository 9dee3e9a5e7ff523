/**
 * FIFO waiter lists with O(1) removal (an intrusive doubly linked list), armed for abort and
 * timeout with `_options.ts`'s `armWait`.
 *
 * @module
 */

import { armWait, type Wait, withResolvers } from "./_options.ts";

/** One waiting call: a node of a {@linkcode WaiterList}. */
export class Waiter<V, R> {
  prev: Waiter<V, R> | undefined = undefined;
  next: Waiter<V, R> | undefined = undefined;
  linked = false;
  /** Removes the abort listener and clears the timer, if the wait was armed. */
  disarm: (() => void) | undefined = undefined;
  constructor(
    readonly value: V,
    readonly resolve: (result: R) => void,
    readonly reject: (reason: unknown) => void,
  ) {}
}

/**
 * Waiters in arrival order. `shift()` serves the oldest; an aborted or timed-out waiter unlinks
 * itself in O(1) and rejects, so it can never be served afterwards.
 */
export class WaiterList<V, R> {
  #head: Waiter<V, R> | undefined = undefined;
  #tail: Waiter<V, R> | undefined = undefined;
  #length = 0;

  /** How many calls are waiting. */
  get length(): number {
    return this.#length;
  }

  /**
   * Adds a waiter carrying `value` and returns the promise it settles. `wait` must have been
   * read and checked, and its signal must not be aborted.
   *
   * @param value What the waiter carries (a putter's item).
   * @param wait The caller's `{ signal, timeout }`, or `undefined` for none.
   * @param call The operation, for the timeout message, e.g. `Queue.get()`.
   */
  wait(value: V, wait: Wait | undefined, call: string): Promise<R> {
    const { promise, resolve, reject } = withResolvers<R>();
    this.add(new Waiter<V, R>(value, resolve, reject), wait, call);
    return promise;
  }

  /** Links `waiter` last and arms its cancellation (see {@linkcode WaiterList.wait}). */
  add(waiter: Waiter<V, R>, wait: Wait | undefined, call: string): void {
    waiter.linked = true;
    waiter.prev = this.#tail;
    if (this.#tail === undefined) this.#head = waiter;
    else this.#tail.next = waiter;
    this.#tail = waiter;
    this.#length++;
    if (wait !== undefined && (wait.signal !== undefined || wait.timeout !== undefined)) {
      waiter.disarm = armWait(call, wait, (reason) => {
        if (!waiter.linked) return;
        this.remove(waiter);
        waiter.reject(reason);
      });
    }
  }

  /** Unlinks and returns the oldest waiter (its cancellation disarmed), if any. */
  shift(): Waiter<V, R> | undefined {
    const waiter = this.#head;
    if (waiter !== undefined) this.remove(waiter);
    return waiter;
  }

  /** Unlinks `waiter` (if still linked) and disarms its cancellation; settles nothing. */
  remove(waiter: Waiter<V, R>): void {
    if (!waiter.linked) return;
    waiter.linked = false;
    const { prev, next } = waiter;
    if (prev === undefined) this.#head = next;
    else prev.next = next;
    if (next === undefined) this.#tail = prev;
    else next.prev = prev;
    waiter.prev = waiter.next = undefined;
    this.#length--;
    if (waiter.disarm !== undefined) {
      waiter.disarm();
      waiter.disarm = undefined;
    }
  }
}
