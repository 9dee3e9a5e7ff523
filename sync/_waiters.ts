// The FIFO waiter list every async primitive queues on: an intrusive doubly linked list, so an
// aborted or timed-out waiter leaves in O(1), and the free path of a lock never touches it.
import { armWait, withResolvers } from "./_options.ts";
import type { Wait } from "./_options.ts";

/** One queued call. `data` is whatever the primitive needs to remember about it. */
export class Waiter<T> {
  previous: Waiter<T> | undefined = undefined;
  next: Waiter<T> | undefined = undefined;
  queued = true;
  /** Removes the abort listener and timer; set only for a wait with a signal or timeout. */
  disarm: (() => void) | undefined = undefined;
  constructor(
    readonly resolve: (value: T | PromiseLike<T>) => void,
    readonly reject: (reason: unknown) => void,
    readonly data: unknown,
  ) {}
}

/** A FIFO list of waiters. */
export class WaiterList<T> {
  #head: Waiter<T> | undefined = undefined;
  #tail: Waiter<T> | undefined = undefined;
  #length = 0;

  /** How many calls wait. */
  get length(): number {
    return this.#length;
  }

  /** The oldest waiter, still queued. */
  get head(): Waiter<T> | undefined {
    return this.#head;
  }

  #unlink(waiter: Waiter<T>): void {
    if (waiter.previous === undefined) this.#head = waiter.next;
    else waiter.previous.next = waiter.next;
    if (waiter.next === undefined) this.#tail = waiter.previous;
    else waiter.next.previous = waiter.previous;
    waiter.previous = waiter.next = undefined;
    waiter.queued = false;
    this.#length--;
  }

  /**
   * Takes the oldest waiter off the list, with its listener and timer removed: the caller must
   * settle it. Once taken, an abort or timeout no longer reaches it.
   */
  shift(): Waiter<T> | undefined {
    const waiter = this.#head;
    if (waiter === undefined) return undefined;
    this.#unlink(waiter);
    waiter.disarm?.();
    return waiter;
  }

  /**
   * Queues a call and returns its promise. If `wait.signal` aborts or `wait.timeout` passes
   * while it is still queued, it leaves the list, rejects, then `onCancel` runs (to let others
   * move up). The caller has read the options with `readWait()` and checked that the signal is
   * not aborted.
   */
  wait(
    wait: Wait | undefined,
    call: string,
    data?: unknown,
    onCancel?: () => void,
  ): Promise<T> {
    const { promise, resolve, reject } = withResolvers<T>();
    const waiter = new Waiter<T>(resolve, reject, data);
    if (this.#tail === undefined) this.#head = waiter;
    else {
      this.#tail.next = waiter;
      waiter.previous = this.#tail;
    }
    this.#tail = waiter;
    this.#length++;
    if (wait === undefined || wait.signal === undefined && wait.timeout === undefined) {
      return promise;
    }
    waiter.disarm = armWait(call, wait, (reason) => {
      if (!waiter.queued) return;
      this.#unlink(waiter);
      reject(reason);
      onCancel?.();
    });
    return promise;
  }
}
