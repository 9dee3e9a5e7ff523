// Copyright 2025 the @effective/concurrency authors. MIT license.
// Waiting for a task: joining it, waiting until it settled whatever its outcome, and awaiting it
// from promise code. Each waiter is a node of the joined task's intrusive list (O(1) to leave).

import { OneShot, type Pending } from "./_instruction.ts";
import { NEXT, schedule, THROW } from "./_run_queue.ts";
import type { TaskImpl, Waiter } from "./_task.ts";
import type { Operation } from "./operation.ts";

/** Settles a promise with a task's outcome (`await task`, and `run`'s promise). */
export class PromiseWaiter<T> implements Waiter {
  prevWaiter: Waiter | null = null;
  nextWaiter: Waiter | null = null;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
  constructor(resolve: (value: T) => void, reject: (reason: unknown) => void) {
    this.resolve = resolve;
    this.reject = reject;
  }
  settled(task: TaskImpl<unknown>): void {
    if (task.succeeded) this.resolve(task.result as T);
    else this.reject(task.result);
  }
}

/** Waits for a task to settle and evaluates to its result (what `yield* task` runs). */
export class JoinInstruction extends OneShot implements Pending, Waiter {
  joined: TaskImpl<unknown>;
  joiner: TaskImpl<unknown> | null = null;
  prevWaiter: Waiter | null = null;
  nextWaiter: Waiter | null = null;
  constructor(joined: TaskImpl<unknown>) {
    super();
    this.joined = joined;
  }
  enter(joiner: TaskImpl<unknown>): boolean {
    const joined = this.joined;
    if (joined.isDone) {
      joined.deliverTo(joiner);
      return true;
    }
    // Only the joiner itself or one of its ancestors makes a cycle. One's own child (the hot
    // path, and every scoped/all/race) or another task without children cannot be either, so
    // those joins are O(1); any other walks the joiner's ancestors (O(depth)).
    const cannotCycle = joined !== joiner &&
      (joined.parent === joiner || joined.firstChild === null);
    for (
      let t: TaskImpl<unknown> | null = cannotCycle ? null : joiner;
      t !== null;
      t = t.parent
    ) {
      if (t === joined) {
        joiner.resumeKind = THROW;
        joiner.resumeValue = new TypeError(
          "Cannot join task: it is the joining task or one of its parents, so it would never finish",
        );
        return true;
      }
    }
    this.joiner = joiner;
    joined.addWaiter(this);
    joiner.pending = this;
    return false;
  }
  unwait(): void {
    this.joiner = null;
    this.joined.removeWaiter(this);
  }
  settled(joined: TaskImpl<unknown>): void {
    const joiner = this.joiner as TaskImpl<unknown>;
    this.joiner = null;
    joiner.pending = null;
    joined.deliverTo(joiner);
    schedule(joiner, joiner.resumeKind, joiner.resumeValue);
  }
}

/** What `task.cancel()` returns: an operation waiting for the task to settle. */
export class CancelOperation implements Operation<void> {
  task: TaskImpl<unknown>;
  constructor(task: TaskImpl<unknown>) {
    this.task = task;
  }
  [Symbol.iterator](): Iterator<unknown, void, unknown> {
    return new SettledWait(this.task) as Iterator<unknown, void, unknown>;
  }
}

/** Waits until a task settled, whatever its outcome. */
export class SettledWait extends OneShot implements Pending, Waiter {
  task: TaskImpl<unknown>;
  waiter: TaskImpl<unknown> | null = null;
  prevWaiter: Waiter | null = null;
  nextWaiter: Waiter | null = null;
  constructor(task: TaskImpl<unknown>) {
    super();
    this.task = task;
  }
  enter(waiter: TaskImpl<unknown>): boolean {
    if (this.task.isDone) {
      waiter.resumeKind = NEXT;
      waiter.resumeValue = undefined;
      return true;
    }
    this.waiter = waiter;
    this.task.addWaiter(this);
    waiter.pending = this;
    return false;
  }
  unwait(): void {
    this.waiter = null;
    this.task.removeWaiter(this);
  }
  settled(): void {
    const waiter = this.waiter as TaskImpl<unknown>;
    this.waiter = null;
    waiter.pending = null;
    schedule(waiter, NEXT, undefined);
  }
}
