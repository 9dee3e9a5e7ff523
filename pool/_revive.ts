/**
 * Rebuilds a value a task threw, from what the worker host encoded (`_worker_protocol.ts`), and
 * keeps the caller's call site on it.
 */

import type { Encoded } from "./_worker_protocol.ts";

const STANDARD: Record<string, new (message: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true });
}

/** The errors `revive()` made: they get the caller's frames (see `withCallerFrames`). */
const remote = new WeakSet<object>();

/**
 * Adds the frames of the code that is waiting (V8's async stack traces) to the stack of `error`
 * if it is a task's error `revive()` made, under a line naming `call`.
 */
export function addCallerFrames(error: unknown, call: string): void {
  if (typeof error !== "object" || error === null || !remote.has(error)) return;
  remote.delete(error); // Once.
  // Drop the first two lines: "Error" and this function's own frame.
  const frames = (new Error().stack ?? "").split("\n").slice(2).join("\n");
  if (frames !== "") {
    define(error, "stack", `${(error as Error).stack}\n    at ${call} (awaited)\n${frames}`);
  }
}

/**
 * Returns `promise`, such that when it rejects with a task's error, the frames of the code
 * awaiting it are added to the error's stack (a rejection handler sees them). Nothing is captured
 * while the task succeeds.
 */
export function withCallerFrames<T>(promise: Promise<T>, call: string): Promise<T> {
  return promise.then(undefined, (error: unknown) => {
    addCallerFrames(error, call);
    throw error;
  });
}

/**
 * Returns the thrown value `encoded` stands for, with the worker-side name, message, stack, own
 * data fields, `cause` and (for an `AggregateError`) `errors`.
 */
export function revive(encoded: Encoded): unknown {
  if (encoded[0] !== "error") return encoded[1];
  const info = encoded[1];
  let error: Error;
  if (info.dom) {
    error = new DOMException(info.message, info.name);
  } else if (info.errors !== undefined) {
    error = new AggregateError(info.errors.map((e) => revive(e)), info.message);
    if (info.name !== "AggregateError") define(error, "name", info.name);
  } else {
    const Standard = Object.hasOwn(STANDARD, info.name) ? STANDARD[info.name] : undefined;
    error = Standard === undefined ? new Error(info.message) : new Standard(info.message);
    if (Standard === undefined) define(error, "name", info.name);
  }
  define(error, "stack", info.stack || `${info.name}: ${info.message}`);
  remote.add(error);
  if (info.cause !== undefined) define(error, "cause", revive(info.cause));
  for (const key of Object.keys(info.fields)) {
    try {
      (error as unknown as Record<string, unknown>)[key] = info.fields[key];
    } catch {
      // A read-only property of the rebuilt error (rare): keep the rebuilt one.
    }
  }
  return error;
}
