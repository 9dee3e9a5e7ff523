/**
 * The worker host: the script every pool worker runs. It is the source text of a self-contained
 * function with no imports, called with the transfer key, so it runs from a `blob:` URL in Deno and
 * in browsers alike, and a bundler minifies it with the rest of the code.
 *
 * The worker's `name` is the task module's absolute URL; the host imports that module once.
 *
 * The protocol is shaped by cost: Deno's `postMessage` clones a primitive or a string several
 * microseconds faster than the smallest array, so the common case sends and receives bare values.
 *
 * Caller to worker, on the worker's own channel, in order:
 *
 * - the first message is a `MessagePort`: the control port, for everything but plain results;
 * - a string names the function the next tasks call (sent only when it changes);
 * - an array is the argument list of one task;
 * - anything else is the single argument of one task (a lone string, array or `undefined`
 *   argument goes inside an array).
 *
 * Worker to caller: a task's result goes back bare on the worker's channel (transferred if the task
 * returned a `transfer()` marker). Everything else goes on the control port as an array:
 *
 * | message                | meaning                                                        |
 * | ---------------------- | -------------------------------------------------------------- |
 * | `[0]`                  | the task returned `undefined` (Deno turns a bare one into null) |
 * | `[1, encodedError]`    | the task threw (or its promise rejected)                       |
 * | `[3, encodedCause]`    | the task module failed to load                                 |
 * | `[4, exportNames]`     | the module has no exported function of that name               |
 * | `[5, message]`         | the result could not be cloned                                 |
 * | `[6, encodedError]`    | an uncaught error or unhandled rejection: the worker is unsafe  |
 * | `[7]`                  | the task called `self.close()`                                 |
 *
 * Messages 6 and 7 may come while no task runs. An encoded error is `[1, errorInfo]` for an
 * `Error` or `DOMException` (see `ErrorInfo` in `_revive.ts`), `[2, value]` for anything else.
 *
 * @module
 */

/** The key of the marker a task returns to transfer instead of copy (see `transfer.ts`). */
export const TRANSFER_KEY = "@effective/concurrency/pool.transfer";

/** The worker global scope, as far as the host uses it. */
interface HostScope {
  name: string;
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: "error", listener: (event: ErrorEvent) => void): void;
  addEventListener(
    type: "unhandledrejection",
    listener: (event: PromiseRejectionEvent) => void,
  ): void;
  close(): void;
}

/** What the host encodes a thrown value as: `[1, errorInfo]` or `[2, value]` (`_revive.ts`). */
type Enc = [1, [string, string, string, boolean, Enc | undefined, Record<string, unknown>]] | [
  2,
  unknown,
];

/**
 * The worker host. It runs in the worker, from its source text (`Function.prototype.toString`),
 * so it must stay self-contained: it may use only its parameter, its own locals and the worker's
 * globals, never anything else of this module (types are fine: they are erased). It also avoids
 * syntax that a bundler targeting older engines rewrites with a helper defined outside it (spread,
 * classes, `async`). A bundler that rewrites function bodies anyway (esbuild's `keepNames`, which
 * wraps named functions in its `__name` helper, or coverage instrumentation) breaks it: every
 * worker then dies at start and every task fails with `WorkerCrashed`.
 *
 * @param key The {@linkcode TRANSFER_KEY}.
 */
function host(key: string): void {
  const scope = self as unknown as HostScope;
  const TRANSFER = Symbol.for(key);
  let ctl: MessagePort;
  // Encodes a thrown value; `bare` leaves out an error's cause and extra properties and turns
  // anything else into a string, for a value that could not be cloned whole.
  // deno-lint-ignore no-explicit-any
  const enc = (e: any, depth: number, bare?: boolean): Enc => {
    const isDom = e instanceof DOMException;
    if (!isDom && !(e instanceof Error)) return [2, bare ? String(e) : e];
    const props: Record<string, unknown> = {};
    for (const k of bare ? [] : Object.keys(e)) {
      if (k !== "name" && k !== "message" && k !== "stack" && k !== "cause") {
        props[k] = (e as unknown as Record<string, unknown>)[k];
      }
    }
    const cause = !bare && depth < 8 && "cause" in e ? enc(e.cause, depth + 1) : undefined;
    return [1, [
      String(e.name),
      String(e.message),
      String(e.stack ?? ""),
      isDom,
      cause,
      props,
    ]];
  };
  // Sends a thrown value as `[code, encoded]`, bare if it cannot be cloned whole.
  const send = (e: unknown, code = 1) => {
    try {
      ctl.postMessage([code, enc(e, 0)]);
    } catch {
      ctl.postMessage([code, enc(e, 0, true)]);
    }
  };
  const done = (r: unknown) => {
    try {
      const pair = typeof r === "object"
        ? (r as Record<symbol, [unknown, Transferable[]]> | null)?.[TRANSFER]
        : undefined;
      if (pair !== undefined) {
        scope.postMessage(pair[0], pair[1]);
      } else if (r === undefined) {
        ctl.postMessage([0]); // Deno delivers a bare undefined as null.
      } else {
        scope.postMessage(r);
      }
    } catch (e) {
      ctl.postMessage([5, String((e as Error)?.message ?? e)]);
    }
  };
  let mod: Record<string, unknown>;
  let loadError: unknown;
  let loaded = false;
  const ready = import(scope.name).then(
    (m) => {
      mod = m;
      loaded = true;
    },
    (e) => {
      loadError = e;
      loaded = true;
    },
  );
  const run = (name: string, args: unknown[]) => {
    if (loadError !== undefined) return send(loadError, 3);
    const fn = mod[name];
    if (typeof fn !== "function") {
      return ctl.postMessage([4, Object.keys(mod).filter((k) => typeof mod[k] === "function")]);
    }
    let r;
    try {
      r = fn.apply(undefined, args);
    } catch (e) {
      return send(e);
    }
    if ((typeof r === "object" || typeof r === "function") && typeof r?.then === "function") {
      r.then(done, send);
    } else {
      done(r);
    }
  };
  let name = "";
  scope.onmessage = (e) => {
    const d = e.data;
    if (typeof d === "string") {
      name = d;
      return;
    }
    if (ctl === undefined) {
      ctl = d;
      return;
    }
    const args = Array.isArray(d) ? d : [d];
    if (loaded) run(name, args);
    else {
      const n = name;
      ready.then(() => run(n, args));
    }
  };
  scope.addEventListener("error", (e) => {
    e.preventDefault();
    send(e.error ?? e.message, 6);
  });
  scope.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    send(e.reason, 6);
  });
  const close = scope.close.bind(scope);
  scope.close = () => {
    ctl.postMessage([7]);
    close();
  };
}

/** The source of the worker host (an ES module): {@linkcode host}, called with the key. */
export const WORKER_HOST_SOURCE: string = `(${host})(${JSON.stringify(TRANSFER_KEY)})`;
