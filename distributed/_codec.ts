// What crosses Redis: BullMQ stores job data and results as JSON, so arguments and results must be
// JSON values. They are checked before sending, so a Date or a Map is refused with a clear error
// instead of arriving changed. Task errors travel inside a completed job's result (an "outcome"),
// so BullMQ never retries a task that merely threw: only a lost worker makes it run again.

/** A task's result as stored in Redis: `{ value }` or `{ error }`. */
export type Outcome = { value?: unknown } | { error: EncodedError };

/** An error flattened to JSON. */
export interface EncodedError {
  name: string;
  message: string;
  stack?: string;
  cause?: EncodedError | { value: unknown };
  fields?: Record<string, unknown>;
}

/** The job data of a task: its arguments. The function name is the job's name. */
export interface TaskData {
  args: unknown[];
}

/**
 * Checks that `value` survives `JSON.stringify` unchanged; returns the path of the first part that
 * would not (`args[0].when`), or `undefined` if it all would.
 */
export function notJson(value: unknown, path: string, depth = 0): string | undefined {
  if (depth > 100) return `${path} (nested too deeply)`;
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : `${path} (${value})`;
    case "object": {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const bad = notJson(value[i], `${path}[${i}]`, depth + 1);
          if (bad !== undefined) return bad;
        }
        return undefined;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        return `${path} (an instance of ${proto?.constructor?.name ?? "a class"})`;
      }
      for (const [key, item] of Object.entries(value)) {
        const bad = notJson(item, `${path}.${key}`, depth + 1);
        if (bad !== undefined) return bad;
      }
      return undefined;
    }
    default:
      return `${path} (${typeof value})`;
  }
}

/** Flattens an error (or any thrown value) to JSON, keeping its own JSON-safe fields. */
export function encodeError(error: unknown, depth = 0): EncodedError {
  if (!(error instanceof Error) && !(error instanceof DOMException)) {
    return {
      name: "Error",
      message: `A non-error was thrown: ${String(error)}`,
      ...(notJson(error, "") === undefined ? { fields: { thrown: error } } : {}),
    };
  }
  const out: EncodedError = { name: error.name, message: error.message };
  if (typeof error.stack === "string") out.stack = error.stack;
  if ("cause" in error && error.cause !== undefined && depth < 8) {
    out.cause = error.cause instanceof Error
      ? encodeError(error.cause, depth + 1)
      : notJson(error.cause, "") === undefined
      ? { value: error.cause }
      : encodeError(error.cause, depth + 1);
  }
  const fields: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(error)) {
    if (key !== "name" && key !== "message" && key !== "stack" && key !== "cause") {
      if (notJson(item, "") === undefined) fields[key] = item;
    }
  }
  if (Object.keys(fields).length > 0) out.fields = fields;
  return out;
}

const STANDARD: Record<string, ErrorConstructor> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

const DOM_NAMES = new Set(["AbortError", "TimeoutError", "DataCloneError"]);

/** Rebuilds an error on the calling side: same class where standard, name, message, remote stack. */
export function decodeError(encoded: EncodedError): Error {
  const { name, message } = encoded;
  let error: Error;
  if (DOM_NAMES.has(name)) error = new DOMException(message, name) as unknown as Error;
  else {
    error = new (STANDARD[name] ?? Error)(message);
    if (error.name !== name) {
      Object.defineProperty(error, "name", {
        value: name,
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  }
  if (encoded.stack !== undefined) {
    Object.defineProperty(error, "stack", {
      value: encoded.stack,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  const cause = encoded.cause;
  if (cause !== undefined) {
    Object.defineProperty(error, "cause", {
      value: "name" in cause ? decodeError(cause) : cause.value,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  if (encoded.fields !== undefined) Object.assign(error, encoded.fields);
  return error;
}
