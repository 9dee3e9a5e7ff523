/**
 * FIFO waiter lists with O(1) removal (an intrusive doubly linked list), and the abort/timeout
 * wiring shared by every waiting method of a queue.
 *
 * @module
 */

/** The `{ signal, timeout }` options every wait takes. */
export interface WaitOptionsLike {
  signal?: AbortSignal;
  timeout?: number;
}

/**
 * Validates wait options. Returns the error to reject with, or `undefined` if they are valid.
 *
 * @param options What the caller passed.
 * @param what The operation, e.g. `Queue.get()`, for the message.
 */
export function checkWaitOptions(options: unknown, what: string): Error | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== "object") {
    return new TypeError(`Cannot call ${what}: 'options' must be an object, got ${show(options)}`);
  }
  const { signal, timeout } = options as WaitOptionsLike;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    return new TypeError(
      `Cannot call ${what}: 'signal' must be an AbortSignal, got ${show(signal)}`,
    );
  }
  if (timeout !== undefined) {
    if (typeof timeout !== "number") {
      return new TypeError(
        `Cannot call ${what}: 'timeout' must be a number of milliseconds, got ${show(timeout)}`,
      );
    }
    if (!(timeout >= 0)) {
      return new RangeError(
        `Cannot call ${what}: 'timeout' must be a non-negative number of milliseconds, got ${
          show(timeout)
        }`,
      );
    }
    // setTimeout cannot hold more than 2^31 - 1 ms; a longer delay would fire after 1 ms.
    if (timeout > 2147483647 && timeout !== Infinity) {
      return new RangeError(
        `Cannot call ${what}: 'timeout' must be at most 2147483647 ms (about 24.8 days) or Infinity, got ${timeout}`,
      );
    }
  }
  return undefined;
}

/** Formats a value for an error message. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (Array.isArray(value)) return "an array";
  if (value !== null && typeof value === "object") {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return name && name !== "Object" ? `a ${name}` : "an object";
  }
  return String(value);
}

/** One waiting call: a node of a {@linkcode WaiterList}. */
export class Waiter<V, R> {
  prev: Waiter<V, R> | undefined = undefined;
  next: Waiter<V, R> | undefined = undefined;
  linked = false;
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
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
   * Adds a waiter carrying `value` and returns the promise it settles. The options must have
   * been validated and `signal` must not be aborted.
   *
   * @param value What the waiter carries (a putter's item).
   * @param options The caller's `{ signal, timeout }`.
   * @param what The operation, for the timeout message, e.g. `Queue.get()`.
   */
  wait(value: V, options: WaitOptionsLike | undefined, what: string): Promise<R> {
    const { promise, resolve, reject } = Promise.withResolvers<R>();
    const waiter = new Waiter<V, R>(value, resolve, reject);
    this.#link(waiter);
    if (options !== undefined) {
      const { signal, timeout } = options;
      if (signal !== undefined) {
        waiter.signal = signal;
        waiter.onAbort = () => this.#cancel(waiter, signal.reason);
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      if (timeout !== undefined && timeout !== Infinity) {
        waiter.timer = setTimeout(() => {
          waiter.timer = undefined;
          this.#cancel(
            waiter,
            new DOMException(`${what} timed out after ${timeout} ms`, "TimeoutError"),
          );
        }, timeout);
      }
    }
    return promise;
  }

  /** Unlinks and returns the oldest waiter (its abort listener and timer removed), if any. */
  shift(): Waiter<V, R> | undefined {
    const waiter = this.#head;
    if (waiter !== undefined) this.#unlink(waiter);
    return waiter;
  }

  #cancel(waiter: Waiter<V, R>, reason: unknown): void {
    if (!waiter.linked) return;
    this.#unlink(waiter);
    waiter.reject(reason);
  }

  #link(waiter: Waiter<V, R>): void {
    waiter.linked = true;
    waiter.prev = this.#tail;
    if (this.#tail === undefined) this.#head = waiter;
    else this.#tail.next = waiter;
    this.#tail = waiter;
    this.#length++;
  }

  #unlink(waiter: Waiter<V, R>): void {
    waiter.linked = false;
    const { prev, next } = waiter;
    if (prev === undefined) this.#head = next;
    else prev.next = next;
    if (next === undefined) this.#tail = prev;
    else next.prev = prev;
    waiter.prev = waiter.next = undefined;
    this.#length--;
    if (waiter.timer !== undefined) {
      clearTimeout(waiter.timer);
      waiter.timer = undefined;
    }
    if (waiter.onAbort !== undefined) {
      waiter.signal!.removeEventListener("abort", waiter.onAbort);
      waiter.onAbort = undefined;
      waiter.signal = undefined;
    }
  }
}
