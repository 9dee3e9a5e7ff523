/**
 * Argument checks shared by the pools (messages name the call, the argument and the value), and
 * small helpers they share.
 */

/** Shows a value in an error message. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return "a function";
  if (value === null) return "null";
  if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
  return String(value);
}

/**
 * The error for an argument that is not what it must be:
 * `<what>: '<name>' must be <expected>, got <value>`, a `RangeError` if `range`, else a `TypeError`.
 */
export function invalid(
  what: string,
  name: string,
  expected: string,
  value: unknown,
  range?: boolean,
): Error {
  return new (range ? RangeError : TypeError)(
    `${what}: '${name}' must be ${expected}, got ${show(value)}`,
  );
}

/** Throws unless `value` is a positive integer (`Infinity` too if `allowInfinity`). */
export function positiveInteger(
  what: string,
  name: string,
  value: unknown,
  allowInfinity?: boolean,
): number {
  if (typeof value !== "number") throw invalid(what, name, "a positive integer", value);
  if (!(Number.isInteger(value) && value >= 1) && !(allowInfinity && value === Infinity)) {
    const expected = `a positive integer${allowInfinity ? " or Infinity" : ""}`;
    throw invalid(what, name, expected, value, true);
  }
  return value;
}

/** Throws unless `value` is a non-negative integer or `Infinity`. */
export function queueLimit(what: string, name: string, value: unknown): number {
  const number = typeof value === "number";
  if (!number || !(Number.isInteger(value) && value >= 0) && value !== Infinity) {
    throw invalid(what, name, "a non-negative integer or Infinity", value, number);
  }
  return value;
}

/** Throws unless `value` is `undefined` or an object (an options bag). */
export function optionsObject(what: string, value: unknown): void {
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw invalid(what, "options", "an object", value);
  }
}

/** Throws unless `value` is `undefined` or an `AbortSignal`. */
export function signalOption(what: string, value: unknown): AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) {
    throw invalid(what, "signal", "an AbortSignal", value);
  }
  return value;
}

/** Throws unless `value` is a sync or async iterable (the `items` of a `map()`). */
export function iterable(what: string, value: unknown): void {
  if (
    value === null || (typeof value !== "object" && typeof value !== "string") ||
    !(Symbol.iterator in Object(value) || Symbol.asyncIterator in Object(value))
  ) {
    throw invalid(what, "items", "iterable", value);
  }
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
    throw invalid(what, "timeout", "a number of milliseconds", value);
  }
  if (!(value >= 0 && value <= MAX_DELAY)) {
    throw invalid(what, "timeout", `between 0 and ${MAX_DELAY} ms or Infinity`, value, true);
  }
  return value;
}

/** The error of a wait that timed out. */
export function timeoutError(thing: string, ms: number): DOMException {
  return new DOMException(`${thing} timed out after ${ms} ms`, "TimeoutError");
}

/** The number of logical cores, or 1 if the platform does not say. */
export function cores(): number {
  const n = globalThis.navigator?.hardwareConcurrency;
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/** Describes a thrown value in a message: `Name: message` for an `Error`, else `String(value)`. */
export function describe(value: unknown): string {
  return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
}
