/**
 * Rebuilds an error the worker host encoded (see `_worker_host.ts`): `[1, info]` for an `Error`
 * or `DOMException`, `[2, value]` for anything else thrown.
 */

/** `[name, message, stack, isDOMException, encodedCause, ownEnumerableProps]`. */
export type ErrorInfo = [
  string,
  string,
  string,
  boolean,
  Encoded | undefined,
  Record<string, unknown>,
];

/** An encoded thrown value. */
export type Encoded = [1, ErrorInfo] | [2, unknown];

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

/** Returns the thrown value `encoded` stands for, with the worker-side name, message and stack. */
export function revive(encoded: Encoded): unknown {
  if (encoded[0] !== 1) return encoded[1];
  const [name, message, stack, isDom, cause, props] = encoded[1];
  let error: Error;
  if (isDom) {
    error = new DOMException(message, name);
  } else if (Object.hasOwn(STANDARD, name)) {
    error = new STANDARD[name](message);
  } else {
    error = new Error(message);
    define(error, "name", name);
  }
  if (stack !== "") define(error, "stack", stack);
  if (cause !== undefined) define(error, "cause", revive(cause));
  for (const key of Object.keys(props)) {
    try {
      (error as unknown as Record<string, unknown>)[key] = props[key];
    } catch {
      // A read-only property of the rebuilt error (rare): keep the rebuilt one.
    }
  }
  return error;
}
