// The FIFO waiter list every async primitive queues on: an intrusive doubly linked list, so an
// aborted or timed-out waiter leaves in O(1), and the free path of a lock never touches it.
import type { WaitOptions } from "./types.ts";
import { timeoutError } from "./_validate.ts";

/** One queued call. `data` is whatever the primitive needs to remember about it. */
export class Waiter<T> {
  prev: Waiter<T> | undefined = undefined;
  next: Waiter<T> | undefined = undefined;
  queued = true;
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
  constructor(
    readonly resolve: (value: T | PromiseLike<T>) => void,
    readonly reject: (reason: unknown) => void,
    readonly data: unknown,
  ) {}
}

/** Removes the waiter's abort listener and timer. */
function cleanup<T>(w: Waiter<T>): void {
  if (w.signal !== undefined) {
    w.signal.removeEventListener("abort", w.onAbort!);
    w.signal = undefined;
  }
  if (w.timer !== undefined) {
    clearTimeout(w.timer);
    w.timer = undefined;
  }
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

  #unlink(w: Waiter<T>): void {
    if (w.prev === undefined) this.#head = w.next;
    else w.prev.next = w.next;
    if (w.next === undefined) this.#tail = w.prev;
    else w.next.prev = w.prev;
    w.prev = w.next = undefined;
    w.queued = false;
    this.#length--;
  }

  /**
   * Takes the oldest waiter off the list, with its listener and timer removed: the caller must
   * settle it. Once taken, an abort or timeout no longer reaches it.
   */
  shift(): Waiter<T> | undefined {
    const w = this.#head;
    if (w === undefined) return undefined;
    this.#unlink(w);
    cleanup(w);
    return w;
  }

  /**
   * Queues a call and returns its promise. If `signal` aborts or `timeout` passes while it is
   * still queued, it leaves the list, rejects, then `onCancel` runs (to let others move up).
   * The caller has checked the options and that the signal is not aborted.
   */
  wait(
    options: WaitOptions | undefined,
    what: string,
    data?: unknown,
    onCancel?: () => void,
  ): Promise<T> {
    const { promise, resolve, reject } = Promise.withResolvers<T>();
    const w = new Waiter<T>(resolve, reject, data);
    if (this.#tail === undefined) this.#head = w;
    else {
      this.#tail.next = w;
      w.prev = this.#tail;
    }
    this.#tail = w;
    this.#length++;
    if (options === undefined) return promise;
    const { signal, timeout } = options;
    if (signal === undefined && (timeout === undefined || timeout === Infinity)) return promise;
    const cancel = (reason: unknown): void => {
      if (!w.queued) return;
      this.#unlink(w);
      cleanup(w);
      reject(reason);
      onCancel?.();
    };
    if (signal !== undefined) {
      w.signal = signal;
      w.onAbort = () => cancel(signal.reason);
      signal.addEventListener("abort", w.onAbort, { once: true });
    }
    if (timeout !== undefined && timeout !== Infinity) {
      w.timer = setTimeout(() => cancel(timeoutError(what, timeout)), timeout);
    }
    return promise;
  }
}
