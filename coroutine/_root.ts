// Copyright 2025 the @effective/concurrency authors. MIT license.
// Root tasks: the bridge from a promise-returning `run()` into the scheduler.

import { drain, NEXT, schedule } from "./_run_queue.ts";
import { PromiseWaiter } from "./_join.ts";
import { TaskImpl } from "./_task.ts";
import { addTimer, removeTimer, type TimerEntry } from "./_timers.ts";
import { timeoutError, withResolvers } from "./_options.ts";

class RootTimeout implements TimerEntry {
  deadline = 0;
  seq = 0;
  live = false;
  root: TaskImpl<unknown>;
  ms: number;
  constructor(root: TaskImpl<unknown>, ms: number) {
    this.root = root;
    this.ms = ms;
  }
  fire(): void {
    this.root.halt(timeoutError("run()", this.ms));
  }
}

/** Settles `run`'s promise, and disarms the signal and timeout, when the root settles. */
class RootWaiter<T> extends PromiseWaiter<T> {
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  timeout: RootTimeout | undefined = undefined;
  override settled(task: TaskImpl<unknown>): void {
    if (this.onAbort !== undefined) {
      (this.signal as AbortSignal).removeEventListener("abort", this.onAbort);
    }
    if (this.timeout !== undefined) removeTimer(this.timeout);
    super.settled(task);
  }
}

/** Starts a root task; the promise settles after the task and all its descendants settled. */
export function runRoot<T>(
  body: Iterator<unknown, T, unknown>,
  signal: AbortSignal | undefined,
  timeout: number | undefined,
): Promise<T> {
  const { promise, resolve, reject } = withResolvers<T>();
  const root = new TaskImpl<T>(body, null, false) as TaskImpl<unknown>;
  const waiter = new RootWaiter<T>(resolve, reject);
  root.addWaiter(waiter);
  if (signal !== undefined) {
    waiter.signal = signal;
    waiter.onAbort = () => {
      root.halt(signal.reason);
      drain();
    };
    signal.addEventListener("abort", waiter.onAbort, { once: true });
  }
  if (timeout !== undefined) {
    waiter.timeout = new RootTimeout(root, timeout);
    addTimer(waiter.timeout, timeout);
  }
  schedule(root, NEXT, undefined);
  // The signal may have been aborted by `fn()` itself, after run() checked it.
  if (signal?.aborted) root.halt(signal.reason);
  drain();
  return promise;
}
