// Copyright 2025 the @effective/concurrency authors. MIT license.
// Aborting a signal the scheduler owns (a call()'s, a task's lifetime) without letting a throwing
// `abort` listener escape as an uncaught exception: its error is collected, to fail the task.

type ErrorEventTarget = {
  addEventListener?: (type: "error", listener: (event: ErrorEvent) => void) => void;
  removeEventListener?: (type: "error", listener: (event: ErrorEvent) => void) => void;
};

/** Errors thrown by guarded `abort` listeners during the current {@linkcode abortCollectingErrors}. */
let collected: unknown[] | null = null;
let collecting = false;

type Listener = EventListenerOrEventListenerObject;
// Loosely typed: a listener that is not a function or object is passed through untouched.
type Method = (this: AbortSignal, type: string, listener: unknown, options?: unknown) => void;

/** Per guarded signal: its listeners' wrappers and its `onabort` handler, made on first use. */
interface Guard {
  wrappers: WeakMap<object, EventListener>;
  onabort: ((this: AbortSignal, event: Event) => unknown) | null;
}
const guards = new WeakMap<AbortSignal, Guard>();

function guardOf(signal: AbortSignal): Guard {
  let guard = guards.get(signal);
  if (guard === undefined) guards.set(signal, guard = { wrappers: new WeakMap(), onabort: null });
  return guard;
}

function wrap(signal: AbortSignal, listener: Listener): EventListener {
  const wrappers = guardOf(signal).wrappers;
  let wrapper = wrappers.get(listener);
  if (wrapper === undefined) {
    wrapper = function (this: unknown, event: Event) {
      try {
        if (typeof listener === "function") listener.call(this, event);
        else listener.handleEvent(event);
      } catch (error) {
        if (!collecting) throw error;
        (collected ??= []).push(error);
      }
    };
    wrappers.set(listener, wrapper);
  }
  return wrapper;
}

const isListener = (value: unknown): value is Listener =>
  typeof value === "function" || (typeof value === "object" && value !== null);

const signalAdd = AbortSignal.prototype.addEventListener as Method;
const signalRemove = AbortSignal.prototype.removeEventListener as Method;

/**
 * The prototype of a guarded signal: AbortSignal's, with `addEventListener`,
 * `removeEventListener` and `onabort` wrapping listeners. One object for all guarded signals, so
 * guarding costs a prototype switch per signal, nothing per listener until one is added.
 */
const guardedSignalPrototype: AbortSignal = Object.create(AbortSignal.prototype, {
  addEventListener: {
    configurable: true,
    writable: true,
    value(this: AbortSignal, type: string, listener: unknown, options?: unknown) {
      signalAdd.call(this, type, isListener(listener) ? wrap(this, listener) : listener, options);
    },
  },
  removeEventListener: {
    configurable: true,
    writable: true,
    value(this: AbortSignal, type: string, listener: unknown, options?: unknown) {
      const wrapper = isListener(listener) ? guards.get(this)?.wrappers.get(listener) : undefined;
      signalRemove.call(this, type, wrapper ?? listener, options);
    },
  },
  onabort: {
    configurable: true,
    get(this: AbortSignal) {
      return guards.get(this)?.onabort ?? null;
    },
    set(this: AbortSignal, handler: unknown) {
      const guard = guardOf(this);
      if (guard.onabort !== null) signalRemove.call(this, "abort", wrap(this, guard.onabort));
      guard.onabort = typeof handler === "function" ? handler as Guard["onabort"] : null;
      if (guard.onabort !== null) signalAdd.call(this, "abort", wrap(this, guard.onabort));
    },
  },
});

/**
 * Whether a listener's error reaches the global scope's `error` event synchronously, where
 * {@linkcode abortCollectingErrors} takes it back (Deno, browsers). Node has no global
 * EventTarget and Bun reports such errors as uncaught: there, signals are guarded instead.
 */
const GLOBAL_CATCHES = typeof (globalThis as ErrorEventTarget).addEventListener === "function" &&
  typeof globalThis.ErrorEvent === "function" && !("Bun" in globalThis);

/**
 * An AbortController whose signal catches what its `abort` listeners (and `onabort`) throw while
 * {@linkcode abortCollectingErrors} aborts it, so a throwing listener fails the task on every
 * runtime: Node and Bun report an EventTarget listener's error as an uncaught exception that no
 * global handler can take back. The signal stays a real `AbortSignal` (the platform's own uses
 * of it are untouched); only its prototype is one that wraps listeners. Where the global `error`
 * event takes such errors back (Deno, browsers) a plain controller is enough, and cheaper (a
 * prototype switch triples the cost of a `call(fn)` that answers at once), unless `guard` says.
 */
export function guardedController(guard = !GLOBAL_CATCHES): AbortController {
  const controller = new AbortController();
  if (guard) Object.setPrototypeOf(controller.signal, guardedSignalPrototype);
  return controller;
}

/**
 * Aborts `controller` and returns what its `abort` listeners threw (null if nothing). A signal
 * from {@linkcode guardedController} hands its listeners' errors back directly. Other listeners
 * (on a signal derived with `AbortSignal.any`) are reported as uncaught by the EventTarget,
 * which would kill the process in the middle of a teardown; where the global scope is an
 * EventTarget (Deno, browsers) the report is caught and handed back so that the task fails with
 * it instead. (Node reports those on `process`, beyond our reach.)
 */
export function abortCollectingErrors(
  controller: AbortController,
  reason: unknown,
): unknown[] | null {
  const scope = globalThis as ErrorEventTarget;
  const outer = collected;
  const wasCollecting = collecting;
  collected = null;
  collecting = true;
  const onError = (event: ErrorEvent) => {
    (collected ??= []).push(event.error);
    event.preventDefault();
  };
  const listen = typeof scope.addEventListener === "function";
  if (listen) scope.addEventListener?.("error", onError);
  try {
    controller.abort(reason);
  } finally {
    if (listen) scope.removeEventListener?.("error", onError);
  }
  const errors = collected;
  collected = outer;
  collecting = wasCollecting;
  return errors;
}
