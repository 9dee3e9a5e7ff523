/** Argument checks shared by the pools. Messages name the call, the argument and the value. */

/** Shows a value in an error message. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return "a function";
  if (value === null) return "null";
  if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
  return String(value);
}

/** Throws unless `value` is a positive integer (`Infinity` too if `allowInfinity`). */
export function positiveInteger(
  what: string,
  name: string,
  value: unknown,
  allowInfinity = false,
): number {
  if (typeof value !== "number") {
    throw new TypeError(`${what}: '${name}' must be a positive integer, got ${show(value)}`);
  }
  if (!(Number.isInteger(value) && value >= 1) && !(allowInfinity && value === Infinity)) {
    throw new RangeError(
      `${what}: '${name}' must be a positive integer${allowInfinity ? " or Infinity" : ""}, got ${
        show(value)
      }`,
    );
  }
  return value;
}

/** Throws unless `value` is a non-negative integer or `Infinity`. */
export function queueLimit(what: string, name: string, value: unknown): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `${what}: '${name}' must be a non-negative integer or Infinity, got ${show(value)}`,
    );
  }
  if (!(Number.isInteger(value) && value >= 0) && value !== Infinity) {
    throw new RangeError(
      `${what}: '${name}' must be a non-negative integer or Infinity, got ${show(value)}`,
    );
  }
  return value;
}

/** Throws unless `value` is `undefined` or an object (an options bag). */
export function optionsObject(what: string, value: unknown): void {
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw new TypeError(`${what}: 'options' must be an object, got ${show(value)}`);
  }
}

/** Throws unless `value` is `undefined` or an `AbortSignal`. */
export function signalOption(what: string, value: unknown): AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) {
    throw new TypeError(`${what}: 'signal' must be an AbortSignal, got ${show(value)}`);
  }
  return value;
}

/** The largest delay `setTimeout` honours. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * Throws unless `value` is `undefined`, `Infinity` or a delay in ms that `setTimeout` honours.
 * Returns `undefined` for "no timeout".
 */
export function timeoutOption(what: string, value: unknown): number | undefined {
  if (value === undefined || value === Infinity) return undefined;
  if (typeof value !== "number") {
    throw new TypeError(`${what}: 'timeout' must be a number of milliseconds, got ${show(value)}`);
  }
  if (!(value >= 0 && value <= MAX_DELAY)) {
    throw new RangeError(
      `${what}: 'timeout' must be between 0 and ${MAX_DELAY} ms or Infinity, got ${show(value)}`,
    );
  }
  return value;
}

/** The error of a wait that timed out. */
export function timeoutError(thing: string, ms: number): DOMException {
  return new DOMException(`${thing} timed out after ${ms} ms`, "TimeoutError");
}
