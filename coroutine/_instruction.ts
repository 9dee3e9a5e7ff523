// Copyright 2025 the @effective/concurrency authors. MIT license.
// What a task body yields to the scheduler, and what a parked task is parked on.

import type { TaskImpl } from "./_task.ts";

/** Something a task is parked on; `unwait` detaches it when the task is halted. */
export interface Pending {
  unwait(task: TaskImpl<unknown>): void;
  /**
   * The child task this wait joins, if any: a failure of a boundary child (scoped, all, race,
   * a resource before it provides) goes to the task waiting on it instead of failing it.
   */
  readonly joined?: TaskImpl<unknown> | null;
}

/** What a task body yields to the scheduler. */
export abstract class Instruction {
  /**
   * Acts for `task`. Returns true if `task` continues at once with its `resumeKind` and
   * `resumeValue`, or false after parking it (setting `task.pending`); whoever wakes it later
   * calls `schedule`.
   */
  abstract enter(task: TaskImpl<unknown>): boolean;
}

/**
 * An instruction that is also its own one-shot iterator, so an operation's `[Symbol.iterator]`
 * can return `new XInstruction(...)` and `yield*` on it yields the instruction once, then
 * evaluates to the value the task is resumed with. Cheaper than a generator per `yield*`.
 */
export abstract class OneShot extends Instruction implements Iterator<unknown, unknown, unknown> {
  yielded = false;
  next(value?: unknown): IteratorResult<unknown, unknown> {
    if (this.yielded) return { done: true, value };
    this.yielded = true;
    return { done: false, value: this };
  }
  throw(error?: unknown): IteratorResult<unknown, unknown> {
    throw error;
  }
  return(value?: unknown): IteratorResult<unknown, unknown> {
    return { done: true, value };
  }
  [Symbol.iterator](): this {
    return this;
  }
}

/** The error a cancelled task's body sees, and a join of it throws, when no reason was given. */
export function cancelledError(): DOMException {
  return new DOMException("The task was cancelled", "AbortError");
}

type ErrorEventTarget = {
  addEventListener?: (type: "error", listener: (event: ErrorEvent) => void) => void;
  removeEventListener?: (type: "error", listener: (event: ErrorEvent) => void) => void;
};

/** Errors thrown by guarded `abort` listeners during the current {@linkcode abortCollectingErrors}. */
let collected: unknown[] | null = null;
let collecting = false;

type Listener = EventListenerOrEventListenerObject;

/**
 * An AbortController whose signal catches what its `abort` listeners (and `onabort`) throw while
 * {@linkcode abortCollectingErrors} aborts it, so a throwing listener fails the task on every
 * runtime: Node and Bun report an EventTarget listener's error as an uncaught exception that no
 * global handler can take back. Listeners are wrapped on this signal only (own properties), so
 * the platform's own uses of the signal are untouched.
 */
export function guardedController(): AbortController {
  const controller = new AbortController();
  const signal = controller.signal;
  const wrappers = new WeakMap<Listener, EventListener>();
  const wrap = (listener: Listener): EventListener => {
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
  };
  // Loosely typed: a listener that is not a function or object is passed through untouched.
  type Method = (type: string, listener: unknown, options?: unknown) => void;
  const add = signal.addEventListener as Method;
  const remove = signal.removeEventListener as Method;
  let onabort: ((this: AbortSignal, event: Event) => unknown) | null = null;
  Object.defineProperties(signal, {
    addEventListener: {
      configurable: true,
      value(type: string, listener: unknown, options?: unknown) {
        const guarded = typeof listener === "function" ||
          (typeof listener === "object" && listener !== null);
        add.call(signal, type, guarded ? wrap(listener as Listener) : listener, options);
      },
    },
    removeEventListener: {
      configurable: true,
      value(type: string, listener: unknown, options?: unknown) {
        const wrapper = typeof listener === "function" ||
            (typeof listener === "object" && listener !== null)
          ? wrappers.get(listener as Listener)
          : undefined;
        remove.call(signal, type, wrapper ?? listener, options);
      },
    },
    onabort: {
      configurable: true,
      get: () => onabort,
      set(handler: unknown) {
        if (onabort !== null) remove.call(signal, "abort", wrap(onabort));
        onabort = typeof handler === "function" ? handler as typeof onabort : null;
        if (onabort !== null) add.call(signal, "abort", wrap(onabort));
      },
    },
  });
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
