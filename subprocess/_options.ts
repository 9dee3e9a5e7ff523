// The package's one convention for arguments, options and waits. Every topic folder holds an
// identical copy of this file (so a folder still copies alone); `_tools/options_copies_test.ts`
// fails when the copies differ. Change them all at once: `deno run -A _tools/sync_options.ts`.
//
// The rule (STYLE.md in the repository root says it in full):
// - A wrong type is a `TypeError`, a value out of range a `RangeError`. The message is
//   `<call>: '<name>' must be <expected>, got <value>`, built only by `invalid()`, so one mistake
//   has one message in every topic.
// - Each option is read exactly once, into a local, before anything is checked or used.
// - A method that returns a promise rejects with these errors; it never throws synchronously.

/** Shows a value in an error message: strings quoted, numbers as written, else its kind. */
export function show(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "bigint":
      return `${value}n`;
    case "function":
      return "a function";
    case "symbol":
      return value.toString();
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) return "an array";
      const proto = Object.getPrototypeOf(value);
      if (proto === null || proto === Object.prototype) return "an object";
      const name = proto.constructor?.name;
      return typeof name === "string" && name !== "" ? `an instance of ${name}` : "an object";
    }
    default:
      // number (NaN, -1, Infinity), boolean, undefined
      return String(value);
  }
}

/**
 * The error for an argument that is not what it must be: a `RangeError` when `range` is true (the
 * type is right, the value is not), else a `TypeError`.
 *
 * @param call The call, as the user wrote it: `Mutex.lock()`, `new Queue()`.
 * @param name The argument or option: `timeout`, `options`, `argv[0]`.
 * @param expected What it must be: `an AbortSignal`, `an integer from 1 to 1024`.
 * @param value What it was.
 */
export function invalid(
  call: string,
  name: string,
  expected: string,
  value: unknown,
  range = false,
): TypeError | RangeError {
  const message = `${call}: '${name}' must be ${expected}, got ${show(value)}`;
  return range ? new RangeError(message) : new TypeError(message);
}

/** The longest delay `setTimeout` honours (a longer one fires after 1 ms). */
export const MAX_TIMEOUT = 2147483647;

/** Reads an options argument: `undefined` becomes `{}`; anything but an object is refused. */
export function readOptions<T extends object>(call: string, options: T | undefined): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null) {
    throw invalid(call, "options", "an object", options);
  }
  return options;
}

/** Checks an `AbortSignal` option (already read); `undefined` passes. */
export function checkSignal(call: string, name: string, signal: unknown): AbortSignal | undefined {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw invalid(call, name, "an AbortSignal", signal);
  }
  return signal;
}

/**
 * Checks a timeout in milliseconds (already read): `undefined` and `Infinity` mean none and
 * return `undefined`; otherwise a number from 0 to {@linkcode MAX_TIMEOUT}.
 */
export function checkTimeout(call: string, name: string, timeout: unknown): number | undefined {
  if (timeout === undefined || timeout === Infinity) return undefined;
  if (typeof timeout !== "number") {
    throw invalid(call, name, "a number of milliseconds", timeout);
  }
  if (!(timeout >= 0 && timeout <= MAX_TIMEOUT)) {
    throw invalid(
      call,
      name,
      `a number of milliseconds from 0 to ${MAX_TIMEOUT}, or Infinity`,
      timeout,
      true,
    );
  }
  return timeout;
}

/**
 * Checks an integer argument from `min` to `max` (inclusive; `max` may be `Infinity`, and then
 * `Infinity` itself is accepted).
 */
export function checkInteger(
  call: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== "number") throw invalid(call, name, expectedInteger(min, max), value);
  if (
    !((Number.isSafeInteger(value) || value === Infinity && max === Infinity) &&
      value >= min && value <= max)
  ) {
    throw invalid(call, name, expectedInteger(min, max), value, true);
  }
  return value;
}

function expectedInteger(min: number, max: number): string {
  return max === Infinity
    ? `an integer from ${min} up, or Infinity`
    : `an integer from ${min} to ${max}`;
}

/** Checks a boolean option (already read); `undefined` gives `fallback`. */
export function checkBoolean(
  call: string,
  name: string,
  value: unknown,
  fallback: boolean,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw invalid(call, name, "a boolean", value);
  return value;
}

/** Checks a function option (already read); `undefined` passes. */
export function checkFunction<F>(call: string, name: string, value: unknown): F | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw invalid(call, name, "a function", value);
  }
  return value as F | undefined;
}

/** The `{ signal, timeout }` every wait takes, read once and checked. */
export interface Wait {
  signal: AbortSignal | undefined;
  /** In ms; `undefined` for none (also for `Infinity`). */
  timeout: number | undefined;
}

/** Reads and checks a wait's `{ signal, timeout }` options: each is read exactly once. */
export function readWait(
  call: string,
  options: { signal?: AbortSignal; timeout?: number } | undefined,
): Wait {
  const { signal, timeout } = readOptions(call, options);
  return {
    signal: checkSignal(call, "signal", signal),
    timeout: checkTimeout(call, "timeout", timeout),
  };
}

/** The wait of a call given no options. */
export const NO_WAIT: Wait = Object.freeze({ signal: undefined, timeout: undefined });

/**
 * Begins a wait for a method that returns a promise: reads `{ signal, timeout }` (each once) and
 * returns the wait, or the rejected promise the method must return instead (malformed options, a
 * throwing getter, an already-aborted signal). Never throws.
 */
export function beginWait(
  call: string,
  options: { signal?: AbortSignal; timeout?: number } | undefined,
): Wait | Promise<never> {
  if (options === undefined) return NO_WAIT;
  let wait: Wait;
  try {
    wait = readWait(call, options);
  } catch (error) {
    return Promise.reject(error);
  }
  if (wait.signal?.aborted) return Promise.reject(wait.signal.reason);
  return wait;
}

/** The error a timed-out wait rejects with: a `TimeoutError` `DOMException`. */
export function timeoutError(call: string, timeout: number): DOMException {
  return new DOMException(`${call} timed out after ${timeout} ms`, "TimeoutError");
}

/**
 * Arms a wait's cancellation: calls `cancel(reason)` at most once, with `signal.reason` when the
 * signal aborts or a {@linkcode timeoutError} when the timeout passes. Returns the disarm function
 * (removes the listener and clears the timer); call it when the wait ends any other way. A signal
 * that is already aborted cancels synchronously, before this returns.
 */
export function armWait(call: string, wait: Wait, cancel: (reason: unknown) => void): () => void {
  const { signal, timeout } = wait;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  let armed = true;
  const disarm = () => {
    if (!armed) return;
    armed = false;
    if (timer !== undefined) clearTimeout(timer);
    if (onAbort !== undefined) signal!.removeEventListener("abort", onAbort);
  };
  if (signal !== undefined) {
    if (signal.aborted) {
      armed = false;
      cancel(signal.reason);
      return disarm;
    }
    onAbort = () => {
      disarm();
      cancel(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  }
  if (timeout !== undefined) {
    timer = setTimeout(() => {
      disarm();
      cancel(timeoutError(call, timeout));
    }, timeout);
  }
  return disarm;
}

/** `Promise.withResolvers()`, with a fallback for runtimes without it (Node 20, Safari 17.3). */
export function withResolvers<T>(): {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
} {
  if (typeof Promise.withResolvers === "function") return Promise.withResolvers<T>();
  let resolve!: (value: T | PromiseLike<T>) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
