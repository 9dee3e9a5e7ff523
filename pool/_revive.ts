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

/**
 * Captures where `run()` was called, cheaply: the frames are formatted only if an error needs
 * them. `undefined` where the engine has no `Error.captureStackTrace`.
 */
export function callSite(of: (...args: never[]) => unknown): { stack?: string } | undefined {
  const capture = (Error as { captureStackTrace?: (target: object, fn: unknown) => void })
    .captureStackTrace;
  if (capture === undefined) return undefined;
  const site: { stack?: string } = {};
  capture(site, of);
  return site;
}

/**
 * Returns the thrown value `encoded` stands for, with the worker-side name, message, stack, own
 * data fields, `cause` and (for an `AggregateError`) `errors`. If `site` is given, the caller's
 * frames are appended to the stack, under a line naming `call`.
 */
export function revive(encoded: Encoded, site?: { stack?: string }, call?: string): unknown {
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
  let stack = info.stack;
  const frames = site?.stack;
  if (frames !== undefined) {
    // The first line of the captured stack is just "Error"; keep the frames.
    const at = frames.indexOf("\n");
    if (at !== -1) {
      stack = `${stack || `${info.name}: ${info.message}`}\n    at ${call} (caller)${
        frames.slice(at)
      }`;
    }
  }
  if (stack !== "") define(error, "stack", stack);
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
