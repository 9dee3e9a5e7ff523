// Copyright 2025 the @effective/concurrency authors. MIT license.
// Helper tasks that live until their parent ends: ensure()'s cleanup and resource()'s provider.

import { OneShot, type Pending } from "./_instruction.ts";
import { checkOperationOrVoid, iterate } from "./_iterate.ts";
import { NEXT, schedule, THROW } from "./_run_queue.ts";
import { Suspend } from "./_operations.ts";
import { TaskImpl, type Waiter } from "./_task.ts";
import type { Operation } from "./operation.ts";

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
    const cleanup = checkOperationOrVoid(fn(), "ensure()", "fn()");
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
