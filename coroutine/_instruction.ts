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
