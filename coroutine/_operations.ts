// Copyright 2025 the @effective/concurrency authors. MIT license.
// The instructions behind the public operations: spawn, sleep, call, the first of several
// tasks, the current task, and a resource's hand-over.

import { abortCollectingErrors, cancelledError, OneShot, type Pending } from "./_instruction.ts";
import { isNativeGenerator, iterate } from "./_iterate.ts";
import { drain, NEXT, type ResumeKind, schedule, THROW } from "./_run_queue.ts";
import { JoinInstruction, TaskImpl, type Waiter } from "./_task.ts";
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
      const controller = new AbortController();
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
      if (
        value === null || (typeof value !== "object" && typeof value !== "function") ||
        typeof (value as PromiseLike<unknown>).then !== "function"
      ) {
        return this.answerNow(task, NEXT, value);
      }
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

/**
 * Parks a task until the first of `tasks` settles, answers with its outcome, and halts the others
 * at once: a race decided is not re-run by members already queued in the same turn.
 */
export class FirstOf extends OneShot implements Pending {
  tasks: TaskImpl<unknown>[];
  links: RaceLink[] = [];
  waiter: TaskImpl<unknown> | null = null;
  constructor(tasks: TaskImpl<unknown>[]) {
    super();
    this.tasks = tasks;
  }
  enter(waiter: TaskImpl<unknown>): boolean {
    const tasks = this.tasks;
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[i] as TaskImpl<unknown>;
      if (task.isDone) {
        task.deliverTo(waiter);
        this.haltOthers(task);
        return true;
      }
    }
    this.waiter = waiter;
    for (let i = 0; i < tasks.length; i++) {
      const link = new RaceLink(this);
      this.links.push(link);
      (tasks[i] as TaskImpl<unknown>).addWaiter(link);
    }
    waiter.pending = this;
    return false;
  }
  detach(): void {
    const tasks = this.tasks, links = this.links;
    for (let i = 0; i < links.length; i++) {
      (tasks[i] as TaskImpl<unknown>).removeWaiter(links[i] as RaceLink);
    }
    this.links = [];
  }
  haltOthers(winner: TaskImpl<unknown>): void {
    const tasks = this.tasks;
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[i] as TaskImpl<unknown>;
      if (task !== winner) task.halt(undefined);
    }
  }
  unwait(): void {
    this.waiter = null;
    this.detach();
  }
  won(winner: TaskImpl<unknown>): void {
    const waiter = this.waiter;
    if (waiter === null) return;
    this.waiter = null;
    this.detach();
    waiter.pending = null;
    winner.deliverTo(waiter);
    schedule(waiter, waiter.resumeKind, waiter.resumeValue);
    this.haltOthers(winner);
  }
}

class RaceLink implements Waiter {
  prevWaiter: Waiter | null = null;
  nextWaiter: Waiter | null = null;
  race: FirstOf;
  constructor(race: FirstOf) {
    this.race = race;
  }
  settled(task: TaskImpl<unknown>): void {
    this.race.won(task);
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
      lifetime = new AbortController();
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

/**
 * Registers cleanup: a daemon child whose body is already paused (primed here, synchronously)
 * inside a `try` whose `finally` runs `fn()`, so the cleanup runs even if the parent ends before
 * the child could have started.
 */
export class EnsureInstruction extends OneShot {
  fn: () => Operation<unknown> | void;
  constructor(fn: () => Operation<unknown> | void) {
    super();
    this.fn = fn;
  }
  enter(parent: TaskImpl<unknown>): boolean {
    const body = cleanupBody(this.fn);
    const first = body.next();
    const child = new TaskImpl(body, parent, false);
    child.daemon = true;
    child.pending = first.value as Suspend;
    parent.resumeKind = NEXT;
    parent.resumeValue = undefined;
    return true;
  }
}

function* cleanupBody(fn: () => Operation<unknown> | void): Generator<unknown, void, unknown> {
  try {
    yield new Suspend();
  } finally {
    const cleanup = fn();
    if (cleanup !== undefined) yield* cleanup;
  }
}

/**
 * Starts a resource: a daemon child running `fn(provide)`; the parent waits until the child
 * provides its value (then the child lives on, parked, until the parent ends) and receives the
 * child's failure if it ends first.
 */
export class ResourceInstruction extends OneShot implements Pending, Waiter {
  fn: (provide: (value: unknown) => Operation<void>) => Operation<unknown>;
  parent: TaskImpl<unknown> | null = null;
  joined: TaskImpl<unknown> | null = null;
  provided = false;
  prevWaiter: Waiter | null = null;
  nextWaiter: Waiter | null = null;
  constructor(fn: (provide: (value: unknown) => Operation<void>) => Operation<unknown>) {
    super();
    this.fn = fn;
  }
  enter(parent: TaskImpl<unknown>): boolean {
    let body: Iterator<unknown>;
    try {
      body = iterate(
        this.fn((value) => new ProvideInstruction(this, value) as Operation<void>),
        "resource()",
        "fn()",
      );
    } catch (error) {
      parent.resumeKind = THROW;
      parent.resumeValue = error;
      return true;
    }
    const child = new TaskImpl(body, parent, true);
    child.daemon = true;
    schedule(child, NEXT, undefined);
    this.parent = parent;
    this.joined = child;
    child.addWaiter(this);
    parent.pending = this;
    return false;
  }
  unwait(): void {
    this.parent = null;
    this.joined?.removeWaiter(this);
  }
  /** The child ended before providing. */
  settled(child: TaskImpl<unknown>): void {
    const parent = this.parent as TaskImpl<unknown>;
    this.parent = null;
    parent.pending = null;
    if (child.succeeded) {
      schedule(
        parent,
        THROW,
        new TypeError("resource(): 'fn()' returned without calling provide(value)"),
      );
    } else schedule(parent, THROW, child.result);
  }
  /** Hands `value` to the parent; false (and a TypeError to throw) if not allowed. */
  provide(child: TaskImpl<unknown>, value: unknown): boolean {
    if (this.provided || this.joined !== child) {
      child.resumeKind = THROW;
      child.resumeValue = new TypeError(
        "resource(): provide() may be called once, by the resource's own body",
      );
      return false;
    }
    this.provided = true;
    child.boundary = false; // from now on its failure fails the parent
    child.removeWaiter(this);
    const parent = this.parent;
    if (parent !== null) {
      this.parent = null;
      parent.pending = null;
      schedule(parent, NEXT, value);
    }
    return true;
  }
}

class ProvideInstruction extends OneShot implements Pending {
  resource: ResourceInstruction;
  value: unknown;
  constructor(resource: ResourceInstruction, value: unknown) {
    super();
    this.resource = resource;
    this.value = value;
  }
  enter(child: TaskImpl<unknown>): boolean {
    if (!this.resource.provide(child, this.value)) return true;
    child.pending = this; // parked until the parent ends and halts it
    return false;
  }
  unwait(): void {}
}
