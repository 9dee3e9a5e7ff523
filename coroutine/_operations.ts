// Copyright 2025 the @effective/concurrency authors. MIT license.
// The instructions behind the basic operations: spawn (and the scopes), sleep, call, the current
// task, its lifetime signal, and suspending.

import { abortCollectingErrors, guardedController } from "./_abort_guard.ts";
import { cancelledError, OneShot, type Pending } from "./_instruction.ts";
import { isNativeGenerator, iterate } from "./_iterate.ts";
import { drain, NEXT, type ResumeKind, schedule, THROW } from "./_run_queue.ts";
import { JoinInstruction } from "./_join.ts";
import { TaskImpl } from "./_task.ts";
import { addTimer, removeTimer, type TimerEntry } from "./_timers.ts";
import type { Operation } from "./operation.ts";

/**
 * Starts a child task running `fn()`. A plain child answers with its handle at once; a boundary
 * (scoped, all, race) is joined, so its result or failure comes back to the parent.
 */
export class SpawnInstruction extends OneShot {
  fn: () => Operation<unknown>;
  boundary: boolean;
  call: string;
  daemon: boolean;
  shielded: boolean;
  constructor(
    fn: () => Operation<unknown>,
    boundary: boolean,
    call: string,
    daemon = false,
    shielded = false,
  ) {
    super();
    this.fn = fn;
    this.boundary = boundary;
    this.call = call;
    this.daemon = daemon;
    this.shielded = shielded;
  }
  enter(parent: TaskImpl<unknown>): boolean {
    let body: Iterator<unknown>;
    try {
      body = iterate(this.fn(), this.call, "fn()");
    } catch (error) {
      parent.resumeKind = THROW;
      parent.resumeValue = error;
      return true;
    }
    const child = new TaskImpl(body, parent, this.boundary);
    if (this.daemon) child.daemon = true;
    if (this.shielded) child.shielded = true;
    schedule(child, NEXT, undefined);
    if (this.boundary) return new JoinInstruction(child).enter(parent);
    parent.resumeKind = NEXT;
    parent.resumeValue = child;
    return true;
  }
}

/** Parks the task for `ms` milliseconds (forever for Infinity). */
export class SleepInstruction extends OneShot implements TimerEntry, Pending {
  deadline = 0;
  seq = 0;
  live = false;
  ms: number;
  task: TaskImpl<unknown> | null = null;
  constructor(ms: number) {
    super();
    this.ms = ms;
  }
  enter(task: TaskImpl<unknown>): boolean {
    this.task = task;
    task.pending = this;
    if (this.ms !== Infinity) addTimer(this, this.ms);
    return false;
  }
  fire(): void {
    const task = this.task as TaskImpl<unknown>;
    this.task = null;
    task.pending = null;
    schedule(task, NEXT, undefined);
  }
  unwait(): void {
    this.task = null;
    removeTimer(this);
  }
}

/** Awaits a promise (or calls a function and awaits what it returns). */
export class CallInstruction extends OneShot implements Pending {
  source: unknown;
  task: TaskImpl<unknown> | null = null;
  controller: AbortController | null = null;
  constructor(source: unknown) {
    super();
    this.source = source;
  }
  enter(task: TaskImpl<unknown>): boolean {
    let value = this.source;
    if (typeof value === "function") {
      const controller = guardedController();
      // Park first: the function may halt this task (abort a signal) before it returns, and
      // the halt must find something to detach (the scheduler checks again after `enter`).
      this.task = task;
      task.pending = this;
      this.controller = controller;
      try {
        value = value(controller.signal);
      } catch (error) {
        return this.answerNow(task, THROW, error);
      }
      if (isNativeGenerator(value)) {
        return this.answerNow(
          task,
          THROW,
          new TypeError(
            "call(): 'source' must be a function returning a promise or a value, got a generator function: run it with `yield* fn()` (or spawn it)",
          ),
        );
      }
      let thenable: boolean;
      try {
        // A throwing `then` getter fails this task, never the scheduler's loop.
        thenable = value !== null && (typeof value === "object" || typeof value === "function") &&
          typeof (value as PromiseLike<unknown>).then === "function";
      } catch (error) {
        return this.answerNow(task, THROW, error);
      }
      if (!thenable) return this.answerNow(task, NEXT, value);
      if (this.task === null) {
        // Halted while calling: the promise is not awaited, but its rejection is handled.
        Promise.resolve(value).catch(() => {});
        return false;
      }
    } else {
      this.task = task;
      task.pending = this;
    }
    Promise.resolve(value).then(
      (result) => this.settle(NEXT, result),
      (error) => this.settle(THROW, error),
    );
    return false;
  }
  answerNow(task: TaskImpl<unknown>, kind: ResumeKind, value: unknown): boolean {
    if (this.task === null) return false; // halted meanwhile: the answer is dropped
    this.task = null;
    this.controller = null;
    task.pending = null;
    task.resumeKind = kind;
    task.resumeValue = value;
    return true;
  }
  settle(kind: ResumeKind, value: unknown): void {
    const task = this.task;
    if (task === null) return;
    this.task = null;
    this.controller = null;
    task.pending = null;
    schedule(task, kind, value);
    drain();
  }
  unwait(task: TaskImpl<unknown>): void {
    this.task = null;
    const controller = this.controller;
    if (controller !== null) {
      this.controller = null;
      const errors = abortCollectingErrors(controller, cancelledError());
      if (errors !== null) { for (const error of errors) task.recordError(error); }
    }
  }
}

/** Answers with the task running it. */
export class CurrentTask extends OneShot {
  enter(task: TaskImpl<unknown>): boolean {
    task.resumeKind = NEXT;
    task.resumeValue = task;
    return true;
  }
}

/** Answers with the task's lifetime signal, made on first use. */
export class LifetimeSignal extends OneShot {
  enter(task: TaskImpl<unknown>): boolean {
    let lifetime = task.lifetime;
    if (lifetime === null) {
      lifetime = guardedController();
      if (task.isActive) task.lifetime = lifetime;
      else {lifetime.abort(
          task.haltError ?? new DOMException("The task has finished", "AbortError"),
        );}
    }
    task.resumeKind = NEXT;
    task.resumeValue = lifetime.signal;
    return true;
  }
}

/** Parks the task until it is halted. */
export class Suspend extends OneShot implements Pending {
  enter(task: TaskImpl<unknown>): boolean {
    task.pending = this;
    return false;
  }
  unwait(): void {}
}
