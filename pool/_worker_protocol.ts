/**
 * The messages between a {@linkcode WorkerPool} and its workers. Every kind is a named string.
 *
 * The pool owns the channel: the first message on the worker's own channel is a `connect`
 * carrying a private `MessagePort`, and every later message, both ways, goes on that port. The
 * host keeps the port in a closure, so a task that calls `self.postMessage()` talks to nobody: the
 * pool ignores the worker's own channel, and a stray message can never be taken for a result.
 *
 * A worker runs one job at a time: a single task (`call`) or several (`batch`), in order. It
 * answers each job with exactly one reply (`result`, `threw`, `missing`, `uncloneable`, `batch`
 * or `load-failed`), or with a `crash` when the worker is about to die or is unsafe.
 *
 * @module
 */

/** An encoded thrown value: `["error", info]` for an `Error`/`DOMException`, else `["value", v]`. */
export type Encoded = ["error", ErrorInfo] | ["value", unknown];

/** An `Error` taken apart to cross the boundary. */
export interface ErrorInfo {
  name: string;
  message: string;
  stack: string;
  dom: boolean;
  cause?: Encoded;
  /** An `AggregateError`'s `errors`. */
  errors?: Encoded[];
  /** Its own cloneable data fields (functions and symbols are left out). */
  fields: Record<string, unknown>;
}

/** The first message, on the worker's own channel. */
export interface Connect {
  kind: "connect";
  port: MessagePort;
  /** The task module's absolute URL (also the worker's `name`, where the runtime sets it). */
  url: string;
  /** The name of an export to call once, with `initArgs`, before the first task. */
  initializer: string | undefined;
  initArgs: unknown[];
}

/**
 * Pool to worker, on the private port. A message that is not an array is a `call` of the same
 * function as the last `call`, with that value as its only argument (cheaper to clone).
 */
export type ToWorker =
  /** One task: `name(...args)`. */
  | ["call", string, unknown[]]
  /** Several tasks in order; `stopOnError`: stop at the first failure (a `map()` chunk). */
  | ["batch", string[], unknown[][], boolean];

/** How one task of a batch failed: `[index, kind, payload]`. */
export type Failure =
  | [number, "threw", Encoded]
  | [number, "missing", string[]]
  | [number, "uncloneable", string];

/**
 * Worker to pool, on the private port. A message that is not an array is a `result` (a value that
 * is an array or `undefined` goes as `["result", value]`).
 */
export type FromWorker =
  /** The module (and initializer) loaded: the worker is ready. */
  | ["ready"]
  /** The module or the initializer failed: the reply to every job (no `ready` is sent). */
  | ["load-failed", Encoded, "import" | "initializer"]
  | ["result", unknown]
  | ["threw", Encoded]
  | ["missing", string[]]
  | ["uncloneable", string]
  /** A batch: the values of the tasks in order (a hole where one failed), then the failures. */
  | ["batch", unknown[], Failure[] | null]
  /** `reportProgress(value)` from the task at `index` of the running job. */
  | ["progress", number, unknown]
  /**
   * The worker is dying or unsafe, while the task at `index` of the running job (-1: none) ran:
   * an uncaught error (`payload` is it), `Deno.exit`/`process.exit` (`payload` is the code) or
   * `self.close()`. `values` and `failures` are what the job's earlier tasks gave.
   */
  | [
    "crash",
    "uncaught" | "exit" | "close",
    unknown,
    number,
    unknown[],
    Failure[] | null,
  ];
