/**
 * The worker host: the script every pool worker runs. It is a plain string of JavaScript with no
 * imports, so it survives bundling (a bundler never rewrites a string) and runs from a `blob:` URL
 * in Deno and in browsers alike.
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
 * | `[1, errorInfo]`       | the task threw an `Error`; see `ErrorInfo` in `_revive.ts`     |
 * | `[2, value]`           | it threw something that is not an `Error`                      |
 * | `[3, encodedCause]`    | the task module failed to load                                 |
 * | `[4, exportNames]`     | the module has no exported function of that name               |
 * | `[5, message]`         | the result could not be cloned                                 |
 * | `[6, encodedError]`    | an uncaught error or unhandled rejection: the worker is unsafe  |
 * | `[7]`                  | the task called `self.close()`                                 |
 *
 * Messages 6 and 7 may come while no task runs. Encoded errors are `[1, errorInfo]` or
 * `[2, value]`.
 *
 * @module
 */

/** The key of the marker a task returns to transfer instead of copy (see `transfer.ts`). */
export const TRANSFER_KEY = "@effective/concurrency/pool.transfer";

/** The source of the worker host (an ES module). */
export const WORKER_HOST_SOURCE: string = `
const TRANSFER = Symbol.for(${JSON.stringify(TRANSFER_KEY)});
let ctl;
const enc = (e, depth) => {
  const isDom = typeof DOMException === "function" && e instanceof DOMException;
  if (!isDom && !(e instanceof Error)) return [2, e];
  const props = {};
  for (const k of Object.keys(e)) {
    if (k !== "name" && k !== "message" && k !== "stack" && k !== "cause") props[k] = e[k];
  }
  const cause = depth < 8 && "cause" in e ? enc(e.cause, depth + 1) : undefined;
  return [1, [String(e.name), String(e.message), String(e.stack ?? ""), isDom, cause, props]];
};
const plain = (m) => m[0] === 1
  ? [1, [m[1][0], m[1][1], m[1][2], m[1][3], undefined, {}]]
  : [2, String(m[1])];
const send = (code, e) => {
  const m = enc(e, 0);
  try { ctl.postMessage([code, m]); return; } catch { /* an uncloneable cause, prop or value */ }
  ctl.postMessage([code, plain(m)]);
};
const fail = (e) => {
  const m = enc(e, 0);
  try { ctl.postMessage(m); return; } catch { /* an uncloneable cause, prop or value */ }
  ctl.postMessage(plain(m));
};
const done = (r) => {
  try {
    if (r !== null && typeof r === "object" && r[TRANSFER] !== undefined) {
      const pair = r[TRANSFER];
      postMessage(pair[0], pair[1]);
    } else if (r === undefined) {
      ctl.postMessage([0]); // Deno delivers a bare undefined as null.
    } else {
      postMessage(r);
    }
  } catch (e) {
    ctl.postMessage([5, String(e && e.message !== undefined ? e.message : e)]);
  }
};
let mod;
let loadError;
let loaded = false;
const ready = import(self.name).then(
  (m) => { mod = m; loaded = true; },
  (e) => { loadError = e; loaded = true; },
);
const run = (name, args) => {
  if (loadError !== undefined) return send(3, loadError);
  const fn = mod[name];
  if (typeof fn !== "function") {
    return ctl.postMessage([4, Object.keys(mod).filter((k) => typeof mod[k] === "function")]);
  }
  let r;
  try {
    r = fn.apply(undefined, args);
  } catch (e) {
    return fail(e);
  }
  if (r !== null && (typeof r === "object" || typeof r === "function") && typeof r.then === "function") {
    r.then(done, fail);
  } else {
    done(r);
  }
};
let name = "";
onmessage = (e) => {
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
addEventListener("error", (e) => {
  e.preventDefault();
  send(6, e.error !== undefined && e.error !== null ? e.error : e.message);
});
addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  send(6, e.reason);
});
const close = self.close.bind(self);
self.close = () => {
  ctl.postMessage([7]);
  close();
};
`;
