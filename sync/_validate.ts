// Argument checks shared by the primitives. They return the error rather than throw it, so a
// promise-returning fast path can reject without a try/catch.
import type { BlockingWaitOptions, WaitOptions } from "./types.ts";

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value !== "object" && typeof value !== "function") {
    return String(value);
  }
  return Object.prototype.toString.call(value).slice(8, -1).toLowerCase();
}

function checkTimeout(what: string, timeout: unknown): Error | undefined {
  if (timeout === undefined) return undefined;
  if (typeof timeout !== "number") {
    return new TypeError(`Cannot call ${what}: 'timeout' must be a number, got ${show(timeout)}`);
  }
  if (!(timeout >= 0)) {
    return new RangeError(
      `Cannot call ${what}: 'timeout' must be a non-negative number of milliseconds, got ${timeout}`,
    );
  }
  // setTimeout cannot hold more than 2^31 - 1 ms; a longer delay would fire after 1 ms.
  if (timeout > 2147483647 && timeout !== Infinity) {
    return new RangeError(
      `Cannot call ${what}: 'timeout' must be at most 2147483647 ms (about 24.8 days) or Infinity, got ${timeout}`,
    );
  }
  return undefined;
}

/** Checks `{ signal, timeout }`; returns the error to throw, if any. */
export function waitOptionsError(what: string, options: unknown): Error | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== "object") {
    return new TypeError(`Cannot call ${what}: 'options' must be an object, got ${show(options)}`);
  }
  const { signal, timeout } = options as WaitOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    return new TypeError(
      `Cannot call ${what}: 'signal' must be an AbortSignal, got ${show(signal)}`,
    );
  }
  return checkTimeout(what, timeout);
}

/** Checks `{ timeout }` of a blocking call; returns the error to throw, if any. */
export function blockingOptionsError(what: string, options: unknown): Error | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== "object") {
    return new TypeError(`Cannot call ${what}: 'options' must be an object, got ${show(options)}`);
  }
  return checkTimeout(what, (options as BlockingWaitOptions).timeout);
}

/** Checks a count such as `permits` or `parties`: a positive integer up to `max`. */
export function checkCount(what: string, name: string, value: unknown, max: number): void {
  if (typeof value !== "number") {
    throw new TypeError(`Cannot ${what}: '${name}' must be a number, got ${show(value)}`);
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Cannot ${what}: '${name}' must be a positive integer, got ${value}`);
  }
  if (value > max) {
    throw new RangeError(`Cannot ${what}: '${name}' must be at most ${max}, got ${value}`);
  }
}

/** The error a timed-out wait rejects with. */
export function timeoutError(what: string, timeout: number): DOMException {
  return new DOMException(`${what} timed out after ${timeout} ms`, "TimeoutError");
}

/** The error for releasing a guard twice. */
export function releasedTwice(what: string): Error {
  return new Error(`Cannot release ${what} guard: it was already released`);
}
