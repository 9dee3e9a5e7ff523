// Copyright 2025 the @effective/concurrency authors. MIT license.
// The task state machine. A task drives an iterator (its body); every task but a root has a
// parent, and children form an intrusive doubly linked list, newest last.
//
//   ACTIVE ──halt──▶ HALTING ──children gone──▶ CLOSING ──body ends──▶ FINISHING ──▶ DONE
//      └──────────────────────── body ends ─────────────────────────────▶┘
//
// Halting tears the children down newest first, one after another, then throws the halt error
// into the body at the `yield*` it is paused at, so `finally` blocks run child-before-parent. A
// throw (not `return()`) is what survives a `finally` that pauses: after a paused `finally` ends,
// JavaScript resumes the delegating caller normally if the unwind was a `return()` (Effection
// #1190), but rethrows if it was an exception. Once CLOSING, nothing interrupts the body: a
// started cleanup runs to its end. Halting and settling loop instead of recursing, so a chain of
// any depth unwinds on a small stack.

import { abortCollectingErrors } from "./_abort_guard.ts";
import { cancelledError, Instruction, type Pending } from "./_instruction.ts";
import { type AnyGenerator, generatorNext, generatorThrow, isNativeGenerator } from "./_iterate.ts";
import {
  drain,
  isDraining,
  NEXT,
  type ResumeKind,
  runningTask,
  schedule,
  THROW,
} from "./_run_queue.ts";
import { show, withResolvers } from "./_options.ts";
import { CancelOperation, JoinInstruction, PromiseWaiter } from "./_join.ts";
import type { Operation } from "./operation.ts";
import type { Task } from "./task.ts";

// Task states.
const ACTIVE = 0; // running its body
const HALTING = 1; // halted; tearing its children down before closing its body
const CLOSING = 2; // halt error thrown into the body; its `finally` blocks run (and may pause)
const FINISHING = 3; // body ended; tearing its remaining children down
const DONE = 4;

// Outcomes.
const NONE = 0, OK = 1, ERR = 2, CANCELLED = 3;

/** Something told when a task settles; a node of the task's intrusive list of waiters. */
export interface Waiter {
  prevWaiter: Waiter | null;
  nextWaiter: Waiter | null;
  settled(task: TaskImpl<unknown>): void;
}

/** A task: the scheduler's record and, through the `Task` interface, the user's handle. */
export class TaskImpl<T> implements Task<T>, PromiseLike<T> {
  body: Iterator<unknown, T, unknown> | null;
  /** Whether `body` is a native generator (driven through %GeneratorPrototype% directly). */
  native: boolean;
  parent: TaskImpl<unknown> | null;
  firstChild: TaskImpl<unknown> | null = null;
  lastChild: TaskImpl<unknown> | null = null;
  prevSibling: TaskImpl<unknown> | null = null;
  nextSibling: TaskImpl<unknown> | null = null;
  state = ACTIVE;
  outcome = NONE;
  /** The value (OK), the first error (ERR) or the halt error (CANCELLED). */
  result: unknown = undefined;
  /**
   * Errors after the first, kept to be reported together (Python's ExceptionGroup). A set: a
   * wide tree failing in teardown records one per child, and each is checked for a repeat.
   */
  declare laterErrors: Set<unknown> | null;
  /** What was thrown into the body to halt it: its identity tells a halt from a failure. */
  declare haltError: unknown;
  pending: Pending | null = null;
  resumeKind: ResumeKind = NEXT;
  resumeValue: unknown = undefined;
  queued = false;
  nextInQueue: TaskImpl<unknown> | null = null;
  firstWaiter: Waiter | null = null;
  lastWaiter: Waiter | null = null;
  /** A boundary's failure goes to the task waiting for it, not to its parent. */
  boundary: boolean;
  /** A helper task (ensure, resource) that lives until its parent ends; not work to wait for. */
  declare daemon: boolean;
  /** Not halted by its ancestors' halts, which wait for it instead (shield). */
  declare shielded: boolean;
  /** Aborted when the task's body ends or it is halted (useAbortSignal). */
  declare lifetime: AbortController | null;

  constructor(
    body: Iterator<unknown, T, unknown>,
    parent: TaskImpl<unknown> | null,
    boundary: boolean,
  ) {
    this.body = body;
    this.native = isNativeGenerator(body);
    this.parent = parent;
    this.boundary = boundary;
    if (parent !== null) {
      const last = parent.lastChild;
      this.prevSibling = last;
      if (last === null) parent.firstChild = this as TaskImpl<unknown>;
      else last.nextSibling = this as TaskImpl<unknown>;
      parent.lastChild = this as TaskImpl<unknown>;
    }
  }

  // -- the Task interface --

  [Symbol.iterator](): Iterator<unknown, T, unknown> {
    return new JoinInstruction(this as TaskImpl<unknown>) as Iterator<unknown, T, unknown>;
  }

  join(): Operation<T> {
    return this;
  }

  cancel(): Operation<void> {
    this.halt(undefined);
    if (!isDraining()) drain();
    return new CancelOperation(this as TaskImpl<unknown>);
  }

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    // deno-lint-ignore no-explicit-any
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const { promise, resolve, reject } = withResolvers<T>();
    const waiter = new PromiseWaiter<T>(resolve, reject);
    if (this.state === DONE) waiter.settled(this as TaskImpl<unknown>);
    else this.addWaiter(waiter);
    return promise.then(onfulfilled, onrejected);
  }

  get [Symbol.toStringTag](): string {
    return "Task";
  }

  /** Whether the task has settled. */
  get isDone(): boolean {
    return this.state === DONE;
  }

  /** Whether the task is running its body and was not halted (it may still spawn). */
  get isActive(): boolean {
    return this.state === ACTIVE;
  }

  // -- waiters: an intrusive doubly linked list, so a halted joiner leaves in O(1) --

  addWaiter(waiter: Waiter): void {
    const last = this.lastWaiter;
    waiter.prevWaiter = last;
    waiter.nextWaiter = null;
    if (last === null) this.firstWaiter = waiter;
    else last.nextWaiter = waiter;
    this.lastWaiter = waiter;
  }

  removeWaiter(waiter: Waiter): void {
    const prev = waiter.prevWaiter, next = waiter.nextWaiter;
    if (prev === null) {
      if (this.firstWaiter !== waiter) return; // not in the list
      this.firstWaiter = next;
    } else prev.nextWaiter = next;
    if (next === null) this.lastWaiter = prev;
    else next.prevWaiter = prev;
    waiter.prevWaiter = waiter.nextWaiter = null;
  }

  /** Answers `task` with this (settled) task's outcome, as a join does. */
  deliverTo(task: TaskImpl<unknown>): void {
    if (this.outcome === OK) {
      task.resumeKind = NEXT;
      task.resumeValue = this.result;
    } else {
      task.resumeKind = THROW;
      task.resumeValue = this.result;
    }
  }

  /** Whether this (settled) task returned normally. */
  get succeeded(): boolean {
    return this.outcome === OK;
  }

  // -- running --

  step(): void {
    const state = this.state;
    if (state !== ACTIVE && state !== CLOSING) return; // halted while queued: closes later
    const body = this.body as Iterator<unknown, T, unknown>;
    let kind = this.resumeKind;
    let value = this.resumeValue;
    this.resumeValue = undefined;
    for (;;) {
      let result: IteratorResult<unknown, T>;
      try {
        if (this.native) {
          result = kind === NEXT
            ? generatorNext.call(body as AnyGenerator, value)
            : generatorThrow.call(body as AnyGenerator, value);
        } else {
          if (kind === NEXT) result = body.next(value);
          else if (typeof body.throw === "function") result = body.throw(value);
          else {
            // An iterator without throw(): close it, and end with the error. An error closing
            // it is kept too (both fail the task, the first as the AggregateError's cause);
            // while cancelled, it fails the task alone, as a cancellation is not a failure.
            if (typeof body.return === "function") {
              try {
                body.return(undefined);
              } catch (closeError) {
                if (this.haltError === undefined || value !== this.haltError) {
                  this.recordError(value);
                }
                throw closeError;
              }
            }
            throw value;
          }
          // A hand-written iterator's bad result fails its task, never the scheduler's loop.
          if (result === null || typeof result !== "object") {
            throw new TypeError(
              `A task's operation returned ${
                show(result)
              } from its iterator's next() or throw(): it must return an iterator result object`,
            );
          }
          result = { done: result.done, value: result.value } as IteratorResult<unknown, T>;
        }
      } catch (error) {
        this.bodyDone(ERR, error);
        return;
      }
      if (result.done) {
        this.bodyDone(OK, result.value);
        return;
      }
      const instruction = result.value;
      if (this.state === HALTING) {
        // Halted while running (it cancelled itself or an ancestor): nothing more of its code
        // runs but its `finally` blocks, and those only once its children are gone.
        if (!this.readyToClose()) return;
        kind = THROW;
        value = this.haltError;
        continue;
      }
      if (instruction instanceof Instruction) {
        const continues = instruction.enter(this as TaskImpl<unknown>);
        if (this.state === HALTING) {
          // Halted while starting the operation (its callback aborted a signal): stop waiting.
          const pending = this.pending;
          if (pending !== null) {
            this.pending = null;
            pending.unwait(this as TaskImpl<unknown>);
          }
          if (!this.readyToClose()) return;
          kind = THROW;
          value = this.haltError;
          continue;
        }
        if (!continues) return;
        kind = this.resumeKind;
        value = this.resumeValue;
        this.resumeValue = undefined;
      } else {
        kind = THROW;
        value = new TypeError(
          `A task yielded ${
            show(instruction)
          } to the scheduler: use \`yield*\` (with a star) on operations such as sleep(), spawn(), call() or a task`,
        );
      }
    }
  }

  /** In HALTING: tears the next child down, or (none left) moves to CLOSING and says so. */
  readyToClose(): boolean {
    if (this.firstChild !== null) {
      this.teardownNext();
      return false;
    }
    this.state = CLOSING;
    return true;
  }

  bodyDone(kind: typeof OK | typeof ERR, value: unknown): void {
    if (kind === ERR) {
      // The halt error coming back out is the halt ending, not a failure.
      if (this.haltError === undefined || value !== this.haltError) this.recordError(value);
    } else if (this.outcome === NONE) {
      this.outcome = OK;
      this.result = value;
    }
    this.body = null;
    this.state = FINISHING;
    if (this.lifetime !== null) this.endLifetime();
    if (this.firstChild !== null) this.teardownNext();
    else this.settle();
  }

  recordError(error: unknown): void {
    if (this.outcome !== ERR) {
      this.outcome = ERR;
      this.result = error;
    } else if (error !== this.result) {
      const later = this.laterErrors;
      if (later === null) this.laterErrors = new Set([error]);
      else later.add(error);
    }
  }

  /** Settles this task, then each parent that was only waiting for it, without recursing. */
  settle(): void {
    let task: TaskImpl<unknown> | null = this as TaskImpl<unknown>;
    while (task !== null) {
      task.state = DONE;
      const later = task.laterErrors;
      if (later !== null) {
        task.laterErrors = null;
        task.result = aggregate(task.result, later);
      }
      const parent: TaskImpl<unknown> | null = task.parent;
      let parentDone = false;
      if (parent !== null) {
        task.parent = null;
        parentDone = parent.childDone(task);
      }
      // One at a time from the head, so a waiter told now may remove others safely.
      let waiter: Waiter | null;
      while ((waiter = task.firstWaiter) !== null) {
        task.removeWaiter(waiter);
        waiter.settled(task);
      }
      task = parentDone ? parent : null;
    }
  }

  /** A child settled. Returns true if this task must settle now (the caller does it). */
  childDone(child: TaskImpl<unknown>): boolean {
    const prev = child.prevSibling, next = child.nextSibling;
    if (prev === null) this.firstChild = next;
    else prev.nextSibling = next;
    if (next === null) this.lastChild = prev;
    else next.prevSibling = prev;
    child.prevSibling = child.nextSibling = null;
    // A failure fails the parent, except a boundary's (scoped/all/race), which goes to the
    // parent waiting for it; if the parent stopped waiting (it was halted), it fails anyway
    // rather than being lost.
    if (child.outcome === ERR && (!child.boundary || this.pending?.joined !== child)) {
      this.fail(child.result);
    }
    const state = this.state;
    if (state === HALTING || state === FINISHING) {
      if (this.firstChild !== null) this.teardownNext();
      else if (state === FINISHING) return true;
      else this.closeBody();
    }
    return false;
  }

  fail(error: unknown): void {
    this.recordError(error);
    if (this.state === ACTIVE) this.halt(undefined);
  }

  /**
   * Halts the task: its children first (newest first, one after another), then its own
   * `finally` blocks. The whole subtree is halted with the same error: `reason`, or an
   * `AbortError` `DOMException`. A task already halting or finishing is left alone, so a started cleanup
   * runs to its end. Descends iteratively: only the newest child of each level is halted now.
   */
  halt(reason: unknown): void {
    // One error for the whole subtree: creating a DOMException (and its stack) per task would
    // make cancelling a wide tree cost far more than spawning it.
    const error = reason === undefined ? cancelledError() : reason;
    let task: TaskImpl<unknown> | null = this as TaskImpl<unknown>;
    while (task !== null && task.state === ACTIVE) {
      if (task.outcome === NONE) {
        task.outcome = CANCELLED;
        task.result = error;
      }
      task.haltError = error;
      task.state = HALTING;
      const pending = task.pending;
      if (pending !== null) {
        task.pending = null;
        pending.unwait(task);
      }
      if (task.lifetime !== null) task.endLifetime();
      const child: TaskImpl<unknown> | null = task.lastChild;
      if (child === null) {
        task.closeBody();
        return;
      }
      if (child.shielded) return; // waited for, not halted
      task = child; // a child already halting is waited for (the loop condition stops)
    }
  }

  /**
   * Halts the newest child, unless it is already ending or shielded (then its end brings us
   * back here).
   */
  teardownNext(): void {
    const child = this.lastChild;
    if (child !== null && child.state === ACTIVE && !child.shielded) {
      // Children share their parent's halt error (after the body ended, one made for them).
      if (this.haltError === undefined) this.haltError = cancelledError();
      child.halt(this.haltError);
    }
  }

  /** HALTING with no children left: throw the halt error into the body. */
  closeBody(): void {
    if (this === runningTask()) return; // step() notices HALTING when the body yields
    this.state = CLOSING;
    schedule(this, THROW, this.haltError);
  }

  endLifetime(): void {
    const lifetime = this.lifetime as AbortController;
    this.lifetime = null;
    const errors = abortCollectingErrors(
      lifetime,
      this.state === HALTING
        ? this.haltError
        : new DOMException("The task has finished", "AbortError"),
    );
    if (errors !== null) { for (const error of errors) this.recordError(error); }
  }
}

// Fields most tasks never set live on the prototype until set, keeping every task small.
TaskImpl.prototype.laterErrors = null;
TaskImpl.prototype.haltError = undefined;
TaskImpl.prototype.daemon = false;
TaskImpl.prototype.shielded = false;
TaskImpl.prototype.lifetime = null;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Several errors as one: an AggregateError (Python's ExceptionGroup), `cause` the first. */
function aggregate(first: unknown, later: Set<unknown>): AggregateError {
  const errors = [first, ...later];
  return new AggregateError(
    errors,
    `${errors.length} errors in one task; the first: ${messageOf(first)}`,
    { cause: first },
  );
}
