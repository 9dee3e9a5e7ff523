/**
 * The worker host: the script every pool worker runs. It is the source text of a self-contained
 * function with no imports, called with two registry keys, so it runs from a `blob:` URL in Deno,
 * Bun and browsers alike, and a bundler minifies it with the rest of the code. The messages it
 * sends and receives are described in `_worker_protocol.ts`.
 *
 * The `connect` message names the task module (so does the worker's `name`, for debuggers); the host
 * imports that module once, calls the initializer if there is one, then answers jobs on the private
 * port it was given.
 *
 * @module
 */

import type { Connect, Encoded, Failure, FromWorker, ToWorker } from "./_worker_protocol.ts";

/** The key of the marker a task returns to transfer instead of copy (see `transfer.ts`). */
export const TRANSFER_KEY = "@effective/concurrency/pool.transfer";
/** The key of the function `reportProgress()` calls inside a worker (see `progress.ts`). */
export const PROGRESS_KEY = "@effective/concurrency/pool.progress";

/** The worker global scope, as far as the host uses it. */
interface HostScope {
  onmessage: ((event: MessageEvent) => void) | null;
  addEventListener(type: "error", listener: (event: ErrorEvent) => void): void;
  addEventListener(
    type: "unhandledrejection",
    listener: (event: PromiseRejectionEvent) => void,
  ): void;
  close?: () => void;
  Deno?: { exit(code?: number): never };
  process?: { exit(code?: number): never };
}

/**
 * The worker host. It runs in the worker, from its source text (`Function.prototype.toString`),
 * so it must stay self-contained: it may use only its parameters, its own locals and the worker's
 * globals, never anything else of this module (types are fine: they are erased). It also avoids
 * syntax that a bundler targeting older engines rewrites with a helper defined outside it (spread,
 * classes, `async`). A bundler that rewrites function bodies anyway (esbuild's `keepNames`, which
 * wraps named functions in its `__name` helper, or coverage instrumentation) breaks it: every
 * worker then dies at start and every task fails with `WorkerCrashed`.
 *
 * @param transferKey The {@linkcode TRANSFER_KEY}.
 * @param progressKey The {@linkcode PROGRESS_KEY}.
 */
function host(transferKey: string, progressKey: string): void {
  const scope = globalThis as unknown as HostScope;
  const TRANSFER = Symbol.for(transferKey);
  let port: MessagePort | undefined;
  // The running job: its task index (-1 between jobs), values and failures so far.
  let index = -1;
  let values: unknown[] = [];
  let failures: Failure[] | null = null;
  let transfers: Transferable[] = [];
  const post = (message: FromWorker, transfer?: Transferable[]) => {
    if (transfer !== undefined && transfer.length > 0) port!.postMessage(message, transfer);
    else port!.postMessage(message);
  };
  const cloneable = (value: unknown) => {
    try {
      structuredClone(value);
      return true;
    } catch {
      return false;
    }
  };
  // Encodes a thrown value so that it can be cloned: an error's own data fields, `cause` and
  // `errors` are kept, functions and other uncloneable fields left out.
  // deno-lint-ignore no-explicit-any
  const enc = (e: any, depth: number): Encoded => {
    const isDom = typeof DOMException === "function" && e instanceof DOMException;
    const fields: Record<string, unknown> = {};
    const isObject = typeof e === "object" && e !== null;
    if (isObject) {
      const keys = Object.keys(e);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        if (k === "name" || k === "message" || k === "stack" || k === "cause" || k === "errors") {
          if (isDom || e instanceof Error) continue;
        }
        const v = e[k];
        if (typeof v !== "function" && typeof v !== "symbol" && cloneable(v)) fields[k] = v;
      }
    }
    if (!isDom && !(e instanceof Error)) {
      if (!isObject) return ["value", cloneable(e) ? e : String(e)];
      return ["value", cloneable(e) ? e : fields];
    }
    const deeper = depth < 8;
    return ["error", {
      name: String(e.name),
      message: String(e.message),
      stack: String(e.stack ?? ""),
      dom: isDom,
      cause: deeper && "cause" in e ? enc(e.cause, depth + 1) : undefined,
      errors: deeper && Array.isArray((e as { errors?: unknown }).errors)
        ? (e as unknown as { errors: unknown[] }).errors.map((x) => enc(x, depth + 1))
        : undefined,
      fields,
    }];
  };
  const fail = (failure: Failure) => {
    if (failures === null) failures = [failure];
    else failures.push(failure);
  };
  // Reports the end of the worker (or that it is unsafe) with what the job has given so far.
  let ending = false;
  const crash = (how: "uncaught" | "exit" | "close", payload: unknown) => {
    if (port === undefined || ending) return;
    if (how !== "uncaught") ending = true; // process.exit() may call Deno.exit(): report once.
    try {
      post(["crash", how, payload, index, values, failures]);
    } catch {
      post(["crash", how, how === "uncaught" ? enc(String(payload), 0) : payload, index, [], null]);
    }
    index = -1;
  };
  let mod: Record<string, unknown> = {};
  let loadFailure: FromWorker | undefined;
  const exported = () => Object.keys(mod).filter((k) => typeof mod[k] === "function");
  // Runs task `i` of `names`/`argsList`, then the next ones, then replies; `single` is a `call`.
  const step = (
    names: string[],
    argsList: unknown[][],
    stopOnError: boolean,
    single: boolean,
    i: number,
  ): void => {
    for (; i < argsList.length; i++) {
      index = i;
      const name = names.length === 1 ? names[0]! : names[i]!;
      const fn = mod[name];
      if (typeof fn !== "function") {
        fail([i, "missing", exported()]);
        values.push(undefined);
        if (stopOnError) break;
        continue;
      }
      let r;
      try {
        r = fn.apply(undefined, argsList[i]);
      } catch (e) {
        fail([i, "threw", enc(e, 0)]);
        values.push(undefined);
        if (stopOnError) break;
        continue;
      }
      if (
        (typeof r === "object" || typeof r === "function") &&
        typeof (r as { then?: unknown } | null)?.then === "function"
      ) {
        const at = i;
        (r as Promise<unknown>).then((v) => {
          if (index !== at) return; // The job ended (a crash was reported) meanwhile.
          settled(v);
          step(names, argsList, stopOnError, single, at + 1);
        }, (e) => {
          if (index !== at) return;
          fail([at, "threw", enc(e, 0)]);
          values.push(undefined);
          if (stopOnError) reply(single);
          else step(names, argsList, stopOnError, single, at + 1);
        });
        return;
      }
      settled(r);
    }
    reply(single);
  };
  // Records a task's value, unwrapping a transfer marker.
  const settled = (r: unknown) => {
    const pair = typeof r === "object" && r !== null
      ? (r as Record<symbol, [unknown, Transferable[]]>)[TRANSFER]
      : undefined;
    if (pair !== undefined) {
      values.push(pair[0]);
      for (let k = 0; k < pair[1].length; k++) transfers.push(pair[1][k]!);
    } else values.push(r);
  };
  const reply = (single: boolean) => {
    const done = values;
    const failed = failures;
    const moved = transfers;
    values = [];
    failures = null;
    transfers = [];
    index = -1;
    if (single) {
      const f = failed?.[0];
      if (f !== undefined) return post([f[1], f[2]] as FromWorker);
      try {
        // A value that is not an array (nor undefined, which Deno turns into null) goes bare:
        // much cheaper to clone. Everything else the pool gets is an array with a named kind.
        const value = done[0];
        if (value === undefined || Array.isArray(value)) post(["result", value], moved);
        else if (moved.length > 0) port!.postMessage(value, moved);
        else port!.postMessage(value);
      } catch (e) {
        post(["uncloneable", String((e as Error)?.message ?? e)]);
      }
      return;
    }
    try {
      post(["batch", done, failed], moved);
    } catch (e) {
      // Find the values that cannot be cloned, fail those and send the rest.
      const message = String((e as Error)?.message ?? e);
      const more: Failure[] = failed === null ? [] : failed;
      for (let k = 0; k < done.length; k++) {
        if (!cloneable(done[k])) {
          more.push([k, "uncloneable", message]);
          done[k] = undefined;
        }
      }
      try {
        post(["batch", done, more], moved);
      } catch {
        post(["batch", done.map(() => undefined), more]);
      }
    }
  };
  // The function of the last `call`: a bare (non-array) message is one more call of it, with
  // that value as its only argument.
  let lastName = "";
  const job = (data: ToWorker | unknown) => {
    if (loadFailure !== undefined) return post(loadFailure);
    if (!Array.isArray(data)) return step([lastName], [[data]], true, true, 0);
    const message = data as ToWorker;
    if (message[0] === "call") {
      lastName = message[1];
      step([lastName], [message[2]], true, true, 0);
    } else step(message[1], message[2], message[3], false, 0);
  };
  let loaded = false;
  let pending: unknown[] = [];
  const start = (connect: Connect) => {
    port = connect.port;
    port.onmessage = (e) => {
      if (loaded) job(e.data);
      else pending.push(e.data);
    };
    const ready = () => {
      loaded = true;
      // On a failure, each job is answered with it instead (one reply per job, always).
      if (loadFailure === undefined) post(["ready"]);
      const queued = pending;
      pending = [];
      for (let k = 0; k < queued.length; k++) job(queued[k]!);
    };
    import(connect.url).then((m) => {
      mod = m;
      const init = connect.initializer;
      if (init === undefined) return ready();
      const fn = mod[init];
      if (typeof fn !== "function") {
        loadFailure = [
          "load-failed",
          enc(new TypeError(`the initializer '${init}' is not an exported function`), 0),
          "initializer",
        ];
        return ready();
      }
      try {
        Promise.resolve(fn.apply(undefined, connect.initArgs)).then(ready, (e) => {
          loadFailure = ["load-failed", enc(e, 0), "initializer"];
          ready();
        });
      } catch (e) {
        loadFailure = ["load-failed", enc(e, 0), "initializer"];
        ready();
      }
    }, (e) => {
      loadFailure = ["load-failed", enc(e, 0), "import"];
      ready();
    });
  };
  scope.onmessage = (e) => {
    const data = e.data as Connect;
    if (
      port === undefined && data !== null && typeof data === "object" && data.kind === "connect"
    ) {
      scope.onmessage = null; // From now on the worker's own channel is the task's business.
      start(data);
    }
  };
  (globalThis as Record<symbol, unknown>)[Symbol.for(progressKey)] = (value: unknown) => {
    if (index === -1) return false;
    post(["progress", index, value]);
    return true;
  };
  scope.addEventListener("error", (e) => {
    e.preventDefault();
    crash("uncaught", enc(e.error ?? e.message, 0));
  });
  scope.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    crash("uncaught", enc(e.reason, 0));
  });
  // Exits and self.close() are reported first, so the task's promise can name them.
  const close = scope.close;
  if (typeof close === "function") {
    scope.close = () => {
      crash("close", undefined);
      close.call(scope);
    };
  }
  const wrapExit = (owner: { exit(code?: number): never } | undefined) => {
    if (owner === undefined || typeof owner.exit !== "function") return;
    const exit = owner.exit;
    try {
      owner.exit = ((code?: number) => {
        crash("exit", code === undefined ? 0 : code);
        return exit.call(owner, code);
      }) as (code?: number) => never;
    } catch {
      // A frozen Deno namespace: exits then show only as a worker that stops answering.
    }
  };
  wrapExit(scope.Deno);
  if (scope.process !== undefined && scope.process.exit !== scope.Deno?.exit) {
    wrapExit(scope.process);
  }
}

/** The source of the worker host (an ES module): {@linkcode host}, called with the keys. */
export const WORKER_HOST_SOURCE: string = `(${host})(${JSON.stringify(TRANSFER_KEY)},${
  JSON.stringify(PROGRESS_KEY)
})`;
